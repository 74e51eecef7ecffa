#!/bin/sh
# Rebuilds ../nop-ho-so.mp4 and ../nop-ho-so-poster.png from the SVG frames in this folder.
# Each frame is shown for the seconds listed (frame:seconds). The captions in ../nop-ho-so.vi.vtt follow the
# same timing: keep both in step when editing. See scripts/render-lesson-video.sh for what the frames may hold.
set -eu
HERE="$(cd "$(dirname "$0")" && pwd)"
exec "$HERE/../../../../../scripts/render-lesson-video.sh" "$HERE" nop-ho-so nop-05 \
  "nop-01:12 nop-02:9 nop-03:10 nop-04:9 nop-05:11 nop-06:10 nop-07:11 nop-08:8 nop-09:8 nop-10:11"
