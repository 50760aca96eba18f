package media

import (
	"bytes"
	"io"
	"math"
	"testing"
	"time"
)

// TestResamplerKeepsTonesAndRejectsAliases converts tones between the codec
// and device rates: a tone in the pass band keeps its frequency and level;
// a tone above the lower Nyquist frequency is removed when going down.
func TestResamplerKeepsTonesAndRejectsAliases(t *testing.T) {
	for _, c := range []struct{ from, to int }{
		{8000, 48000}, {48000, 8000}, {8000, 44100}, {44100, 8000}, {16000, 48000}, {48000, 16000}, {16000, 44100}, {44100, 16000},
	} {
		r, err := NewResampler(c.from, c.to)
		if err != nil {
			t.Fatal(err)
		}
		out := r.Process(nil, tone(c.from, 1000, time.Second))
		if want := c.to; absInt(len(out)-want) > 64 {
			t.Errorf("%d->%d: %d samples out of 1 s, want about %d", c.from, c.to, len(out), want)
		}
		body := out[len(out)/4 : 3*len(out)/4]
		if share := toneShare(body, 1000, c.to); share < 0.99 {
			t.Errorf("%d->%d: 1 kHz holds %.3f of the power", c.from, c.to, share)
		}
		if e, want := energy(body), energy(tone(c.from, 1000, time.Second)); e < 0.95*want || e > 1.05*want {
			t.Errorf("%d->%d: level changed by %.2f", c.from, c.to, e/want)
		}
		if c.from > c.to {
			r2, _ := NewResampler(c.from, c.to)
			alias := r2.Process(nil, tone(c.from, 0.6*float64(c.to), time.Second))
			if ratio := energy(alias[len(alias)/4:]) / energy(body); ratio > 1e-5 {
				t.Errorf("%d->%d: a tone at %.0f Hz leaks at %.1f dB", c.from, c.to, 0.6*float64(c.to), 10*math.Log10(ratio))
			}
		}
	}
}

func TestResampleReaderAndWriterStream(t *testing.T) {
	in := tone(8000, 440, 500*time.Millisecond)
	rr, err := NewResampleReader(bytes.NewReader(SamplesToBytes(nil, in)), 8000, 48000)
	if err != nil {
		t.Fatal(err)
	}
	var up bytes.Buffer
	buf := make([]byte, 1921) // odd sizes on purpose
	if _, err := io.CopyBuffer(&up, struct{ io.Reader }{rr}, buf); err != nil {
		t.Fatal(err)
	}
	var down bytes.Buffer
	w, err := NewResampleWriter(&down, 48000, 8000)
	if err != nil {
		t.Fatal(err)
	}
	b := up.Bytes()
	for len(b) > 0 { // odd chunks again
		n := min(len(b), 333)
		if _, err := w.Write(b[:n]); err != nil {
			t.Fatal(err)
		}
		b = b[n:]
	}
	// streaming in odd chunks must give exactly what one call gives
	r1, _ := NewResampler(8000, 48000)
	once := r1.Process(nil, in)
	if !bytes.Equal(SamplesToBytes(nil, once), up.Bytes()[:2*len(once)]) {
		t.Error("the resampling reader differs from a one-shot conversion")
	}
	r2, _ := NewResampler(48000, 8000)
	back := r2.Process(nil, BytesToSamples(nil, up.Bytes()))
	if !bytes.Equal(SamplesToBytes(nil, back), down.Bytes()) {
		t.Error("the resampling writer differs from a one-shot conversion")
	}
	if share := toneShare(back[400:len(back)-400], 440, 8000); share < 0.99 {
		t.Errorf("8k -> 48k -> 8k: 440 Hz holds %.3f of the power", share)
	}
}
