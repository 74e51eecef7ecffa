#!/bin/sh
# Renders a lesson video from SVG frames: the tool behind each course's media/src/render-video.sh.
# Usage: render-lesson-video.sh FRAME_DIR NAME POSTER_FRAME "frame:seconds frame:seconds ..."
# Writes FRAME_DIR/../NAME.mp4 and FRAME_DIR/../NAME-poster.png.
# Needs: rsvg-convert (Debian package librsvg2-bin) and ffmpeg with libx264.
# Elements marked class="tap" (finger, highlight) appear after the first second of a frame, so each step shows
# the screen first, then the action. Keep each class="tap" group on a single line: those lines are dropped for
# the first second.
set -eu
DIR=$1; NAME=$2; POSTER=$3; FRAMES=$4
cd "$DIR"
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
cp "$TMP/$POSTER-b.png" "../$NAME-poster.png"
ls -l "../$NAME.mp4" "../$NAME-poster.png"
