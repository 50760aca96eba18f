// Package xvfb starts a private X server (Xvfb) for tests that run Ligne's
// real window, on a display number Xvfb picks itself.
package xvfb

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// Start runs Xvfb with a screen of width x height for the rest of the test
// and returns its DISPLAY value (":N").
func Start(t testing.TB, width, height int) string {
	t.Helper()
	if _, err := exec.LookPath("Xvfb"); err != nil {
		t.Fatal("Xvfb is missing: install xvfb (make test does: scripts/deps.sh test)")
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	screen := fmt.Sprintf("%dx%dx24", width, height)
	cmd := exec.Command("Xvfb", "-displayfd", "3", "-screen", "0", screen, "-nolisten", "tcp", "-noreset")
	cmd.ExtraFiles = []*os.File{w}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start Xvfb: %v", err)
	}
	w.Close()
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(r).ReadString('\n')
	r.Close()
	if err != nil {
		t.Fatalf("Xvfb gave no display number: %v", err)
	}
	return ":" + strings.TrimSpace(line)
}
