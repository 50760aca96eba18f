#!/usr/bin/env bash
# dist-windows.sh OUTDIR cross-compiles Ligne for Windows (amd64, mingw-w64,
# cgo) and builds into OUTDIR:
#   ligne_<PKG_VERSION>_windows_amd64_setup.exe  the NSIS installer (per user)
#   ligne_<PKG_VERSION>_windows_amd64.zip        ligne.exe and lignectl.exe, portable
# Both programs carry the icon, the version resource and the manifest of
# packaging/windows, compiled by windres and linked in by the external linker.
source "$(dirname "$0")/dist-lib.sh"

OUT=$(outdir "${1:?usage: dist-windows.sh OUTDIR}")
CC_WIN=${CC_WIN:-x86_64-w64-mingw32-gcc}
WINDRES=${WINDRES:-x86_64-w64-mingw32-windres}
ICO_SIZES=16,24,32,48,64,128,256

# make_icon renders the icon sizes and packs them into $1 (a .ico file).
make_icon() {
  local dir=$WORK/ico size pngs=()
  render_icons "$dir" "$ICO_SIZES"
  for size in ${ICO_SIZES//,/ }; do pngs+=("$dir/ligne-$size.png"); done
  "$GO" run ./packaging/cmd/mkico -out "$1" "${pngs[@]}"
}

# make_resources compiles the resources of program $1 (ligne or lignectl)
# described as $2 into $WORK/$1-rsrc.o.
make_resources() {
  EXE=$1 DESCRIPTION=$2 ICO=$WORK/ligne.ico MANIFEST=$WORK/$1.exe.manifest
  WIN_COMMAS=${WIN_VERSION//./,} FILEFLAGS=0
  [ "$RELEASE" = 1 ] || FILEFLAGS=VS_FF_PRERELEASE
  subst packaging/windows/ligne.exe.manifest.in "$MANIFEST" "EXE DESCRIPTION"
  subst packaging/windows/ligne.rc.in "$WORK/$1.rc" "EXE DESCRIPTION ICO MANIFEST WIN_COMMAS FILEFLAGS"
  "$WINDRES" --codepage=65001 -O coff -i "$WORK/$1.rc" -o "$WORK/$1-rsrc.o"
}

# build_exe cross-compiles package $2 into $WORK/$1.exe with its resources;
# $3 is "gui" for a windowed program, "console" otherwise.
build_exe() {
  local flags
  flags="$(ldflags) -linkmode=external -extldflags=$WORK/$1-rsrc.o"
  [ "$3" = gui ] && flags="$flags -H=windowsgui"
  say "build $1.exe $VERSION for windows/amd64 (mingw-w64; a few minutes the first time)"
  CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC="$CC_WIN" "$GO" build -ldflags "$flags" -o "$WORK/$1.exe" "$2"
}

# package_zip puts both programs into the portable zip.
package_zip() {
  local zip=$OUT/ligne_${PKG_VERSION}_windows_amd64.zip
  rm -f "$zip"
  (cd "$WORK" && 7zz a -tzip -bso0 -bsp0 "$zip" ligne.exe lignectl.exe)
}

# package_installer compiles packaging/windows/ligne.nsi.
package_installer() {
  local setup=$OUT/ligne_${PKG_VERSION}_windows_amd64_setup.exe
  say "installer $(basename "$setup")"
  makensis -V2 -WX -DVERSION="$VERSION" -DWIN_VERSION="$WIN_VERSION" -DSRCDIR="$WORK" \
    -DOUTFILE="$setup" packaging/windows/ligne.nsi >&2
}

need "$CC_WIN" "$WINDRES" makensis 7zz
workdir
[[ $WORK != *[[:space:]]* ]] || die "the temporary folder $WORK has a space: set TMPDIR"
make_icon "$WORK/ligne.ico"
make_resources ligne "Ligne - softphone et selfcare"
make_resources lignectl "lignectl - Ligne en ligne de commande"
build_exe ligne . gui
build_exe lignectl ./cmd/lignectl console
package_zip
package_installer
say "windows artefacts in $OUT"
