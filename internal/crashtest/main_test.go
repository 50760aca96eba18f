package crashtest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

// lignectlBin is the lignectl built for these tests by TestMain.
var lignectlBin string

// TestMain builds lignectl once, without the race detector: the kills
// need a program running at its normal speed.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "crashtest-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	lignectlBin = filepath.Join(dir, "lignectl")
	if out, err := exec.Command(goTool(), "build", "-o", lignectlBin, "github.com/ligne-app/ligne/cmd/lignectl").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "build lignectl: %v\n%s", err, out)
		os.Exit(1)
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
