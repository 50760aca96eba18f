package media

import (
	"context"
	"testing"
	"time"
)

// TestNullDevicePlaysAndCaptures runs the real miniaudio code on its null
// device: playback pulls the ringtone in real time, capture delivers
// frames, and closing leaves no goroutine behind (TestMain checks).
func TestNullDevicePlaysAndCaptures(t *testing.T) {
	b, err := NewNullAudioBackend(nil)
	if err != nil {
		t.Fatalf("null audio backend: %v", err)
	}
	defer b.Close()
	list, err := b.Devices(Playback)
	if err != nil || len(list) == 0 {
		t.Fatalf("null backend lists %v (%v)", list, err)
	}
	ring, _ := NewRingtone("classic", 48000)
	play := OpenEndpoint(context.Background(), b, EndpointConfig{Kind: Playback, Preferred: list[0], Poll: 50 * time.Millisecond})
	play.SetSource(ring)
	rec := NewRing(48000*2, 0)
	capt := OpenEndpoint(context.Background(), b, EndpointConfig{Kind: Capture, Poll: 50 * time.Millisecond})
	capt.SetSink(rec)
	waitFor(t, "the null devices to run", 10*time.Second, func() bool {
		return play.Frames() >= 4800 && capt.Frames() >= 4800
	})
	if d, ok := play.Current(); !ok || d.ID != list[0].ID {
		t.Errorf("playback on %+v, want %+v", d, list[0])
	}
	if rec.Buffered() == 0 {
		t.Error("capture wrote nothing to its sink")
	}
	for _, e := range []*Endpoint{play, capt} {
		if err := e.Close(); err != nil {
			t.Error(err)
		}
	}
}

// TestSystemBackendNeverCrashes opens the machine's real sound system. On
// a machine without a sound card (CI), ALSA initializes but the default
// device does not open: the endpoint must say so and stay usable; with a
// card, it must run.
func TestSystemBackendNeverCrashes(t *testing.T) {
	b, err := NewSystemAudioBackend(nil)
	if err != nil {
		t.Logf("no sound system at all: %v", err)
		return
	}
	defer b.Close()
	e := OpenEndpoint(context.Background(), b, EndpointConfig{Kind: Playback, Poll: time.Hour})
	defer e.Close()
	e.SetSource(NewToneReader(ToneBusyFR(), 48000))
	if d, ok := e.Current(); ok {
		t.Logf("playing on %q", d.Name)
		waitFor(t, "the device to pull audio", 10*time.Second, func() bool { return e.Frames() > 0 })
	} else if e.Status() == nil {
		t.Error("no device open and no error reported")
	} else {
		t.Logf("no device, as reported: %v", e.Status())
	}
}

// TestCallAudioOnNullDevice runs a call's sound card side on miniaudio's
// null device: both devices run in real time, the far end's tone goes into
// the speaker ring and out to the device, the null microphone's silence
// reaches the far end, and everything closes cleanly.
func TestCallAudioOnNullDevice(t *testing.T) {
	b, err := NewNullAudioBackend(nil)
	if err != nil {
		t.Fatalf("null audio backend: %v", err)
	}
	defer b.Close()
	ca, err := NewCallAudio(context.Background(), b, CallAudioConfig{})
	if err != nil {
		t.Fatal(err)
	}
	p := newPair(t, CodecPCMU, DefaultTelephoneEventPT)
	ca.Attach(p.a)
	p.b.SetSource(NewToneReader(Tone{Freqs: []float64{1000}, Level: 0.3}, 8000), 8000)
	far := &pcmBuffer{}
	p.b.SetSink(far, 8000)
	start(t, p.a, p.b)
	mic, spk := ca.Devices()
	waitFor(t, "both null devices to run for a second", 15*time.Second, func() bool {
		return mic.Frames() >= 48000 && spk.Frames() >= 48000 && far.duration(8000) >= time.Second
	})
	if s := far.samples(); energy(s[len(s)-1600:]) > 100 {
		t.Errorf("the null microphone should send silence, the far end hears power %.0f", energy(s[len(s)-1600:]))
	}
	if rms, _ := ca.InputLevel(); rms != SilenceDBFS {
		t.Errorf("input level %.1f dBFS from a null microphone", rms)
	}
	under, over := ca.spkRing.Stats()
	t.Logf("speaker ring after a second: %d underruns, %d overruns (trims)", under, over)
	if under > 5 {
		t.Errorf("the speaker ring ran dry %d times in a second: the call's audio does not reach the device", under)
	}
	if err := ca.Close(); err != nil {
		t.Error(err)
	}
}
