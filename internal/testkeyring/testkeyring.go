// Package testkeyring starts a private Secret Service for tests: a session
// D-Bus and gnome-keyring-daemon with a fresh, unlocked login keyring in a
// temporary folder. Tests then exercise the real OS keyring code path
// (github.com/zalando/go-keyring over D-Bus), not a fake.
package testkeyring

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ligne-app/ligne/internal/syncbuf"
)

// Start runs the keyring for the rest of the test and points the process
// environment at it (so it cannot be used with t.Parallel).
func Start(t testing.TB) {
	t.Helper()
	for _, bin := range []string{"dbus-daemon", "gnome-keyring-daemon"} {
		if _, err := exec.LookPath(bin); err != nil {
			t.Fatalf("%s is missing: install dbus and gnome-keyring (make test does: scripts/deps.sh test)", bin)
		}
	}
	dir := t.TempDir()
	data, runtime := filepath.Join(dir, "data"), filepath.Join(dir, "run")
	for _, d := range []string{data, runtime} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("XDG_DATA_HOME", data)
	t.Setenv("XDG_RUNTIME_DIR", runtime)
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", startBus(t, filepath.Join(dir, "bus")))
	startKeyring(t)
}

// busConfig is a session bus without service activation: D-Bus must not
// start a second, locked gnome-keyring when the probe comes before ours.
const busConfig = `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=%s</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`

// startBus runs a session bus on a unix socket and returns its address.
func startBus(t testing.TB, socket string) string {
	t.Helper()
	conf := socket + ".conf"
	if err := os.WriteFile(conf, []byte(fmt.Sprintf(busConfig, socket)), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("dbus-daemon", "--config-file="+conf, "--nofork", "--print-address=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start dbus-daemon: %v", err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	addr, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("dbus-daemon gave no address: %v", err)
	}
	return strings.TrimSpace(addr)
}

// startKeyring runs gnome-keyring-daemon with the secrets component and
// unlocks (creates) the login keyring, then waits until it answers.
func startKeyring(t testing.TB) {
	t.Helper()
	cmd := exec.Command("gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets")
	cmd.Stdin = strings.NewReader("ligne-test-keyring")
	cmd.Env = os.Environ()
	logs := &syncbuf.Buffer{}
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatalf("start gnome-keyring-daemon: %v", err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		if probe() {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("gnome-keyring did not store a secret on the session bus; its output:\n%s", logs.String())
}

// probe stores, reads back and clears an item: the keyring is ready only
// when its default collection exists and is unlocked.
func probe() bool {
	store := exec.Command("secret-tool", "store", "--label=probe", "service", "ligne-probe", "k", "v")
	store.Stdin = strings.NewReader("ok")
	if store.Run() != nil {
		return false
	}
	out, err := exec.Command("secret-tool", "lookup", "service", "ligne-probe", "k", "v").Output()
	exec.Command("secret-tool", "clear", "service", "ligne-probe", "k", "v").Run()
	return err == nil && string(out) == "ok"
}
