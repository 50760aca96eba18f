// Package peers starts real SIP programs (Kamailio, baresip, sipp) for tests.
//
// Every helper binds to free 127.0.0.1 ports, waits until the program is
// ready, stops it in t.Cleanup and attaches its log to the test when the test
// fails. A missing program is a test failure naming the Debian package to
// install (scripts/deps.sh test), never a skip: a test that skips proves
// nothing.
package peers

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Loopback is the only address the peers listen on.
const Loopback = "127.0.0.1"

// LookPath returns the path of program or fails the test with the Debian
// package that provides it.
func LookPath(tb testing.TB, program, debianPackage string) string {
	tb.Helper()
	p, err := exec.LookPath(program)
	if err != nil {
		tb.Fatalf("%s not found: install the Debian package %q (scripts/deps.sh test)", program, debianPackage)
	}
	return p
}

// FreePort returns a port free for both UDP and TCP on 127.0.0.1.
func FreePort(tb testing.TB) int {
	tb.Helper()
	for range 50 {
		if p, ok := tryPort(); ok {
			return p
		}
	}
	tb.Fatalf("no free port on %s", Loopback)
	return 0
}

// FreePorts returns n distinct ports from FreePort.
func FreePorts(tb testing.TB, n int) []int {
	tb.Helper()
	seen := map[int]bool{}
	var out []int
	for len(out) < n {
		p := FreePort(tb)
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}

func tryPort() (int, bool) {
	l, err := net.ListenTCP("tcp4", &net.TCPAddr{IP: net.ParseIP(Loopback)})
	if err != nil {
		return 0, false
	}
	defer l.Close()
	port := l.Addr().(*net.TCPAddr).Port
	u, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.ParseIP(Loopback), Port: port})
	if err != nil {
		return 0, false
	}
	u.Close()
	return port, true
}

// HostPort joins the loopback address and port.
func HostPort(port int) string {
	return net.JoinHostPort(Loopback, strconv.Itoa(port))
}

// logBuffer is a goroutine-safe buffer that collects a program's output.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write appends program output.
func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns everything written so far.
func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// process is one running program with its collected output.
type process struct {
	name string
	cmd  *exec.Cmd
	log  *logBuffer
	done chan struct{}
	err  error
}

// startProcess starts a program in its own process group.
func startProcess(name string, cmd *exec.Cmd, log *logBuffer) (*process, error) {
	cmd.Stdout = log
	cmd.Stderr = log
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	p := &process{name: name, cmd: cmd, log: log, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	return p, nil
}

// exited reports whether the program has ended.
func (p *process) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// stop ends the program (its process group, by id): SIGTERM, then SIGKILL.
func (p *process) stop() {
	if p.exited() {
		return
	}
	pgid := -p.cmd.Process.Pid
	_ = syscall.Kill(pgid, syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(5 * time.Second):
		_ = syscall.Kill(pgid, syscall.SIGKILL)
		<-p.done
	}
	// Children that outlived the leader still belong to the group: kill
	// them and wait (bounded) until they are gone, so that a restart does
	// not find their ports or files still held.
	_ = syscall.Kill(pgid, syscall.SIGKILL)
	for range 100 {
		if syscall.Kill(pgid, 0) != nil {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// exitCode returns the program's exit code once it has ended.
func (p *process) exitCode() int {
	var ee *exec.ExitError
	if errors.As(p.err, &ee) {
		return ee.ExitCode()
	}
	if p.err != nil {
		return -1
	}
	return 0
}

// attachLog logs a program's output when the test fails.
func attachLog(tb testing.TB, name string, log *logBuffer) {
	tb.Cleanup(func() {
		if tb.Failed() {
			tb.Logf("----- %s log -----\n%s\n----- end of %s log -----", name, log.String(), name)
		}
	})
}

// errExited tells waitUntil that waiting longer is useless.
var errExited = errors.New("program exited")

// waitUntil polls check every 50 ms until it succeeds, fails with
// errExited, or ctx ends.
func waitUntil(ctx context.Context, check func() error) error {
	var last error
	for {
		if last = check(); last == nil || errors.Is(last, errExited) {
			return last
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w (last error: %v)", ctx.Err(), last)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// writeFile writes a file or fails the test.
func writeFile(tb testing.TB, path, content string) {
	tb.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		tb.Fatalf("write %s: %v", path, err)
	}
}
