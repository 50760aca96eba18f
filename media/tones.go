package media

import (
	"fmt"
	"io"
	"math"
	"time"
)

// Tone describes a call-progress or signalling tone: a sum of sine
// components switched on and off by a repeating cadence.
type Tone struct {
	Name    string
	Freqs   []float64       // Hz, summed
	Level   float64         // peak amplitude of each component, 0..1 of full scale
	Cadence []time.Duration // on, off, on, off... repeated; empty = continuous
}

// ToneRingbackFR is the French ringback tone (440 Hz like every French
// call-progress tone): 1.5 s on, 3.5 s off.
func ToneRingbackFR() Tone {
	return Tone{Name: "ringback", Freqs: []float64{440}, Level: 0.25,
		Cadence: []time.Duration{1500 * time.Millisecond, 3500 * time.Millisecond}}
}

// ToneBusyFR is the French busy tone: 440 Hz, 0.5 s on, 0.5 s off.
func ToneBusyFR() Tone {
	return Tone{Name: "busy", Freqs: []float64{440}, Level: 0.25,
		Cadence: []time.Duration{500 * time.Millisecond, 500 * time.Millisecond}}
}

// ToneCallWaitingFR is the call-waiting beep heard over a call: 440 Hz,
// 300 ms, every 10 s.
func ToneCallWaitingFR() Tone {
	return Tone{Name: "call-waiting", Freqs: []float64{440}, Level: 0.15,
		Cadence: []time.Duration{300 * time.Millisecond, 9700 * time.Millisecond}}
}

// DTMFFrequencies returns the low and high frequencies of a DTMF digit.
func DTMFFrequencies(digit rune) (low, high float64, err error) {
	code, err := DTMFEventCode(digit)
	if err != nil {
		return 0, 0, err
	}
	rows := [4]float64{697, 770, 852, 941}
	cols := [4]float64{1209, 1336, 1477, 1633}
	keypad := "123A456B789C*0#D"
	for i, k := range keypad {
		if k == rune(dtmfDigits[code]) {
			return rows[i/4], cols[i%4], nil
		}
	}
	return 0, 0, fmt.Errorf("dtmf %q: %w", digit, ErrInvalidDigit)
}

// ToneDTMF is the dual tone of a digit, played for d then silent for d.
func ToneDTMF(digit rune, d time.Duration) (Tone, error) {
	lo, hi, err := DTMFFrequencies(digit)
	if err != nil {
		return Tone{}, err
	}
	return Tone{Name: "dtmf-" + string(toUpperDigit(digit)), Freqs: []float64{lo, hi}, Level: 0.2,
		Cadence: []time.Duration{d, d}}, nil
}

// ToneReader generates a Tone as s16le PCM; it never ends unless limited
// with io.LimitReader or NewToneReaderFor.
type ToneReader struct {
	tone   Tone
	rate   int
	n      int64 // samples produced
	limit  int64 // total samples, -1 = endless
	period int64 // cadence period in samples, 0 = continuous
	bounds []int64
	phase  []float64
}

// NewToneReader returns an endless generator of tone at rate.
func NewToneReader(tone Tone, rate int) *ToneReader {
	r := &ToneReader{tone: tone, rate: rate, limit: -1, phase: make([]float64, len(tone.Freqs))}
	var acc int64
	for _, d := range tone.Cadence {
		acc += int64(d.Seconds() * float64(rate))
		r.bounds = append(r.bounds, acc)
	}
	r.period = acc
	return r
}

// NewToneReaderFor returns a generator of tone that ends after d.
func NewToneReaderFor(tone Tone, rate int, d time.Duration) *ToneReader {
	r := NewToneReader(tone, rate)
	r.limit = int64(d.Seconds() * float64(rate))
	return r
}

// on reports whether sample n falls in an "on" part of the cadence.
func (r *ToneReader) on(n int64) bool {
	if r.period == 0 {
		return true
	}
	pos := n % r.period
	for i, b := range r.bounds {
		if pos < b {
			return i%2 == 0
		}
	}
	return false
}

// Read fills p with the next samples of the tone.
func (r *ToneReader) Read(p []byte) (int, error) {
	n := len(p) / 2
	if r.limit >= 0 {
		if r.n >= r.limit {
			return 0, io.EOF
		}
		n = int(min(int64(n), r.limit-r.n))
	}
	for i := range n {
		v := r.sample()
		p[2*i], p[2*i+1] = byte(uint16(v)), byte(uint16(v)>>8)
	}
	return 2 * n, nil
}

// sample returns the next sample with phase-continuous oscillators, so that
// the cadence switches at zero cost and without clicks beyond the gate.
func (r *ToneReader) sample() int16 {
	on := r.on(r.n)
	r.n++
	var v float64
	for i, f := range r.tone.Freqs {
		if on {
			v += math.Sin(r.phase[i])
		}
		r.phase[i] = math.Mod(r.phase[i]+2*math.Pi*f/float64(r.rate), 2*math.Pi)
	}
	return clipFloat(v * r.tone.Level * 32767)
}

// ReadSamples fills s with the next samples of the tone.
func (r *ToneReader) ReadSamples(s []int16) {
	for i := range s {
		s[i] = r.sample()
	}
}
