// Package version carries the version stamped into Ligne's binaries at
// link time: go build -ldflags "-X github.com/ligne-app/ligne/internal/version.version=v1.2.3".
package version

import "runtime/debug"

// version is set by the linker from git describe (see the Makefile).
var version = ""

// String returns the stamped version, or the module/VCS information Go
// recorded, or "dev".
func String() string {
	if version != "" {
		return version
	}
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				return "dev-" + s.Value[:12]
			}
		}
	}
	return "dev"
}
