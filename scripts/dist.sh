#!/usr/bin/env bash
# dist.sh [-o DIR] TARGET... builds Ligne's release artefacts into DIR
# (default dist/). Targets:
#   linux      the fyne package tarball and the .deb        (dist-linux.sh)
#   windows    the NSIS installer and the portable zip      (dist-windows.sh)
#   notes      RELEASE_NOTES.md from packaging/RELEASE_NOTES.md.in
#   checksums  SHA256SUMS of every artefact in DIR
#   all        linux windows checksums notes (what make dist runs)
# The version is $VERSION, else git describe --tags --always --dirty.
# macOS is built on a Mac (dist-macos.sh, .github/workflows/macos.yml).
# Nothing is written outside DIR and temporary folders; FyneApp.toml and the
# rest of the tree are left as they are.
source "$(dirname "$0")/dist-lib.sh"

out=dist
if [ "${1:-}" = -o ]; then out=${2:?-o needs a folder}; shift 2; fi
[ $# -gt 0 ] || set -- all
OUT=$(outdir "$out")

# artefacts lists the artefact file names in $OUT (no checksums or notes).
artefacts() {
  (cd "$OUT" && find . -maxdepth 1 -type f -name 'ligne_*' -printf '%f\n' | LC_ALL=C sort)
}

# clean removes the artefacts of an earlier run from $OUT.
clean() {
  (cd "$OUT" && rm -f ligne_* SHA256SUMS RELEASE_NOTES.md)
}

# checksums writes $OUT/SHA256SUMS, checkable with sha256sum -c.
checksums() {
  local files
  mapfile -t files < <(artefacts)
  [ ${#files[@]} -gt 0 ] || die "no artefact in $OUT to checksum"
  (cd "$OUT" && sha256sum -- "${files[@]}" >SHA256SUMS)
  say "SHA256SUMS of ${#files[@]} files"
}

# notes writes $OUT/RELEASE_NOTES.md from the template.
notes() {
  [ -f "$OUT/SHA256SUMS" ] || checksums
  DATE=$(git log -1 --format=%cs 2>/dev/null || date -u +%F)
  CHECKSUMS=$(cat "$OUT/SHA256SUMS")
  local tmp=$OUT/.notes.in
  # CHECKSUMS spans lines: awk puts it in, subst the one-line values.
  awk -v sums="$CHECKSUMS" '{ if ($0 == "@CHECKSUMS@") print sums; else print }' \
    packaging/RELEASE_NOTES.md.in >"$tmp"
  subst "$tmp" "$OUT/RELEASE_NOTES.md" DATE
  rm -f "$tmp"
  say "RELEASE_NOTES.md for $VERSION"
}

for target in "$@"; do
  case $target in
    linux) "$ROOT/scripts/dist-linux.sh" "$OUT" ;;
    windows) "$ROOT/scripts/dist-windows.sh" "$OUT" ;;
    checksums) checksums ;;
    notes) notes ;;
    all)
      clean
      "$ROOT/scripts/dist-linux.sh" "$OUT"
      "$ROOT/scripts/dist-windows.sh" "$OUT"
      checksums
      notes
      ;;
    *) die "unknown target $target (linux, windows, notes, checksums, all)" ;;
  esac
done
