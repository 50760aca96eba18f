package softphone

import (
	"context"
	"encoding/binary"
	"math"
	"sync"
	"testing"
	"time"

	"github.com/ligne-app/ligne/internal/peers"
	"github.com/ligne-app/ligne/media"
)

// pcmRecorder is a media sink keeping what Ligne hears (s16le, 8 kHz).
type pcmRecorder struct {
	mu  sync.Mutex
	pcm []byte
}

func (r *pcmRecorder) Write(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.pcm = append(r.pcm, p...)
	return len(p), nil
}

// reset forgets what was heard so far.
func (r *pcmRecorder) reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.pcm = nil
}

func (r *pcmRecorder) wav() peers.WAV {
	r.mu.Lock()
	defer r.mu.Unlock()
	w := peers.WAV{Rate: 8000, Samples: make([]float64, len(r.pcm)/2)}
	for i := range w.Samples {
		w.Samples[i] = float64(int16(binary.LittleEndian.Uint16(r.pcm[2*i:]))) / 32768
	}
	return w
}

// playTone makes the call send a continuous tone and record what it hears.
func playTone(t *testing.T, c *Call, hz float64) *pcmRecorder {
	t.Helper()
	s := c.Media()
	if s == nil {
		t.Fatalf("call %s has no media", c.ID())
	}
	rec := &pcmRecorder{}
	s.SetSource(media.NewToneReader(media.Tone{Name: "test", Freqs: []float64{hz}, Level: 0.3}, 8000), 8000)
	s.SetSink(rec, 8000)
	return rec
}

// listen lets audio flow for d (the tone needs time to be heard; this is
// not a speed assertion).
func listen(d time.Duration) { time.Sleep(d) }

// assertHears checks the dominant tone of what Ligne recorded.
func assertHears(t *testing.T, who string, w peers.WAV, hz float64) {
	t.Helper()
	tone := peers.DominantTone(w)
	if math.Abs(tone.Hz-hz) > 10 || tone.Seconds < 0.5 || tone.Purity < 0.5 {
		t.Fatalf("%s heard %+v (%.1f s recorded), want a %v Hz tone", who, tone, float64(len(w.Samples))/float64(w.Rate), hz)
	}
	t.Logf("%s heard %.0f Hz (purity %.2f, %.1f s of sound)", who, tone.Hz, tone.Purity, tone.Seconds)
}

// assertBaresipHeard checks the newest recording of what baresip received.
func assertBaresipHeard(t *testing.T, b *peers.Baresip, hz float64) {
	t.Helper()
	if err := b.WaitAllClosed(bctx(t)); err != nil {
		t.Fatal(err)
	}
	files := b.Recordings("dec")
	if len(files) == 0 {
		t.Fatalf("baresip %s recorded nothing", b.AOR)
	}
	w, err := peers.ReadWAV(files[len(files)-1])
	if err != nil {
		t.Fatal(err)
	}
	assertHears(t, "baresip "+b.AOR, w, hz)
}

// bctx is a context bounded by the failure guard.
func bctx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), guard)
	t.Cleanup(cancel)
	return ctx
}

// waitState waits for c to reach s (failure guard only).
func waitAnswered(t *testing.T, c *Call) {
	t.Helper()
	select {
	case <-c.Answered():
	case <-c.Done():
		e, _ := c.EndInfo()
		t.Fatalf("call %s ended before answer: %+v", c.ID(), e)
	case <-time.After(guard):
		t.Fatalf("call %s not answered within %v", c.ID(), guard)
	}
}

func waitEnded(t *testing.T, c *Call) CallEndedEvent {
	t.Helper()
	select {
	case <-c.Done():
	case <-time.After(guard):
		t.Fatalf("call %s not ended within %v", c.ID(), guard)
	}
	e, _ := c.EndInfo()
	return e
}

// startBaresip starts a registered baresip user on k.
func startBaresip(t *testing.T, k *peers.Kamailio, user string, hz int, auto bool) *peers.Baresip {
	t.Helper()
	b := peers.StartBaresip(t, peers.BaresipOptions{User: user, Password: regUsers[user], Domain: k.Domain,
		Proxy: k.URI() + ";transport=udp", AutoAnswer: auto, ToneHz: hz})
	if err := b.WaitRegistered(bctx(t)); err != nil {
		t.Fatal(err)
	}
	return b
}
