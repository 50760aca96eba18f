package benchcall

import (
	"fmt"
	"testing"
	"time"

	"github.com/ligne-app/ligne/internal/peers"
	"github.com/ligne-app/ligne/internal/testkeyring"
)

// BenchmarkIdleCPU is Ligne's CPU per minute with the sound card open and
// no call (what the user pays for just having Ligne running).
func BenchmarkIdleCPU(b *testing.B) {
	b.Setenv("PULSE_SERVER", peers.StartPulse(b).Server)
	testkeyring.Start(b)
	k := peers.StartKamailio(b, peers.KamailioOptions{Users: users})
	ligne := startLigne(b, k)
	d := callLength()
	for b.Loop() {
		time.Sleep(time.Second)
		c0 := cpuSeconds(b, ligne)
		time.Sleep(d)
		idle := (cpuSeconds(b, ligne) - c0) / d.Minutes()
		b.ReportMetric(idle, "idle-cpu-s/min")
		fmt.Printf("\nLigne idle with the sound card open: %.2f CPU seconds per minute\n", idle)
	}
}
