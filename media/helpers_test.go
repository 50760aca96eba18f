package media

import (
	"math"
	"os/exec"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// pcmBuffer is a goroutine-safe sink that keeps everything written to it.
type pcmBuffer struct {
	mu   sync.Mutex
	data []byte
}

func (b *pcmBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.data = append(b.data, p...)
	return len(p), nil
}

func (b *pcmBuffer) samples() []int16 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return BytesToSamples(nil, b.data)
}

func (b *pcmBuffer) duration(rate int) time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	return time.Duration(len(b.data)/2) * time.Second / time.Duration(rate)
}

// goertzel returns the power of frequency f in s (normalized so that a
// full-scale sine of amplitude A gives about A*A/4... relative use only).
func goertzel(s []int16, f float64, rate int) float64 {
	w := 2 * math.Pi * f / float64(rate)
	c := 2 * math.Cos(w)
	var s1, s2 float64
	for _, v := range s {
		s0 := float64(v) + c*s1 - s2
		s2, s1 = s1, s0
	}
	p := s1*s1 + s2*s2 - c*s1*s2
	return p / float64(len(s)) / float64(len(s)) * 2
}

// energy returns the mean power of s (so a sine of amplitude A gives A*A/2).
func energy(s []int16) float64 {
	var e float64
	for _, v := range s {
		e += float64(v) * float64(v)
	}
	return e / float64(max(1, len(s)))
}

// toneShare returns the fraction of the power of s at frequency f.
func toneShare(s []int16, f float64, rate int) float64 {
	e := energy(s)
	if e == 0 {
		return 0
	}
	return goertzel(s, f, rate) / e
}

// waitFor polls cond every 10 ms until it holds; the timeout only guards
// against a hang and is never a measurement.
func waitFor(t *testing.T, what string, timeout time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting (%s) for %s", timeout, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// mustTool fails the test when an external program the test needs is
// missing: a missing peer proves nothing, so it must not skip.
func mustTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s is not installed: run `scripts/deps.sh test` (make test does it): %v", name, err)
	}
	return p
}
