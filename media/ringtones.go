package media

import (
	"fmt"
	"io"
	"math"
	"time"
)

// Ringtone names a built-in ringtone, synthesized in code (no file to ship).
type Ringtone struct {
	ID   string // stable identifier stored in the settings
	Name string // French display name (the window translates it)
}

// Ringtones returns the built-in ringtones; the first is the default.
func Ringtones() []Ringtone {
	return []Ringtone{
		{ID: "classic", Name: "Classique"},
		{ID: "chime", Name: "Carillon"},
		{ID: "soft", Name: "Doux"},
		{ID: "digital", Name: "Numérique"},
	}
}

// note is one sound of a ringtone pattern: partials (frequency ratios and
// weights over a base frequency), a duration and an envelope.
type note struct {
	freq  float64
	dur   time.Duration
	decay float64 // 0 = flat with short fades; else exponential decay per second
	trill float64 // alternate with this frequency every 25 ms (0 = none)
	bell  bool    // add inharmonic bell partials
}

func rest(d time.Duration) note { return note{dur: d} }

func ringtonePattern(id string) ([]note, bool) {
	switch id {
	case "classic": // an electromechanical-like trill: 0.4 s, 0.2 s pause, 0.4 s, 2 s pause
		return []note{{freq: 1000, trill: 1300, dur: 400 * time.Millisecond}, rest(200 * time.Millisecond),
			{freq: 1000, trill: 1300, dur: 400 * time.Millisecond}, rest(2 * time.Second)}, true
	case "chime": // C5 E5 G5 C6 bells
		return []note{{freq: 523.25, dur: 350 * time.Millisecond, decay: 4, bell: true},
			{freq: 659.25, dur: 350 * time.Millisecond, decay: 4, bell: true},
			{freq: 783.99, dur: 350 * time.Millisecond, decay: 4, bell: true},
			{freq: 1046.5, dur: 900 * time.Millisecond, decay: 3, bell: true}, rest(1500 * time.Millisecond)}, true
	case "soft": // A4 C#5 E5 arpeggio, gentle
		return []note{{freq: 440, dur: 300 * time.Millisecond, decay: 2}, {freq: 554.37, dur: 300 * time.Millisecond, decay: 2},
			{freq: 659.25, dur: 600 * time.Millisecond, decay: 2}, rest(2 * time.Second)}, true
	case "digital": // three short beeps
		return []note{{freq: 1400, dur: 80 * time.Millisecond}, rest(80 * time.Millisecond),
			{freq: 1400, dur: 80 * time.Millisecond}, rest(80 * time.Millisecond),
			{freq: 1400, dur: 80 * time.Millisecond}, rest(1500 * time.Millisecond)}, true
	}
	return nil, false
}

// NewRingtone returns an endless reader of the built-in ringtone id at rate.
func NewRingtone(id string, rate int) (io.Reader, error) {
	pattern, ok := ringtonePattern(id)
	if !ok {
		return nil, fmt.Errorf("ringtone %q: %w", id, ErrBadFormat)
	}
	var pcm []int16
	for _, n := range pattern {
		pcm = append(pcm, renderNote(n, rate)...)
	}
	return &loopReader{pcm: SamplesToBytes(nil, pcm)}, nil
}

// renderNote synthesizes one note with 5 ms fades at both ends.
func renderNote(n note, rate int) []int16 {
	count := int(n.dur.Seconds() * float64(rate))
	out := make([]int16, count)
	if n.freq == 0 {
		return out
	}
	fade := float64(rate) * 0.005
	var phase float64
	for i := range out {
		t := float64(i) / float64(rate)
		f := n.freq
		if n.trill > 0 && int(t/0.025)%2 == 1 {
			f = n.trill
		}
		phase += 2 * math.Pi * f / float64(rate)
		v := math.Sin(phase)
		if n.bell {
			v = 0.6*v + 0.25*math.Sin(2*phase) + 0.15*math.Sin(2.76*phase)
		}
		env := math.Min(1, math.Min(float64(i)/fade, float64(count-i)/fade))
		if n.decay > 0 {
			env *= math.Exp(-n.decay * t)
		}
		out[i] = clipFloat(0.35 * 32767 * v * env)
	}
	return out
}

// loopReader repeats a rendered pattern forever.
type loopReader struct {
	pcm []byte
	pos int
}

// Read fills p, wrapping around the pattern; it never ends.
func (l *loopReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		c := copy(p[n:], l.pcm[l.pos:])
		n += c
		l.pos = (l.pos + c) % len(l.pcm)
	}
	return n, nil
}
