// Package archtest holds the import rules of docs/ARCHITECTURE: only ui
// and the root program import Fyne, selfcare imports only the standard
// library, and each technology package points only where it may.
package archtest

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/ligne-app/ligne"

// goList runs go list with args in the module root.
func goList(t *testing.T, args ...string) []string {
	t.Helper()
	cmd := exec.Command("go", append([]string{"list"}, args...)...)
	cmd.Dir = "../.."
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list %v: %v", args, err)
	}
	return strings.Fields(string(out))
}

// deps returns the non-test dependencies (transitive) of pkg.
func deps(t *testing.T, pkg string) []string {
	return goList(t, "-deps", pkg)
}

func TestOnlyUIAndMainImportFyne(t *testing.T) {
	for _, pkg := range goList(t, "./...") {
		if pkg == module || pkg == module+"/ui" || strings.HasPrefix(pkg, module+"/ui/") {
			continue
		}
		for _, d := range deps(t, pkg) {
			if strings.HasPrefix(d, "fyne.io/") {
				t.Errorf("%s depends on %s: only ui and the root program may import Fyne", pkg, d)
				break
			}
		}
	}
}

func TestSelfcareIsStandardLibraryOnly(t *testing.T) {
	for _, line := range goList(t, "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", "./selfcare") {
		if line != module+"/selfcare" {
			t.Errorf("selfcare depends on %s: it must use the standard library only", line)
		}
	}
}

// forbidden lists, per package, module packages it must not depend on.
var forbidden = map[string][]string{
	"selfcare":     {"store", "softphone", "media", "provision", "ui"},
	"store":        {"softphone", "media", "provision", "ui"},
	"media":        {"selfcare", "store", "softphone", "provision", "ui"},
	"softphone":    {"store", "provision", "ui"},
	"provision":    {"store", "softphone", "media", "ui"},
	"ui":           {"store"},
	"cmd/lignectl": {"ui"},
}

func TestImportDirections(t *testing.T) {
	for pkg, bans := range forbidden {
		if _, err := os.Stat("../../" + pkg); err != nil {
			continue // not written yet
		}
		for _, d := range deps(t, "./"+pkg) {
			for _, b := range bans {
				if d == module+"/"+b || strings.HasPrefix(d, module+"/"+b+"/") {
					t.Errorf("%s depends on %s, which ARCHITECTURE.md forbids", pkg, b)
				}
			}
		}
	}
}
