#!/usr/bin/env bash
# dist-version.sh [DESCRIBE] prints, as shell assignments for eval, the forms
# of Ligne's version that the packages need. The source is DESCRIBE, else
# $VERSION, else `git describe --tags --always --dirty` (what the Makefile
# stamps into the binaries). Release tags are named vX.Y.Z (vX.Y.Z-rcN for a
# release candidate).
#
#   VERSION      the stamped text: ligne --version, lignectl version, About
#   PKG_VERSION  Debian and AppStream version; sorts the way releases follow:
#                0.1.0~dev.42.gabc1234 < 1.2.3~rc1 < 1.2.3 < 1.2.3+4.gabc1234
#   WIN_VERSION  four numbers for the Windows version resources: 1.2.3.4
#   APP_VERSION  x.y.z for fyne package and CFBundleShortVersionString
#   APP_BUILD    commits in the history, > 0, for fyne --app-build and CFBundleVersion
#   RELEASE      1 for a clean vX.Y.Z tag, 0 otherwise (marks pre-release builds)
#
# Without a tag, the x.y.z of FyneApp.toml is the base. COMMITS overrides the
# commit count (tests).
set -euo pipefail
cd "$(dirname "$0")/.."

describe=${1:-${VERSION:-$(git describe --tags --always --dirty 2>/dev/null || echo dev)}}
commits=${COMMITS:-$(git rev-list --count HEAD 2>/dev/null || echo 1)}
[ "$commits" -gt 0 ] || commits=1

# fail prints why the version cannot be read and stops.
fail() { echo "dist-version: $*" >&2; exit 1; }

# base returns the x.y.z of FyneApp.toml's [Details] Version.
base() {
  local v
  v=$(awk -F'"' '/^[[:space:]]*Version[[:space:]]*=/{print $2; exit}' FyneApp.toml)
  [[ $v =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || fail "FyneApp.toml Version '$v' is not x.y.z"
  echo "$v"
}

# clamp keeps a Windows version field within 0..65535.
clamp() { [ "$1" -gt 65535 ] && echo 65535 || echo "$1"; }

d=$describe dirty=0
if [[ $d == *-dirty ]]; then dirty=1; d=${d%-dirty}; fi

tag_re='^v([0-9]+)(\.([0-9]+))?(\.([0-9]+))?(-(alpha|beta|rc)\.?([0-9]+))?(-([0-9]+)-g([0-9a-f]+))?$'
if [[ $d =~ $tag_re ]]; then
  app="${BASH_REMATCH[1]}.${BASH_REMATCH[3]:-0}.${BASH_REMATCH[5]:-0}"
  pre=${BASH_REMATCH[7]:+${BASH_REMATCH[7]}${BASH_REMATCH[8]}}
  ahead=${BASH_REMATCH[10]:-0} hash=${BASH_REMATCH[11]}
  pkg=$app
  [ -n "$pre" ] && pkg="$pkg~$pre"
  [ -n "$hash" ] && pkg="$pkg+$ahead.g$hash"
  win="$app.$(clamp "$ahead")"
  release=1
  { [ -n "$pre" ] || [ -n "$hash" ]; } && release=0
elif [[ $d =~ ^([0-9a-f]{4,40})$ || $d == dev ]]; then
  app=$(base)
  hash=${BASH_REMATCH[1]:-}
  pkg="$app~dev.$commits${hash:+.g$hash}"
  win="$app.$(clamp "$commits")"
  release=0
else
  fail "cannot read a version from '$describe': tag releases vX.Y.Z (or vX.Y.Z-rcN)"
fi

if [ "$dirty" = 1 ]; then
  if [[ $pkg == *[+~]* ]]; then pkg="$pkg.dirty"; else pkg="$pkg+dirty"; fi
  release=0
fi

printf 'VERSION=%q\nPKG_VERSION=%q\nWIN_VERSION=%q\nAPP_VERSION=%q\nAPP_BUILD=%q\nRELEASE=%q\n' \
  "$describe" "$pkg" "$win" "$app" "$commits" "$release"
