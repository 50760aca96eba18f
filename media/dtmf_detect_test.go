package media

import (
	"testing"
	"time"
)

// keyPresses renders digits as a phone's keypad sends them in-band: each
// 100 ms of its dual tone, then 60 ms of silence.
func keyPresses(t *testing.T, digits string, rate int) []int16 {
	t.Helper()
	var out []int16
	for _, d := range digits {
		tone, err := ToneDTMF(d, 100*time.Millisecond)
		if err != nil {
			t.Fatal(err)
		}
		on := make([]int16, rate/10)
		NewToneReader(tone, rate).ReadSamples(on)
		out = append(append(out, on...), make([]int16, 6*rate/100)...)
	}
	return out
}

// detect feeds s to a detector 20 ms at a time and returns the digits.
func detect(s []int16, rate int) (string, []DTMFEvent) {
	d := newDTMFDetector(rate)
	var digits string
	var evs []DTMFEvent
	n := SamplesPerFrame(rate)
	for i := 0; i+n <= len(s); i += n {
		if ev, ok := d.feed(s[i : i+n]); ok {
			digits += string(ev.Digit)
			evs = append(evs, ev)
		}
	}
	return digits, evs
}

// TestInbandDTMFIsHeardAndSpeechIsNot: the sixteen keys sent in-band are
// heard in order, at 8 kHz through G.711 and at 16 kHz, each lasting
// about its 100 ms; an espeak-ng sentence and a 1 kHz tone give none.
func TestInbandDTMFIsHeardAndSpeechIsNot(t *testing.T) {
	const keys = "0123456789*#ABCD"
	enc, _ := NewEncoder(CodecPCMU)
	dec, _ := NewDecoder(CodecPCMU)
	narrow := dec.Decode(nil, enc.Encode(nil, keyPresses(t, keys, 8000)))
	for _, c := range []struct {
		name string
		s    []int16
		rate int
	}{{"PCMU 8 kHz", narrow, 8000}, {"16 kHz", keyPresses(t, keys, 16000), 16000}} {
		got, evs := detect(c.s, c.rate)
		if got != keys {
			t.Errorf("%s: heard %q, want %q", c.name, got, keys)
		}
		for _, ev := range evs {
			if !ev.InBand || ev.Duration < 60*time.Millisecond || ev.Duration > 120*time.Millisecond {
				t.Errorf("%s: %q lasted %v (in-band %v), want about 100 ms", c.name, ev.Digit, ev.Duration, ev.InBand)
			}
		}
	}
	tone := make([]int16, 8000)
	NewToneReader(Tone{Freqs: []float64{1000}, Level: 0.5}, 8000).ReadSamples(tone)
	for name, s := range map[string][]int16{"speech": speech(t, 8000), "a 1 kHz tone": tone} {
		if got, _ := detect(s, 8000); got != "" {
			t.Errorf("%s heard as the keys %q", name, got)
		}
	}
}
