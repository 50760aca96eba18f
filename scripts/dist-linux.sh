#!/usr/bin/env bash
# dist-linux.sh OUTDIR builds Ligne's Linux artefacts into OUTDIR:
#   ligne_<PKG_VERSION>_linux_amd64.tar.xz  the fyne package tarball (make install /
#                                           make user-install inside), with the
#                                           desktop entry of packaging/linux and lignectl
#   ligne_<PKG_VERSION>_amd64.deb           the Debian package (nfpm)
# Both install ligne and lignectl, the desktop entry (tel:, sip:, callto:
# handlers) and the icon; the .deb adds the hicolor icon sizes and the
# AppStream metainfo. MAINTAINER sets the .deb's Maintainer field.
source "$(dirname "$0")/dist-lib.sh"

OUT=$(outdir "${1:?usage: dist-linux.sh OUTDIR}")
MAINTAINER=${MAINTAINER:-Ligne <packaging@ligne.invalid>}
ICON_SIZES=16,24,32,48,64,128,256,512
export MAINTAINER

# build_binaries builds ligne and lignectl for Linux into $1 with the version stamped.
build_binaries() {
  say "build ligne and lignectl $VERSION for linux/amd64"
  "$GO" build -ldflags "$(ldflags)" -o "$1/ligne" .
  "$GO" build -ldflags "$(ldflags)" -o "$1/lignectl" ./cmd/lignectl
}

# glibc_needed prints the newest GLIBC_x.y symbol version the binaries in $@ use.
glibc_needed() {
  objdump -T "$@" | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -n1
}

# stage lays out under $1 the files the .deb installs, from the binaries in $2.
stage() {
  local root=$1 bin=$2 icons=$WORK/icons size
  install -Dm0755 "$bin/ligne" "$root/usr/bin/ligne"
  install -Dm0755 "$bin/lignectl" "$root/usr/bin/lignectl"
  install -Dm0644 packaging/linux/$APP_ID.desktop "$root/usr/share/applications/$APP_ID.desktop"
  DATE=$(git log -1 --format=%cs 2>/dev/null || date -u +%F)
  mkdir -p "$root/usr/share/metainfo"
  subst packaging/linux/$APP_ID.metainfo.xml.in "$root/usr/share/metainfo/$APP_ID.metainfo.xml" DATE
  render_icons "$icons" "$ICON_SIZES"
  for size in ${ICON_SIZES//,/ }; do
    install -Dm0644 "$icons/ligne-$size.png" "$root/usr/share/icons/hicolor/${size}x$size/apps/$APP_ID.png"
  done
  install -Dm0644 "$ICON_SVG" "$root/usr/share/icons/hicolor/scalable/apps/$APP_ID.svg"
  install -Dm0644 packaging/linux/copyright "$root/usr/share/doc/ligne/copyright"
}

# check_metadata validates the staged desktop entry and AppStream file.
check_metadata() {
  desktop-file-validate "$1/usr/share/applications/$APP_ID.desktop"
  appstreamcli validate --no-net "$1/usr/share/metainfo/$APP_ID.metainfo.xml" >&2
}

# package_deb builds the .deb from the staged tree $1 into $OUT.
package_deb() {
  local deb=$OUT/ligne_${PKG_VERSION}_amd64.deb
  say "deb $(basename "$deb")"
  STAGE=$1 GLIBC=$(glibc_needed "$1/usr/bin/ligne" "$1/usr/bin/lignectl") \
    nfpm package --config packaging/linux/nfpm.yaml --packager deb --target "$deb" >&2
}

# package_tarball runs fyne package on the built ligne in a scratch folder,
# then puts our desktop entry (URL handlers) and lignectl into its tarball.
package_tarball() {
  local bin=$1 src=$WORK/fyne-src run=$WORK/fyne-run tree
  local tarball=$OUT/ligne_${PKG_VERSION}_linux_amd64.tar.xz
  say "fyne package $(basename "$tarball")"
  fyne_src "$src"
  mkdir -p "$run"
  # XZ_OPT: fyne's own tarball is unpacked at once, so it is compressed fast.
  (cd "$run" && XZ_OPT=-0 fyne package --os linux --executable "$bin/ligne" --name Ligne --app-id "$APP_ID" \
    --app-version "$APP_VERSION" --app-build "$APP_BUILD" --icon "$ICON_PNG" --src "$src")
  mkdir -p "$run/x"
  tar -xJf "$run/Ligne.tar.xz" -C "$run/x"
  tree=$(find "$run/x" -mindepth 1 -maxdepth 1 -type d)
  complete_tarball_tree "$tree" "$bin"
  tar -cJf "$tarball" -C "$run/x" --owner=0 --group=0 --sort=name "$(basename "$tree")"
}

# complete_tarball_tree replaces fyne's desktop entry by ours and adds
# lignectl to the unpacked tarball $1 and to the install rules of its Makefile.
complete_tarball_tree() {
  local tree=$1 bin=$2 prefix desktop
  desktop=$(find "$tree/usr" -name "$APP_ID.desktop")
  [ -n "$desktop" ] || die "fyne package made no $APP_ID.desktop"
  cp packaging/linux/$APP_ID.desktop "$desktop"
  prefix=$(dirname "$(dirname "$(dirname "$desktop")")") # usr or usr/local
  install -m0755 "$bin/lignectl" "$prefix/bin/lignectl"
  local rel=${prefix#"$tree"/}
  sed -i \
    -e "/^install:/a\\	install -Dm00755 $rel/bin/lignectl \$(DESTDIR)\$(PREFIX)/bin/lignectl" \
    -e "/^uninstall:/a\\	-rm \$(DESTDIR)\$(PREFIX)/bin/lignectl" \
    -e "/^user-install:/a\\	install -Dm00755 $rel/bin/lignectl \$(DESTDIR)\$(HOME)/.local/bin/lignectl" \
    -e "/^user-uninstall:/a\\	-rm \$(DESTDIR)\$(HOME)/.local/bin/lignectl" \
    "$tree/Makefile"
  grep -q 'bin/lignectl' "$tree/Makefile" || die "could not add lignectl to fyne's Makefile"
}

need objdump tar xz desktop-file-validate appstreamcli
workdir
build_binaries "$WORK/bin"
stage "$WORK/root" "$WORK/bin"
check_metadata "$WORK/root"
package_tarball "$WORK/bin"
package_deb "$WORK/root"
say "linux artefacts in $OUT"
