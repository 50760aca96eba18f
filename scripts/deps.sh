#!/usr/bin/env bash
# deps.sh GROUP... installs the Debian/Ubuntu packages a Ligne make target needs,
# only those that are missing. Groups:
#   build  compile Ligne (Go is expected at /usr/local/go or on PATH)
#   run    what the window needs at run time beyond build
#   test   Xvfb, the real SIP peers and the audio/transcription tools the tests use
#   dist   cross-compilers and installer builders for `make dist`
# On a system without apt-get it prints what to install and exits 0 when the
# packages' commands are already present.
set -euo pipefail

build=(gcc libc6-dev pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev
       libxinerama-dev libxi-dev libxxf86vm-dev libasound2-dev)
run=(libasound2 dbus-x11 gnome-keyring)
test=(xvfb xauth x11-apps xdotool imagemagick sip-tester kamailio kamailio-presence-modules
      kamailio-sqlite-modules kamailio-extra-modules kamailio-tls-modules baresip-core ffmpeg espeak-ng sox
      pocketsphinx pocketsphinx-en-us festival festvox-us-slt-hts slapd ldap-utils sqlite3 pulseaudio pulseaudio-utils
      desktop-file-utils appstream dbus-x11 gnome-keyring libsecret-tools openssl libasound2-plugins
      gcc-mingw-w64-x86-64 binutils-mingw-w64-x86-64 nsis 7zip xz-utils)
dist=(gcc-mingw-w64-x86-64 nsis msitools osslsigncode binutils-mingw-w64-x86-64 dpkg-dev
      desktop-file-utils appstream 7zip xz-utils)

want=()
for g in "$@"; do
  case "$g" in
    build) want+=("${build[@]}") ;;
    run) want+=("${run[@]}") ;;
    test) want+=("${test[@]}") ;;
    dist) want+=("${dist[@]}") ;;
    *) echo "deps.sh: unknown group $g (build, run, test, dist)" >&2; exit 2 ;;
  esac
done

if ! command -v apt-get >/dev/null 2>&1; then
  echo "deps.sh: no apt-get here; install by hand: ${want[*]}" >&2
  exit 0
fi

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# de-duplicate
mapfile -t missing < <(printf '%s\n' "${missing[@]}" | awk 'NF && !seen[$0]++')
[ ${#missing[@]} -eq 0 ] && exit 0

as_root=(env DEBIAN_FRONTEND=noninteractive)
[ "$(id -u)" -ne 0 ] && as_root=(sudo env DEBIAN_FRONTEND=noninteractive)
echo "deps.sh: installing ${missing[*]}"
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
