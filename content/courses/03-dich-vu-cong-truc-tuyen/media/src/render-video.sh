#!/bin/sh
# Rebuilds ../nop-ho-so.mp4 and ../nop-ho-so-poster.png from the SVG frames in this folder.
# Each frame is shown for the seconds listed (frame:seconds). The captions in ../nop-ho-so.vi.vtt follow the
# same timing: keep both in step when editing. See scripts/render-lesson-video.sh for what the frames may hold.
set -eu
HERE="$(cd "$(dirname "$0")" && pwd)"
exec "$HERE/../../../../../scripts/render-lesson-video.sh" "$HERE" nop-ho-so nop-05 \
  "nop-01:4 nop-02:5 nop-03:5 nop-04:5 nop-05:5 nop-06:5 nop-07:5 nop-08:5 nop-09:5 nop-10:5"
