#!/usr/bin/env bash
# screenshot.sh BINARY OUTDIR runs Ligne under a private Xvfb on a fresh
# demo workspace and writes one PNG per section to OUTDIR.
set -euo pipefail
bin=${1:?binary}
out=${2:?output folder}
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
mkdir -p "$out"
rm -f "$out"/*.png
xvfb-run -a -s "-screen 0 1600x1000x24 -nolisten tcp" env LANG=fr_FR.UTF-8 \
  "$bin" --data "$data" --demo --screenshots "$out"
ls "$out"/*.png
