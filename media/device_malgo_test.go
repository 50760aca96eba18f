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
