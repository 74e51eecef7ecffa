#!/bin/sh
# Rebuilds ../ket-noi-wifi.mp4 and ../ket-noi-wifi-poster.png from the SVG frames in this folder.
# Each frame is shown for the seconds listed (frame:seconds). The captions in ../ket-noi-wifi.vi.vtt follow the
# same timing: keep both in step when editing. See scripts/render-lesson-video.sh for what the frames may hold.
set -eu
HERE="$(cd "$(dirname "$0")" && pwd)"
exec "$HERE/../../../../../scripts/render-lesson-video.sh" "$HERE" ket-noi-wifi wifi-05 \
  "wifi-01:4 wifi-02:4 wifi-03:5 wifi-04:6 wifi-05:4 wifi-06:4 wifi-07:5 wifi-08:8 wifi-09:9"
