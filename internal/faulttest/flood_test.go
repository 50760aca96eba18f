package faulttest

import (
	"runtime"
	"testing"
	"time"

	"github.com/ligne-app/ligne/internal/peers"
	"github.com/ligne-app/ligne/softphone"
)

// TestInviteFlood: 200 INVITEs in 10 s (20 a second, sipp). Ligne rings
// for the first ones, up to its call limit (8), and answers every other
// one 486 Busy Here at once; each call ends cleanly (sipp counts all 200
// as completed: busy, or ringing then cancelled). Afterwards no call is
// left, and the goroutines and the heap come back to what they were
// before the flood.
func TestInviteFlood(t *testing.T) {
	p, ev := phone(t, softphone.Account{User: "ligne", Domain: peers.Loopback, NoRegister: true}, softphone.Options{})
	goroutines, heap := baseline()
	t0 := time.Now()
	res := peers.Sipp(t, "testdata/flood.xml", p.LocalAddr(), "-s", "ligne", "-m", "200", "-r", "20", "-rp", "1000", "-l", "200")
	if res.ExitCode != 0 || res.Successful != 200 {
		t.Fatalf("sipp: exit %d, %d calls completed, %d failed\n%s", res.ExitCode, res.Successful, res.Failed, tail(res.Log, 4000))
	}
	rang := 0
	for _, x := range ev.since(t0) {
		if _, ok := x.ev.(softphone.CallIncomingEvent); ok {
			rang++
		}
	}
	until(t, "no call left", func() bool { return len(p.Calls()) == 0 })
	until(t, "goroutines back to the baseline", func() bool { return runtime.NumGoroutine() <= goroutines+2 })
	after := heapInUse()
	t.Logf("200 INVITEs: %d rang (cancelled by the caller 1.5 s later), %d got 486 at once; goroutines %d -> %d, heap %d KB -> %d KB",
		rang, 200-rang, goroutines, runtime.NumGoroutine(), heap>>10, after>>10)
	if rang == 0 || rang == 200 {
		t.Fatalf("%d calls rang: the call limit did not apply", rang)
	}
	if after > heap+8<<20 {
		t.Fatalf("heap %d KB after the flood, %d KB before", after>>10, heap>>10)
	}
}

// baseline measures the goroutines and the heap in use.
func baseline() (int, uint64) {
	time.Sleep(200 * time.Millisecond) // let the phone's start settle
	return runtime.NumGoroutine(), heapInUse()
}

func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[len(s)-n:]
}
