#!/bin/sh
# Rebuilds ../ket-noi-wifi.mp4 and ../ket-noi-wifi-poster.png from the SVG frames in this folder.
# Needs: rsvg-convert (Debian package librsvg2-bin) and ffmpeg with libx264.
# Each frame is shown for the seconds listed below. Elements marked class="tap" (finger, highlight)
# appear after the first second of a frame, so each step shows the screen first, then the action.
# Keep each class="tap" group on a single line: the script drops those lines for the first second.
# The captions in ../ket-noi-wifi.vi.vtt follow the same timing: keep both in step when editing.
set -eu
cd "$(dirname "$0")"
NAME=ket-noi-wifi
FRAMES="wifi-01:3 wifi-02:4 wifi-03:4 wifi-04:4 wifi-05:4 wifi-06:5 wifi-07:4 wifi-08:4 wifi-09:5"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT INT TERM
LIST="$TMP/list.txt"
: > "$LIST"
LAST=""
for item in $FRAMES; do
  f=${item%%:*}; secs=${item##*:}
  rsvg-convert -w 360 -h 640 -b white "$f.svg" -o "$TMP/$f-b.png"
  if grep -q 'class="tap"' "$f.svg"; then
    grep -v 'class="tap"' "$f.svg" > "$TMP/$f-a.svg"
    rsvg-convert -w 360 -h 640 -b white "$TMP/$f-a.svg" -o "$TMP/$f-a.png"
    printf "file '%s'\nduration 1\nfile '%s'\nduration %s\n" "$f-a.png" "$f-b.png" "$((secs - 1))" >> "$LIST"
  else
    printf "file '%s'\nduration %s\n" "$f-b.png" "$secs" >> "$LIST"
  fi
  LAST="$f-b.png"
done
printf "file '%s'\n" "$LAST" >> "$LIST"
ffmpeg -hide_banner -loglevel error -y -f concat -safe 0 -i "$LIST" \
  -vf "fps=10,format=yuv420p" -c:v libx264 -preset veryslow -tune stillimage -crf 30 \
  -pix_fmt yuv420p -movflags +faststart -an "../$NAME.mp4"
cp "$TMP/wifi-05-b.png" "../$NAME-poster.png"
ls -l "../$NAME.mp4" "../$NAME-poster.png"
