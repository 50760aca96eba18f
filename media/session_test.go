package media

import (
	"context"
	"net"
	"slices"
	"testing"
	"time"
)

// pair is two sessions on loopback, each configured towards the other.
type pair struct {
	a, b *Session
}

func newTestSession(t *testing.T, cfg SessionConfig) *Session {
	t.Helper()
	cfg.LocalIP = "127.0.0.1"
	s, err := NewSession(cfg)
	if err != nil {
		t.Fatalf("new session: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func newPair(t *testing.T, codec Codec, dtmfPT uint8) pair {
	t.Helper()
	p := pair{a: newTestSession(t, SessionConfig{}), b: newTestSession(t, SessionConfig{})}
	configure(t, p.a, p.b.LocalAddr(), codec, dtmfPT)
	configure(t, p.b, p.a.LocalAddr(), codec, dtmfPT)
	return p
}

func configure(t *testing.T, s *Session, remote *net.UDPAddr, codec Codec, dtmfPT uint8) {
	t.Helper()
	err := s.Configure(Params{Remote: remote, Codec: codec, DTMFPayloadType: dtmfPT, Send: true, Recv: true})
	if err != nil {
		t.Fatalf("configure: %v", err)
	}
}

func start(t *testing.T, ss ...*Session) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	for _, s := range ss {
		if err := s.Start(ctx); err != nil {
			t.Fatalf("start: %v", err)
		}
	}
}

// receiveTone sends a 1 kHz tone from a at srcRate and checks that b's sink
// at sinkRate hears 1 kHz and almost nothing else.
func receiveTone(t *testing.T, codec Codec, srcRate, sinkRate int) {
	p := newPair(t, codec, DefaultTelephoneEventPT)
	p.a.SetSource(NewToneReader(Tone{Freqs: []float64{1000}, Level: 0.5}, srcRate), srcRate)
	sink := &pcmBuffer{}
	p.b.SetSink(sink, sinkRate)
	start(t, p.a, p.b)
	waitFor(t, "1.5 s of audio at the sink", 20*time.Second, func() bool {
		return sink.duration(sinkRate) >= 1500*time.Millisecond
	})
	// judge the last second in four windows and keep the median, so that
	// one scheduling stall of a loaded machine (a concealed packet) does
	// not decide
	got := sink.samples()
	var shares, powers []float64
	for w := range 4 {
		win := got[len(got)-sinkRate+w*sinkRate/4 : len(got)-sinkRate+(w+1)*sinkRate/4]
		shares, powers = append(shares, toneShare(win, 1000, sinkRate)), append(powers, energy(win))
	}
	slices.Sort(shares)
	slices.Sort(powers)
	share, power := shares[2], powers[2]
	t.Logf("%s %d->%d Hz: 1 kHz share %.3f, power %.0f (median of four 250 ms windows)", codec.Name, srcRate, sinkRate, share, power)
	if share < 0.9 {
		t.Errorf("%s %d->%d Hz: 1 kHz holds %.2f of the received power, want > 0.9", codec.Name, srcRate, sinkRate, share)
	}
	// amplitude 0.5 of full scale: power (16384^2)/2, allow the codec's loss
	if power < 0.5*16384*16384/2 || power > 1.5*16384*16384/2 {
		t.Errorf("%s: received power %.0f, want about %.0f", codec.Name, power, 16384.0*16384/2)
	}
	st := p.b.Stats()
	if st.PacketsReceived < 50 || st.Codec.Name != codec.Name {
		t.Errorf("stats: %+v", st)
	}
}

func TestSessionCarriesToneOverPCMU(t *testing.T) {
	receiveTone(t, CodecPCMU, 8000, 8000)
}

func TestSessionCarriesToneOverPCMA(t *testing.T) {
	receiveTone(t, CodecPCMA, 8000, 8000)
}

func TestSessionResamplesDeviceRates(t *testing.T) {
	receiveTone(t, CodecPCMU, 48000, 44100)
}

func TestSessionSendsAndReceivesRFC4733(t *testing.T) {
	p := newPair(t, CodecPCMU, DefaultTelephoneEventPT)
	start(t, p.a, p.b)
	for _, d := range "5#A" {
		if err := p.a.SendDTMF(d, 120*time.Millisecond); err != nil {
			t.Fatalf("send dtmf: %v", err)
		}
	}
	if err := p.a.SendDTMF('x', time.Second); err == nil {
		t.Errorf("SendDTMF('x') accepted an invalid digit")
	}
	var got []DTMFEvent
	waitFor(t, "three DTMF events", 10*time.Second, func() bool {
		for {
			select {
			case ev := <-p.b.Events():
				if d, ok := ev.(DTMFEvent); ok {
					got = append(got, d)
				}
			default:
				return len(got) >= 3
			}
		}
	})
	for i, want := range "5#A" {
		if got[i].Digit != want || got[i].Duration != 120*time.Millisecond {
			t.Errorf("event %d = %c %s, want %c 120ms", i, got[i].Digit, got[i].Duration, want)
		}
	}
}

func TestSessionSendsInbandDTMFWithoutTelephoneEvent(t *testing.T) {
	p := newPair(t, CodecPCMU, 0)
	sink := &pcmBuffer{}
	p.b.SetSink(sink, 8000)
	start(t, p.a, p.b)
	if err := p.a.SendDTMF('5', 400*time.Millisecond); err != nil {
		t.Fatalf("send dtmf: %v", err)
	}
	waitFor(t, "the in-band digit", 10*time.Second, func() bool {
		s := sink.samples()
		for i := 0; i+400 <= len(s); i += 200 {
			w := s[i : i+400]
			if toneShare(w, 770, 8000) > 0.35 && toneShare(w, 1336, 8000) > 0.35 {
				return true
			}
		}
		return false
	})
	// the receiving session, without telephone-event either, hears the key
	timeout := time.After(10 * time.Second)
	for {
		select {
		case ev := <-p.b.Events():
			if d, ok := ev.(DTMFEvent); ok {
				if d.Digit != '5' || !d.InBand || d.Duration < 300*time.Millisecond {
					t.Fatalf("heard %+v, want 5 in-band for about 400 ms", d)
				}
				return
			}
		case <-timeout:
			t.Fatal("the receiving session reported no in-band key press")
		}
	}
}
