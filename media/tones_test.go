package media

import "testing"

// envelope returns, per 50 ms block, whether the tone is sounding.
func envelope(s []int16, rate int) []bool {
	block := rate / 20
	var on []bool
	for i := 0; i+block <= len(s); i += block {
		on = append(on, energy(s[i:i+block]) > 100*100)
	}
	return on
}

// TestFrenchCallProgressTones checks frequency and cadence, 50 ms by 50 ms.
func TestFrenchCallProgressTones(t *testing.T) {
	for _, c := range []struct {
		tone    Tone
		on, off int // blocks of 50 ms
	}{
		{ToneRingbackFR(), 30, 70}, // 1.5 s on, 3.5 s off
		{ToneBusyFR(), 10, 10},     // 0.5 / 0.5
		{ToneCallWaitingFR(), 6, 194},
	} {
		s := make([]int16, 8000*2*(c.on+c.off)/20) // two periods
		NewToneReader(c.tone, 8000).ReadSamples(s)
		env := envelope(s, 8000)
		for i, on := range env {
			if want := i%(c.on+c.off) < c.on; on != want {
				t.Errorf("%s: block %d (%d ms) sounding=%v, want %v", c.tone.Name, i, i*50, on, want)
				break
			}
		}
		if share := toneShare(s[:c.on*400], 440, 8000); share < 0.99 {
			t.Errorf("%s: 440 Hz share %.3f", c.tone.Name, share)
		}
	}
}

func TestBuiltInRingtonesSound(t *testing.T) {
	for _, rt := range Ringtones() {
		r, err := NewRingtone(rt.ID, 48000)
		if err != nil {
			t.Fatal(err)
		}
		s := readN(t, r, 48000*6)
		env := envelope(s, 48000)
		on := 0
		for _, b := range env {
			if b {
				on++
			}
		}
		if on == 0 || on == len(env) {
			t.Errorf("%s: sounding in %d of %d blocks, want a pattern with pauses", rt.ID, on, len(env))
		}
		if peak := maxAbs(s); peak < 8000 || peak > 30000 {
			t.Errorf("%s: peak %d", rt.ID, peak)
		}
	}
	if _, err := NewRingtone("nope", 8000); err == nil {
		t.Error("unknown ringtone accepted")
	}
	classic, _ := NewRingtone("classic", 8000)
	s := readN(t, classic, 3200)                          // the first 400 ms trill
	for i, f := range []float64{1000, 1300, 1000, 1300} { // 25 ms each (200 samples)
		if share := toneShare(s[i*200+40:i*200+200], f, 8000); share < 0.8 {
			t.Errorf("classic ringtone, 25 ms step %d: %.0f Hz share %.3f", i, f, share)
		}
	}
}

func maxAbs(s []int16) int {
	m := 0
	for _, v := range s {
		m = max(m, absInt(int(v)))
	}
	return m
}
