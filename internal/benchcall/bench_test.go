package benchcall

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ligne-app/ligne/internal/peers"
	"github.com/ligne-app/ligne/internal/syncbuf"
	"github.com/ligne-app/ligne/internal/testkeyring"
)

var users = map[string]string{"4021": "pw-4021", "4022": "pw-4022", "4023": "pw-4023"}

// callLength is how long each measured call lasts (LIGNE_BENCH_CALL seconds).
func callLength() time.Duration {
	if s, err := strconv.Atoi(os.Getenv("LIGNE_BENCH_CALL")); err == nil && s > 0 {
		return time.Duration(s) * time.Second
	}
	return time.Minute
}

// BenchmarkCallCPULigneVsBaresip prints each callee's CPU seconds per call
// minute and their ratio (Ligne / baresip). Run it with scripts/bench-call.
func BenchmarkCallCPULigneVsBaresip(b *testing.B) {
	b.Setenv("PULSE_SERVER", peers.StartPulse(b).Server)
	testkeyring.Start(b)
	k := peers.StartKamailio(b, peers.KamailioOptions{Users: users})
	start := func(user string, auto bool) *peers.Baresip {
		p := peers.StartBaresip(b, peers.BaresipOptions{User: user, Password: users[user], Domain: k.Domain,
			Proxy: k.URI() + ";transport=udp", AutoAnswer: auto, Sound: "alsa,pulse"})
		if err := p.WaitRegistered(context.Background()); err != nil {
			b.Fatal(err)
		}
		return p
	}
	callee := start("4022", true)
	caller := start("4023", false)
	ligne := startLigne(b, k)
	d := callLength()
	for b.Loop() {
		ligneCPU, callerWithLigne := measure(b, caller, "sip:4021@"+k.Domain, ligne, d)
		bareCPU, callerWithBare := measure(b, caller, "sip:4022@"+k.Domain, callee.PID(), d)
		perMin := func(s float64) float64 { return s / d.Minutes() }
		b.ReportMetric(perMin(ligneCPU), "ligne-cpu-s/min")
		b.ReportMetric(perMin(bareCPU), "baresip-cpu-s/min")
		b.ReportMetric(ligneCPU/bareCPU, "ratio")
		fmt.Printf("\ncall of %s, CPU seconds per call minute (answering side; caller baresip in brackets)\n", d)
		fmt.Printf("  Ligne   (lignectl run --sound): %.2f  [caller %.2f]\n", perMin(ligneCPU), perMin(callerWithLigne))
		fmt.Printf("  baresip (alsa,pulse):           %.2f  [caller %.2f]\n", perMin(bareCPU), perMin(callerWithBare))
		fmt.Printf("  ratio Ligne / baresip:          %.2f\n\n", ligneCPU/bareCPU)
	}
}

// measure makes caller call target, and returns the CPU seconds the
// answering process and the caller used during a call of d.
func measure(b *testing.B, caller *peers.Baresip, target string, callee int, d time.Duration) (float64, float64) {
	ctx := context.Background()
	caller.ForgetEvents()
	if err := caller.Dial(ctx, target); err != nil {
		b.Fatal(err)
	}
	if _, err := caller.WaitEvent(ctx, "CALL_ESTABLISHED"); err != nil {
		b.Fatal(err)
	}
	time.Sleep(time.Second) // past call setup: measure the steady call
	c0, r0 := cpuSeconds(b, callee), cpuSeconds(b, caller.PID())
	time.Sleep(d)
	c1, r1 := cpuSeconds(b, callee), cpuSeconds(b, caller.PID())
	caller.Hangup(ctx)
	caller.WaitAllClosed(ctx)
	return c1 - c0, r1 - r0
}

// cpuSeconds reads a process's user + system CPU time from /proc.
func cpuSeconds(b *testing.B, pid int) float64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		b.Fatal(err)
	}
	fields := strings.Fields(string(data[strings.LastIndexByte(string(data), ')')+2:]))
	utime, _ := strconv.ParseFloat(fields[11], 64)
	stime, _ := strconv.ParseFloat(fields[12], 64)
	return (utime + stime) / 100 // USER_HZ
}

// startLigne builds lignectl and runs it as 4021 answering on the sound
// card, and returns its pid.
func startLigne(b *testing.B, k *peers.Kamailio) int {
	bin := filepath.Join(b.TempDir(), "lignectl")
	if out, err := exec.Command("go", "build", "-o", bin, "../../cmd/lignectl").CombinedOutput(); err != nil {
		b.Fatalf("build lignectl: %v\n%s", err, out)
	}
	data := b.TempDir()
	set := exec.Command(bin, "--data", data, "account", "set", "--user", "4021", "--domain", k.Domain,
		"--proxy", k.Addr(), "--password-stdin")
	set.Stdin = strings.NewReader(users["4021"])
	if out, err := set.CombinedOutput(); err != nil {
		b.Fatalf("account set: %v\n%s", err, out)
	}
	run := exec.Command(bin, "--data", data, "run", "--auto-answer", "--sound", "--listen", "127.0.0.1:0")
	if p := os.Getenv("LIGNE_BENCH_PROFILE"); p != "" {
		run.Env = append(os.Environ(), "LIGNE_CPUPROFILE="+p)
	}
	out := &syncbuf.Buffer{}
	run.Stdout, run.Stderr = out, out
	if err := run.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { run.Process.Signal(os.Interrupt); run.Wait() })
	for deadline := time.Now().Add(20 * time.Second); !strings.Contains(out.String(), `"state":"registered"`); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			b.Fatalf("lignectl run did not register:\n%s", out.String())
		}
	}
	return run.Process.Pid
}
