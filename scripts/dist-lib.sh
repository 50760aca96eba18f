#!/usr/bin/env bash
# dist-lib.sh is sourced by the dist-*.sh scripts: the version, the pinned
# packaging tools and the steps every platform shares. It changes nothing in
# the source tree: builds go to a temporary folder, artefacts to the output
# folder given to the script.

set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
GO=${GO:-go}
MODULE=github.com/ligne-app/ligne
APP_ID=app.ligne.desktop
FYNE_TOOLS=fyne.io/tools/cmd/fyne@v1.7.4
NFPM=github.com/goreleaser/nfpm/v2/cmd/nfpm@v2.45.2
ICON_SVG=$ROOT/assets/icons/ligne.svg
ICON_PNG=$ROOT/assets/icons/ligne.png

eval "$("$ROOT/scripts/dist-version.sh")"
# Exported, so that the scripts this one starts stamp the same version even
# if HEAD moves meanwhile.
COMMITS=$APP_BUILD
export VERSION PKG_VERSION WIN_VERSION APP_VERSION APP_BUILD RELEASE COMMITS

# say prints a progress line on stderr.
say() { echo "dist: $*" >&2; }

# die prints an error on stderr and stops.
die() { echo "dist: $*" >&2; exit 1; }

# need stops with a clear message when a command is missing.
need() {
  local c
  for c in "$@"; do
    command -v "$c" >/dev/null 2>&1 || die "$c is missing: run scripts/deps.sh dist (make dist does)"
  done
}

# workdir makes a temporary folder removed when the script exits.
workdir() {
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/ligne-dist.XXXXXX")
  trap 'rm -rf "$WORK"' EXIT
}

# outdir creates the output folder $1 and prints its absolute path.
outdir() {
  mkdir -p "$1"
  (cd "$1" && pwd)
}

# ldflags prints the linker flags that stamp $VERSION into a binary.
ldflags() { echo "-s -w -X $MODULE/internal/version.version=$VERSION"; }

# fyne runs the pinned fyne packaging command.
fyne() { "$GO" run "$FYNE_TOOLS" "$@"; }

# nfpm runs the pinned nfpm.
nfpm() { "$GO" run "$NFPM" "$@"; }

# render_icons renders the SVG icon at the sizes $2 (comma-separated) into $1
# as ligne-SIZE.png.
render_icons() {
  mkdir -p "$1"
  "$GO" run ./scripts/iconsgen -svg "$ICON_SVG" -out "$1" -sizes "$2" -name ligne
}

# subst copies template $1 to $2, replacing each @KEY@ by the variable KEY.
# Keys: the version variables above and any listed in $3 (space-separated).
subst() {
  local src=$1 dst=$2 expr=() k
  for k in VERSION PKG_VERSION WIN_VERSION APP_VERSION APP_BUILD APP_ID ${3:-}; do
    expr+=(-e "s|@$k@|$(printf '%s' "${!k}" | sed 's/[|&\\]/\\&/g')|g")
  done
  sed "${expr[@]}" "$src" >"$dst"
  if grep -nE '@[A-Z_]+@' "$dst" >&2; then die "$src: placeholder left unreplaced in $dst"; fi
}

# fyne_src makes, in $1, a source folder for fyne package: a copy of
# FyneApp.toml (fyne package raises its Build number on every run; the copy
# takes that, the tree's file does not) and one Go file, which fyne wants to see.
fyne_src() {
  mkdir -p "$1"
  cp "$ROOT/FyneApp.toml" "$1/FyneApp.toml"
  printf 'package main\n' >"$1/main.go"
}
