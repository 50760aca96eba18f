package media

import (
	"context"
	"net"
	"slices"
	"sync"
	"testing"
	"time"
)

// deviceClock plays the part of a sound card for CallAudio on the fake
// backend: every 10 ms it captures 10 ms of a 600 Hz "voice" and plays
// 10 ms from the speaker, keeping what the speaker played.
type deviceClock struct {
	mu     sync.Mutex
	heard  []int16
	voice  *ToneReader
	done   chan struct{}
	wg     sync.WaitGroup
	b      *fakeBackend
	period int
}

func startDeviceClock(b *fakeBackend, rate int) *deviceClock {
	d := &deviceClock{b: b, voice: NewToneReader(Tone{Freqs: []float64{600}, Level: 0.3}, rate), done: make(chan struct{}), period: rate / 100}
	d.wg.Add(1)
	go d.run()
	return d
}

func (d *deviceClock) run() {
	defer d.wg.Done()
	t := time.NewTicker(10 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-d.done:
			return
		case <-t.C:
		}
		in := make([]int16, d.period)
		d.voice.ReadSamples(in)
		if s := d.b.stream(Capture); s != nil {
			s.cb(nil, SamplesToBytes(nil, in))
		}
		if s := d.b.stream(Playback); s != nil {
			out := make([]byte, 2*d.period)
			s.cb(out, nil)
			d.mu.Lock()
			d.heard = append(d.heard, BytesToSamples(nil, out)...)
			d.mu.Unlock()
		}
	}
}

func (d *deviceClock) stop() {
	close(d.done)
	d.wg.Wait()
}

func (d *deviceClock) lastHeard(n int) []int16 {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]int16(nil), d.heard[max(0, len(d.heard)-n):]...)
}

// TestCallAudioCarriesBothWays attaches CallAudio (on the fake sound card)
// to one end of a call: the far end's 1 kHz tone comes out of the speaker
// at 48 kHz, the microphone's 600 Hz voice reaches the far end, and mute
// silences it.
func TestCallAudioCarriesBothWays(t *testing.T) {
	b := newFakeBackend()
	ca, err := NewCallAudio(context.Background(), b, CallAudioConfig{Poll: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	defer ca.Close()
	p := newPair(t, CodecG722, DefaultTelephoneEventPT)
	ca.Attach(p.a)
	p.b.SetSource(NewToneReader(Tone{Freqs: []float64{1000}, Level: 0.3}, 16000), 16000)
	far := &pcmBuffer{}
	p.b.SetSink(far, 16000)
	clock := startDeviceClock(b, 48000)
	defer clock.stop()
	start(t, p.a, p.b)
	waitFor(t, "the far end's tone at the speaker", 15*time.Second, func() bool {
		return toneShare(clock.lastHeard(4800), 1000, 48000) > 0.9
	})
	waitFor(t, "the microphone's voice at the far end", 15*time.Second, func() bool {
		s := far.samples()
		return len(s) > 3200 && toneShare(s[len(s)-3200:], 600, 16000) > 0.9
	})
	waitFor(t, "the input level meter to read the voice's -13.5 dBFS", 15*time.Second, func() bool {
		rms, _ := ca.InputLevel()
		return rms > -15 && rms < -12
	})
	ca.SetMute(true)
	waitFor(t, "silence at the far end after mute", 15*time.Second, func() bool {
		s := far.samples()
		return energy(s[len(s)-1600:]) < 10
	})
	if rms, _ := ca.InputLevel(); rms != SilenceDBFS {
		t.Errorf("input level %.1f dBFS while muted", rms)
	}
}

// TestTheMicrophonePacesTheCall records by hand on the fake sound card (no
// timer involved): each 20 ms recorded leaves at once in one packet, the
// frame just recorded rather than one a cushion behind; when the
// microphone stops, the session's own clock goes on with the next
// timestamp; the microphone paces whichever call is attached.
func TestTheMicrophonePacesTheCall(t *testing.T) {
	peer, _ := rawPeer(t)
	b := newFakeBackend()
	ca, err := NewCallAudio(context.Background(), b, CallAudioConfig{Poll: time.Hour, DeviceRate: CallAudioRate})
	if err != nil {
		t.Fatal(err)
	}
	defer ca.Close()
	s := newTestSession(t, SessionConfig{})
	configure(t, s, peer.LocalAddr().(*net.UDPAddr), CodecPCMU, DefaultTelephoneEventPT)
	start(t, s)
	ca.Attach(s)
	mic := b.stream(Capture)
	tone := NewToneReader(Tone{Freqs: []float64{1000}, Level: 0.5}, CallAudioRate)
	record := func(frames int, loud bool) {
		for range 2 * frames { // 10 ms device periods
			pcm := make([]int16, CallAudioRate/100)
			if loud {
				tone.ReadSamples(pcm)
			}
			mic.cb(nil, SamplesToBytes(nil, pcm))
		}
	}

	before := s.Stats().PacketsSent
	record(50, false)
	record(1, true)
	sent := s.Stats().PacketsSent
	if sent-before < 51 {
		t.Fatalf("51 frames recorded sent %d packets at once; want one per frame", sent-before)
	}
	pkts := readRTP(t, peer, int(sent))
	dec, _ := NewDecoder(CodecPCMU)
	last, previous := dec.Decode(nil, pkts[sent-1].Payload), dec.Decode(nil, pkts[sent-2].Payload)
	onset := slices.IndexFunc(last, func(v int16) bool { return v > 1000 || v < -1000 })
	// what remains is the echo canceller's 8 ms blocks and the resampler's filter
	if energy(previous) > 10 || onset < 0 || onset > 96 {
		t.Errorf("the frame recorded last is not in the packet it sent: previous packet's energy %.0f, onset at sample %d of 160",
			energy(previous), onset)
	}
	t.Logf("the tone recorded starts %.1f ms into the packet sent at once", float64(onset)/8)

	more := readRTP(t, peer, 25) // the microphone is quiet: the session's timer sends these
	ts := pkts[sent-1].Timestamp
	for i, p := range more {
		if ts += 160; p.Timestamp != ts {
			t.Fatalf("packet %d after the microphone stopped: timestamp %d, want %d", i, p.Timestamp, ts)
		}
	}

	other := newTestSession(t, SessionConfig{})
	configure(t, other, peer.LocalAddr().(*net.UDPAddr), CodecPCMU, DefaultTelephoneEventPT)
	start(t, other)
	ca.Attach(other)
	before = other.Stats().PacketsSent
	record(10, false)
	if got := other.Stats().PacketsSent - before; got < 10 {
		t.Errorf("after Attach(other), 10 frames recorded sent %d of its packets at once", got)
	}
}
