package engine

import (
	"context"
	"encoding/binary"
	"io"
	"log/slog"
	"math"
	"sync"
	"testing"
	"time"

	"github.com/ligne-app/ligne/internal/peers"
	"github.com/ligne-app/ligne/media"
	"github.com/ligne-app/ligne/secrets"
	"github.com/ligne-app/ligne/selfcare"
	"github.com/ligne-app/ligne/softphone"
	"github.com/ligne-app/ligne/store"
)

// tapeBackend is an audio backend whose devices are clocked in real time
// and keep what each playback stream played, so a test can check what the
// user would hear on which device.
type tapeBackend struct {
	mu      sync.Mutex
	streams []*tapeStream
}

type tapeStream struct {
	device  string
	mu      sync.Mutex
	pcm     []byte
	stopped chan struct{}
	closed  chan struct{}
}

func (b *tapeBackend) Devices(kind media.DeviceKind) ([]media.DeviceInfo, error) {
	if kind == media.Capture {
		return []media.DeviceInfo{{ID: "mic", Name: "Micro", Default: true}}, nil
	}
	return []media.DeviceInfo{{ID: "speaker", Name: "Casque", Default: true}, {ID: "ringer", Name: "Haut-parleurs"}}, nil
}

func (b *tapeBackend) Open(kind media.DeviceKind, id string, rate int, cb media.StreamCallback) (media.Stream, error) {
	if id == "" {
		id = map[media.DeviceKind]string{media.Capture: "mic", media.Playback: "speaker"}[kind]
	}
	s := &tapeStream{device: id, stopped: make(chan struct{}), closed: make(chan struct{})}
	b.mu.Lock()
	b.streams = append(b.streams, s)
	b.mu.Unlock()
	go s.run(kind, rate, cb)
	return s, nil
}

// run calls the device callback every 10 ms, like a sound card.
func (s *tapeStream) run(kind media.DeviceKind, rate int, cb media.StreamCallback) {
	buf := make([]byte, rate/100*2)
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-s.closed:
			return
		case <-tick.C:
		}
		clear(buf)
		if kind == media.Playback {
			cb(buf, nil)
			s.mu.Lock()
			s.pcm = append(s.pcm, buf...)
			s.mu.Unlock()
		} else {
			cb(nil, buf)
		}
	}
}

func (s *tapeStream) Stopped() <-chan struct{} { return s.stopped }

func (s *tapeStream) isClosed() bool {
	select {
	case <-s.closed:
		return true
	default:
		return false
	}
}
func (s *tapeStream) Close() error {
	select {
	case <-s.closed:
	default:
		close(s.closed)
	}
	return nil
}

// heard returns the last d of what device played, all streams mixed
// (streams opened at different times are aligned on their end).
func (b *tapeBackend) heard(device string, d time.Duration, rate int) peers.WAV {
	n := int(d.Seconds() * float64(rate))
	mix := make([]float64, n)
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, s := range b.streams {
		if s.device != device || s.isClosed() {
			continue // a closed stream plays nothing now
		}
		s.mu.Lock()
		pcm := s.pcm
		if len(pcm) > 2*n {
			pcm = pcm[len(pcm)-2*n:]
		}
		off := n - len(pcm)/2
		for i := 0; i+1 < len(pcm); i += 2 {
			mix[off+i/2] += float64(int16(binary.LittleEndian.Uint16(pcm[i:]))) / 32768
		}
		s.mu.Unlock()
	}
	return peers.WAV{Rate: rate, Samples: mix}
}

// loudness is the RMS of w.
func loudness(w peers.WAV) float64 {
	var sum float64
	for _, v := range w.Samples {
		sum += v * v
	}
	return math.Sqrt(sum / float64(max(len(w.Samples), 1)))
}

// startEngine runs the Engine as user on k with the tape backend.
func startEngine(t *testing.T, k *peers.Kamailio, user string, tape *tapeBackend) *Engine {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	acct := selfcare.Account{User: user, Domain: k.Domain, OutboundProxy: k.Addr(), Transport: selfcare.TransportUDP}
	if err := db.SetAccount(ctx, acct); err != nil {
		t.Fatal(err)
	}
	sec := &secrets.Memory{}
	sec.Set(acct.SecretKey(), "pw-"+user)
	e, err := Start(ctx, Config{Store: db, Secrets: sec, Audio: tape, Ringer: media.DeviceInfo{ID: "ringer"},
		Speaker: media.DeviceInfo{ID: "speaker"}, Ringtone: "classic",
		Options: softphone.Options{ListenAddr: "127.0.0.1:0", MediaIP: "127.0.0.1"},
		Logger:  slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close(ctx) })
	waitFor(t, "registration", func() bool { return e.Phone.Registration().State == softphone.RegRegistered })
	return e
}

func TestAudioFollowsTheCalls(t *testing.T) {
	users := map[string]string{"alice": "pw-alice", "bob": "pw-bob", "carol": "pw-carol"}
	k := peers.StartKamailio(t, peers.KamailioOptions{Users: users})
	tape := &tapeBackend{}
	alice := startEngine(t, k, "alice", tape)
	bob := startLine(t, k, "bob", softphone.Options{})
	carol := startLine(t, k, "carol", softphone.Options{})
	ctx := context.Background()

	out, err := bob.phone.Dial(ctx, "alice", softphone.DialOptions{})
	if err != nil {
		t.Fatal(err)
	}
	in := waitIncoming(t, alice.Phone)
	time.Sleep(2 * time.Second) // let it ring (the ringtone has pauses)
	if l := loudness(tape.heard("ringer", 2*time.Second, deviceRate)); l < 0.01 {
		t.Fatalf("the ring device is silent while a call rings (rms %.4f)", l)
	}
	if l := loudness(tape.heard("speaker", 2*time.Second, deviceRate)); l > 0.001 {
		t.Fatalf("the call device plays something before any call (rms %.4f)", l)
	}
	if err := in.Answer(ctx); err != nil {
		t.Fatal(err)
	}
	<-out.Answered()
	out.Media().SetSource(media.NewToneReader(media.Tone{Name: "bob", Freqs: []float64{880}, Level: 0.3}, 8000), 8000)
	time.Sleep(2 * time.Second)
	if l := loudness(tape.heard("ringer", time.Second, deviceRate)); l > 0.001 {
		t.Fatalf("the ring device still rings after the answer (rms %.4f)", l)
	}
	if got := peers.DominantTone(tape.heard("speaker", time.Second, deviceRate)); math.Abs(got.Hz-880) > 15 {
		t.Fatalf("the loudspeaker plays %.0f Hz, want bob's 880 Hz", got.Hz)
	}

	out.Media().SetSource(nil, 8000) // bob falls silent so the waiting tone stands out
	time.Sleep(1500 * time.Millisecond)
	if l := loudness(tape.heard("speaker", 500*time.Millisecond, deviceRate)); l > 0.005 {
		t.Fatalf("bob is silent but the loudspeaker still plays (rms %.4f)", l)
	}
	if _, err := carol.phone.Dial(ctx, "alice", softphone.DialOptions{}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "second call", func() bool { return len(alice.Phone.Calls()) == 2 })
	time.Sleep(1200 * time.Millisecond) // the first 300 ms beep plays as the call arrives
	if l := loudness(tape.heard("ringer", time.Second, deviceRate)); l > 0.001 {
		t.Fatalf("a second call rang the ring device during a call (rms %.4f)", l)
	}
	if got := peers.DominantTone(tape.heard("speaker", 1500*time.Millisecond, deviceRate)); math.Abs(got.Hz-440) > 15 {
		t.Fatalf("call waiting: the call device plays %.0f Hz, want the 440 Hz waiting tone", got.Hz)
	}
}

// pcmTape records what a session plays (s16le at rate).
type pcmTape struct {
	mu  sync.Mutex
	pcm []byte
}

func (p *pcmTape) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.pcm = append(p.pcm, b...)
	return len(b), nil
}

// last returns the last d of the recording.
func (p *pcmTape) last(d time.Duration, rate int) peers.WAV {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := int(d.Seconds()*float64(rate)) * 2
	pcm := p.pcm
	if len(pcm) > n {
		pcm = pcm[len(pcm)-n:]
	}
	w := peers.WAV{Rate: rate, Samples: make([]float64, len(pcm)/2)}
	for i := range w.Samples {
		w.Samples[i] = float64(int16(binary.LittleEndian.Uint16(pcm[2*i:]))) / 32768
	}
	return w
}

// power is the Goertzel power of w at hz (relative).
func power(w peers.WAV, hz float64) float64 {
	k := 2 * math.Cos(2*math.Pi*hz/float64(w.Rate))
	var s1, s2 float64
	for _, x := range w.Samples {
		s0 := x + k*s1 - s2
		s2, s1 = s1, s0
	}
	return (s1*s1 + s2*s2 - k*s1*s2) / float64(max(len(w.Samples), 1))
}

func TestConferenceMixesThreeWays(t *testing.T) {
	users := map[string]string{"alice": "pw-alice", "bob": "pw-bob", "carol": "pw-carol"}
	k := peers.StartKamailio(t, peers.KamailioOptions{Users: users})
	tape := &tapeBackend{}
	alice := startEngine(t, k, "alice", tape)
	bob := startLine(t, k, "bob", softphone.Options{AutoAnswer: true})
	carol := startLine(t, k, "carol", softphone.Options{AutoAnswer: true})
	ctx := context.Background()
	bobHears, carolHears := &pcmTape{}, &pcmTape{}
	call := func(l *line, user string, hz float64, hears *pcmTape) *softphone.Call {
		c, err := alice.Phone.Dial(ctx, user, softphone.DialOptions{})
		if err != nil {
			t.Fatal(err)
		}
		<-c.Answered()
		peer := waitActive(t, l.phone)
		peer.Media().SetSource(media.NewToneReader(media.Tone{Name: user, Freqs: []float64{hz}, Level: 0.3}, 8000), 8000)
		peer.Media().SetSink(hears, 8000)
		return c
	}
	toBob := call(bob, "bob", 880, bobHears)
	must(t, toBob.Hold(ctx))
	toCarol := call(carol, "carol", 660, carolHears)
	must(t, toBob.Resume(ctx))
	alice.Audio.Merge(ctx, toBob, toCarol)
	time.Sleep(3 * time.Second)
	spk := tape.heard("speaker", 2*time.Second, deviceRate)
	if p880, p660 := power(spk, 880), power(spk, 660); p880 < 1e-4 || p660 < 1e-4 {
		t.Fatalf("the loudspeaker should play bob (880 Hz: %.2g) and carol (660 Hz: %.2g)", p880, p660)
	}
	if got := peers.DominantTone(bobHears.last(2*time.Second, 8000)); math.Abs(got.Hz-660) > 15 {
		t.Fatalf("bob hears %.0f Hz, want carol's 660 Hz", got.Hz)
	}
	if got := peers.DominantTone(carolHears.last(2*time.Second, 8000)); math.Abs(got.Hz-880) > 15 {
		t.Fatalf("carol hears %.0f Hz, want bob's 880 Hz", got.Hz)
	}
	must(t, toCarol.Hangup(ctx))
	waitFor(t, "back to a two-party call", func() bool { return alice.Audio.Current() == toBob })
}

func waitActive(t *testing.T, p *softphone.Phone) *softphone.Call {
	t.Helper()
	var c *softphone.Call
	waitFor(t, "active call", func() bool {
		for _, x := range p.Calls() {
			if x.State() == softphone.StateActive {
				c = x
				return true
			}
		}
		return false
	})
	return c
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
