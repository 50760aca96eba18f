// Package packaging holds Ligne's installers and the tests that build and
// check them. The Go code is the tests (and cmd/mkico, which packs the
// Windows icon); the rest of the folder is the packaging itself:
//
//	linux/     desktop entry (tel:, sip:, callto: handlers), AppStream metainfo, nfpm config of the .deb
//	windows/   version resource and manifest templates of the .exe files, the NSIS installer script
//	macos/     Info.plist template (URL types, microphone), its fr/en texts, entitlements
//	RELEASE_NOTES.md.in  the release notes template
//
// scripts/dist.sh (make dist) builds the Linux and Windows artefacts from
// these files; scripts/dist-macos.sh builds the macOS disk image on a Mac
// (.github/workflows/macos.yml). docs/packaging.md tells the whole story.
package packaging
