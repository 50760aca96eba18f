package faulttest

import (
	"context"
	"encoding/binary"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/ligne-app/ligne/internal/faultnet"
	"github.com/ligne-app/ligne/internal/peers"
	"github.com/ligne-app/ligne/media"
	"github.com/ligne-app/ligne/softphone"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// guard bounds every wait: a failure guard, never a speed assertion.
const guard = 45 * time.Second

// events records a phone's events for a test.
type events struct {
	mu   sync.Mutex
	list []timed
	wake chan struct{}
}

// timed is an event and when the test saw it.
type timed struct {
	at time.Time
	ev softphone.Event
}

// phone starts a phone on loopback, records its events and shuts it down
// at the end of the test.
func phone(t *testing.T, acct softphone.Account, opts softphone.Options) (*softphone.Phone, *events) {
	t.Helper()
	opts.ListenAddr = "127.0.0.1:0"
	opts.Logger = slog.New(slog.DiscardHandler)
	p, err := softphone.New(acct, opts)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ev := &events{wake: make(chan struct{}, 1)}
	done := make(chan struct{})
	go ev.collect(p.Subscribe(ctx), done)
	if err := p.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		sctx, scancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer scancel()
		_ = p.Shutdown(sctx)
		cancel()
		<-done
	})
	return p, ev
}

func (e *events) collect(ch <-chan softphone.Event, done chan struct{}) {
	defer close(done)
	for ev := range ch {
		e.mu.Lock()
		e.list = append(e.list, timed{at: time.Now(), ev: ev})
		e.mu.Unlock()
		select {
		case e.wake <- struct{}{}:
		default:
		}
	}
}

// since returns the events seen at or after t0.
func (e *events) since(t0 time.Time) []timed {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []timed
	for _, x := range e.list {
		if !x.at.Before(t0) {
			out = append(out, x)
		}
	}
	return out
}

// wait returns the first event at or after t0 that matches.
func (e *events) wait(t *testing.T, t0 time.Time, what string, match func(softphone.Event) bool) timed {
	t.Helper()
	deadline := time.NewTimer(guard)
	defer deadline.Stop()
	for {
		for _, x := range e.since(t0) {
			if match(x.ev) {
				return x
			}
		}
		select {
		case <-e.wake:
		case <-deadline.C:
			t.Fatalf("no %s within %v", what, guard)
		}
	}
}

func isReg(s softphone.RegistrationState) func(softphone.Event) bool {
	return func(ev softphone.Event) bool {
		r, ok := ev.(softphone.RegistrationEvent)
		return ok && r.State == s
	}
}

func isEnded(ev softphone.Event) bool {
	_, ok := ev.(softphone.CallEndedEvent)
	return ok
}

// pcmSink keeps what a call hears (s16le at 8 kHz).
type pcmSink struct {
	mu  sync.Mutex
	pcm []int16
}

func (s *pcmSink) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := 0; i+1 < len(p); i += 2 {
		s.pcm = append(s.pcm, int16(binary.LittleEndian.Uint16(p[i:])))
	}
	return len(p), nil
}

// hears reports whether the last half second is the tone hz.
func (s *pcmSink) hears(hz float64) bool {
	s.mu.Lock()
	n := len(s.pcm)
	last := append([]int16(nil), s.pcm[max(0, n-4000):]...)
	s.mu.Unlock()
	if len(last) < 4000 {
		return false
	}
	w := peers.WAV{Rate: 8000, Samples: make([]float64, len(last))}
	for i, v := range last {
		w.Samples[i] = float64(v) / 32768
	}
	tone := peers.DominantTone(w)
	return tone.Hz > hz-15 && tone.Hz < hz+15 && tone.Purity > 0.5
}

// playAndListen sends a tone on a call and records what it hears.
func playAndListen(t *testing.T, c *softphone.Call, hz float64) *pcmSink {
	t.Helper()
	s := c.Media()
	if s == nil {
		t.Fatalf("call %s has no media", c.ID())
	}
	sink := &pcmSink{}
	s.SetSource(media.NewToneReader(media.Tone{Freqs: []float64{hz}, Level: 0.3}, 8000), 8000)
	s.SetSink(sink, 8000)
	return sink
}

// until polls cond (a failure guard only).
func until(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(guard)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %v", what, guard)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// relayedCall sets up alice calling bob through a SIP relay whose media
// ALG puts the audio of both sides behind relays too.
func relayedCall(t *testing.T, aliceOpts, bobOpts softphone.Options) (*softphone.Call, *softphone.Call, *faultnet.UDP, *faultnet.MediaALG, *events, *events) {
	t.Helper()
	bobOpts.AutoAnswer = true
	bob, bev := phone(t, softphone.Account{User: "bob", Domain: peers.Loopback, NoRegister: true}, bobOpts)
	sip, err := faultnet.ListenUDP(bob.LocalAddr())
	if err != nil {
		t.Fatal(err)
	}
	alg := faultnet.NewMediaALG()
	sip.SetTap(alg.Tap)
	t.Cleanup(func() { sip.Close(); alg.Close() })
	alice, aev := phone(t, softphone.Account{User: "alice", Domain: peers.Loopback, NoRegister: true,
		OutboundProxy: sip.Addr().String()}, aliceOpts)
	t0 := time.Now()
	ac, err := alice.Dial(t.Context(), "sip:bob@"+peers.Loopback, softphone.DialOptions{})
	if err != nil {
		t.Fatal(err)
	}
	aev.wait(t, t0, "answer", func(ev softphone.Event) bool { _, ok := ev.(softphone.CallAnsweredEvent); return ok })
	bc := bev.wait(t, t0, "bob's answer", func(ev softphone.Event) bool { _, ok := ev.(softphone.CallAnsweredEvent); return ok }).ev.(softphone.CallAnsweredEvent).Call
	return ac, bc, sip, alg, aev, bev
}
