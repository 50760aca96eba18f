package peers

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// Pulse is a private PulseAudio server with two null sinks, "ligne" and
// "peer" ("ligne" is the default); their monitors are the capture
// devices ("ligne.monitor", "peer.monitor").
type Pulse struct {
	Server string // "unix:/path/native", for PULSE_SERVER
	proc   *process
}

// StartPulse runs a private PulseAudio server (no system or user
// configuration, anonymous clients on its own socket) and stops it in
// Cleanup.
func StartPulse(tb testing.TB) *Pulse {
	tb.Helper()
	bin := LookPath(tb, "pulseaudio", "pulseaudio")
	dir := tb.TempDir()
	socket := filepath.Join(dir, "native")
	cmd := exec.Command(bin, "-n", "--daemonize=no", "--exit-idle-time=-1", "--use-pid-file=no", "--disable-shm=yes",
		"-L", "module-native-protocol-unix socket="+socket+" auth-anonymous=1",
		"-L", "module-null-sink sink_name=ligne", "-L", "module-null-sink sink_name=peer")
	cmd.Env = append(os.Environ(), "HOME="+dir, "XDG_RUNTIME_DIR="+dir)
	log := &logBuffer{}
	p, err := startProcess("pulseaudio", cmd, log)
	if err != nil {
		tb.Fatal(err)
	}
	attachLog(tb, "pulseaudio", log)
	tb.Cleanup(p.stop)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	err = waitUntil(ctx, func() error {
		if p.exited() {
			return fmt.Errorf("pulseaudio: %w", errExited)
		}
		_, err := os.Stat(socket)
		return err
	})
	if err != nil {
		tb.Fatalf("pulseaudio did not start: %v", err)
	}
	return &Pulse{Server: "unix:" + socket, proc: p}
}

// Stop ends the server now (a sound server that goes away mid-call).
func (p *Pulse) Stop() { p.proc.stop() }
