package media

import (
	"math"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/ligne-app/ligne/internal/peers"
)

// toneSource is a StreamCallback playing a sine at f Hz.
func toneSource(f float64, rate int) StreamCallback {
	var mu sync.Mutex
	n := 0
	return func(out, _ []byte) {
		mu.Lock()
		defer mu.Unlock()
		for i := 0; i+1 < len(out); i += 2 {
			v := int16(8000 * math.Sin(2*math.Pi*f*float64(n)/float64(rate)))
			out[i], out[i+1] = byte(v), byte(uint16(v)>>8)
			n++
		}
	}
}

// playAndRecord plays f Hz on sink and records source (both at rate) until
// the test ends; got fills with what source records.
func playAndRecord(t *testing.T, b *pulseBackend, sink string, f float64, source string, rate int) (play, rec Stream, got *pcmBuffer) {
	t.Helper()
	play, err := b.Open(Playback, sink, rate, toneSource(f, rate))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { play.Close() })
	got = &pcmBuffer{}
	rec, err = b.Open(Capture, source, rate, func(_, in []byte) { got.Write(in) })
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rec.Close() })
	return play, rec, got
}

// startPulseBackend connects Ligne's client to a server started for the test.
func startPulseBackend(t *testing.T) (*peers.Pulse, *pulseBackend) {
	t.Helper()
	pa := peers.StartPulse(t)
	b, err := newPulseBackend(pa.Server, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return pa, b
}

// TestPulseCarriesAToneFromSpeakerToMicrophone plays 440 Hz on a null
// sink of a real PulseAudio server through Ligne's own protocol client and
// records the sink's monitor: the tone must come back, the device lists
// must name the sinks and sources with the server's defaults, and a
// server that goes away must end the streams on their own.
func TestPulseCarriesAToneFromSpeakerToMicrophone(t *testing.T) {
	pa, b := startPulseBackend(t)
	if b.PreferredRate() != CallAudioRate {
		t.Errorf("preferred rate %d, want the call's %d (the server converts)", b.PreferredRate(), CallAudioRate)
	}
	sinks, err := b.Devices(Playback)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(sinks, func(d DeviceInfo) bool { return d.ID == "ligne" && d.Default }) ||
		!slices.ContainsFunc(sinks, func(d DeviceInfo) bool { return d.ID == "peer" && !d.Default }) {
		t.Fatalf("sinks %+v: want ligne (default) and peer", sinks)
	}
	sources, err := b.Devices(Capture)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(sources, func(d DeviceInfo) bool { return d.ID == "ligne.monitor" }) {
		t.Fatalf("sources %+v: want ligne.monitor", sources)
	}

	const rate = CallAudioRate
	play, rec, got := playAndRecord(t, b, "ligne", 440, "ligne.monitor", rate)
	for deadline := time.Now().Add(20 * time.Second); got.duration(rate) < 1500*time.Millisecond; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("recorded %v in 20 s, want 1.5 s", got.duration(rate))
		}
	}
	s := got.samples()
	tail := s[len(s)-rate/2:]
	if share := toneShare(tail, 440, rate); share < 0.9 {
		t.Errorf("440 Hz is %.0f%% of what the monitor recorded, want at least 90%%", 100*share)
	}
	if share := toneShare(tail, 1000, rate); share > 0.01 {
		t.Errorf("1 kHz is %.0f%% of the recording: the measure cannot tell tones apart", 100*share)
	}

	pa.Stop()
	for _, s := range []Stream{play, rec} {
		select {
		case <-s.Stopped():
		case <-time.After(10 * time.Second):
			t.Fatal("a stream of a server that went away did not report it stopped")
		}
	}
	if _, err := b.Devices(Playback); err == nil {
		t.Error("listing devices of a server that went away did not fail")
	}
}

// TestSystemAudioChoosesPulseWhenAServerAnswers: with PULSE_SERVER set,
// Ligne talks to the server itself; LIGNE_AUDIO=miniaudio forces miniaudio.
func TestSystemAudioChoosesPulseWhenAServerAnswers(t *testing.T) {
	t.Setenv("PULSE_SERVER", peers.StartPulse(t).Server)
	b, err := NewSystemAudioBackend(nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := b.(*pulseBackend); !ok {
		t.Errorf("backend %T with a PulseAudio server, want the pulse client", b)
	}
	b.Close()
	t.Setenv(AudioSystemEnv, "miniaudio")
	b, err = NewSystemAudioBackend(nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := b.(*MalgoBackend); !ok {
		t.Errorf("backend %T with %s=miniaudio, want miniaudio", b, AudioSystemEnv)
	}
	b.Close()
}

// TestACallOnPulseIsPacedByTheMicrophone runs a call's sound through a
// real PulseAudio server: the microphone is the monitor of a sink where
// the test plays 600 Hz, the loudspeaker is another sink whose monitor the
// test records. The far end hears 600 Hz, the loudspeaker plays the far
// end's 1 kHz, and the call's clock is the microphone's (its ticks ran on
// the recording, not on the session's timer).
func TestACallOnPulseIsPacedByTheMicrophone(t *testing.T) {
	_, b := startPulseBackend(t)
	const rate = CallAudioRate
	// the test's voice on the "peer" sink, whose monitor is the call's
	// microphone; the call's loudspeaker is the "ligne" sink, recorded
	_, _, heard := playAndRecord(t, b, "peer", 600, "ligne.monitor", rate)
	ca, err := NewCallAudio(t.Context(), b, CallAudioConfig{
		Microphone: DeviceInfo{ID: "peer.monitor"}, Speaker: DeviceInfo{ID: "ligne"}, Poll: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	defer ca.Close()
	p := newPair(t, CodecG722, DefaultTelephoneEventPT)
	ca.Attach(p.a)
	p.b.SetSource(NewToneReader(Tone{Freqs: []float64{1000}, Level: 0.3}, rate), rate)
	far := &pcmBuffer{}
	p.b.SetSink(far, rate)
	start(t, p.a, p.b)
	waitFor(t, "the microphone's 600 Hz at the far end", 20*time.Second, func() bool {
		s := far.samples()
		return len(s) > rate/2 && toneShare(s[len(s)-rate/2:], 600, rate) > 0.9
	})
	waitFor(t, "the far end's 1 kHz on the loudspeaker", 20*time.Second, func() bool {
		s := heard.samples()
		return len(s) > rate/2 && toneShare(s[len(s)-rate/2:], 1000, rate) > 0.9
	})
	p.a.clock.mu.Lock()
	pacedAt := p.a.clock.pacedAt
	p.a.clock.mu.Unlock()
	if pacedAt.IsZero() {
		t.Error("the call's clock is the session's timer, not the microphone")
	}
}
