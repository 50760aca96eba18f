#!/usr/bin/env bash
# dist-macos.sh OUTDIR builds Ligne.app and its disk image on a Mac (Xcode
# command line tools, Go): OUTDIR/ligne_<PKG_VERSION>_macos_<arch>.dmg.
#   - ligne and lignectl built with the version stamped (cgo, the Mac's own arch);
#   - fyne package -os darwin makes Ligne.app (icon.icns, bundle layout);
#   - packaging/macos/Info.plist.in replaces fyne's Info.plist: CFBundleURLTypes
#     for tel:, sip:, callto: and NSMicrophoneUsageDescription (fr, en);
#   - lignectl goes beside ligne in Contents/MacOS;
#   - signed ad hoc, or with MACOS_SIGN_IDENTITY (hardened runtime and
#     packaging/macos/entitlements.plist); not notarized;
#   - hdiutil makes a compressed .dmg with a link to /Applications.
# .github/workflows/macos.yml runs it. It is not run on Linux, where only
#   dist-macos.sh --info-plist FILE
# works: it writes the Info.plist that the Mac build would use (the tests read it).
source "$(dirname "$0")/dist-lib.sh"

# info_plist writes the app's Info.plist to $1.
info_plist() { subst packaging/macos/Info.plist.in "$1"; }

if [ "${1:-}" = --info-plist ]; then
  info_plist "${2:?usage: dist-macos.sh --info-plist FILE}"
  exit 0
fi

OUT=$(outdir "${1:?usage: dist-macos.sh OUTDIR | --info-plist FILE}")
[ "$(uname -s)" = Darwin ] || die "dist-macos.sh builds on macOS only (see .github/workflows/macos.yml)"
ARCH=$("$GO" env GOARCH)

# build_binaries builds ligne and lignectl for this Mac into $1.
build_binaries() {
  say "build ligne and lignectl $VERSION for darwin/$ARCH"
  CGO_ENABLED=1 "$GO" build -ldflags "$(ldflags)" -o "$1/ligne" .
  CGO_ENABLED=1 "$GO" build -ldflags "$(ldflags)" -o "$1/lignectl" ./cmd/lignectl
}

# make_app runs fyne package in a scratch folder and completes the bundle;
# it prints the path of Ligne.app.
make_app() {
  local bin=$1 src=$WORK/fyne-src run=$WORK/app app
  fyne_src "$src"
  mkdir -p "$run"
  (cd "$run" && fyne package --os darwin --executable "$bin/ligne" --name Ligne --app-id "$APP_ID" \
    --app-version "$APP_VERSION" --app-build "$APP_BUILD" --icon "$ICON_PNG" --src "$src" >&2)
  app=$run/Ligne.app
  [ -d "$app/Contents/MacOS" ] || die "fyne package made no Ligne.app"
  info_plist "$app/Contents/Info.plist"
  plutil -lint "$app/Contents/Info.plist" >&2
  cp -R packaging/macos/en.lproj packaging/macos/fr.lproj "$app/Contents/Resources/"
  install -m 0755 "$bin/lignectl" "$app/Contents/MacOS/lignectl"
  echo "$app"
}

# sign signs the bundle $1: ad hoc, or with MACOS_SIGN_IDENTITY.
sign() {
  local identity=${MACOS_SIGN_IDENTITY:--}
  if [ "$identity" = - ]; then
    codesign --force --deep --sign - "$1"
  else
    codesign --force --deep --timestamp --options runtime \
      --entitlements packaging/macos/entitlements.plist --sign "$identity" "$1"
  fi
  codesign --verify --deep --strict "$1"
}

# make_dmg puts the bundle $1 and a link to /Applications into a disk image.
make_dmg() {
  local stage=$WORK/dmg dmg=$OUT/ligne_${PKG_VERSION}_macos_$ARCH.dmg
  mkdir -p "$stage"
  cp -R "$1" "$stage/"
  ln -s /Applications "$stage/Applications"
  rm -f "$dmg"
  # hdiutil create fails now and then with "Resource busy" on CI runners: try thrice.
  local try
  for try in 1 2 3; do
    hdiutil create -volname "Ligne $APP_VERSION" -srcfolder "$stage" -fs HFS+ -format UDZO -ov "$dmg" >&2 && break
    [ "$try" = 3 ] && die "hdiutil create failed"
    sleep 5
  done
  say "$(basename "$dmg")"
}

need hdiutil codesign plutil
workdir
build_binaries "$WORK/bin"
app=$(make_app "$WORK/bin")
sign "$app"
make_dmg "$app"
