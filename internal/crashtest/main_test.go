package crashtest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

// The programs built for these tests by TestMain: lignectl, and the
// voicemail process the crash tests kill.
var lignectlBin, vmchildBin string

// TestMain builds lignectl and vmchild once, without the race detector:
// the kills need programs running at their normal speed.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "crashtest-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	lignectlBin, vmchildBin = filepath.Join(dir, "lignectl"), filepath.Join(dir, "vmchild")
	for bin, pkg := range map[string]string{lignectlBin: "github.com/ligne-app/ligne/cmd/lignectl",
		vmchildBin: "github.com/ligne-app/ligne/internal/crashtest/vmchild"} {
		if out, err := exec.Command(goTool(), "build", "-o", bin, pkg).CombinedOutput(); err != nil {
			fmt.Fprintf(os.Stderr, "build %s: %v\n%s", pkg, err, out)
			os.Exit(1)
		}
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// goTool is the go command that built this test (make may call it by
// its full path without putting it on PATH).
func goTool() string {
	if p := filepath.Join(runtime.GOROOT(), "bin", "go"); fileExists(p) {
		return p
	}
	return "go"
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
