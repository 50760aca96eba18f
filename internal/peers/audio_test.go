package peers

import (
	"math"
	"path/filepath"
	"testing"
)

func TestDominantToneFindsTheSine(t *testing.T) {
	for _, hz := range []float64{440, 1000, 2600} {
		path := filepath.Join(t.TempDir(), "tone.wav")
		if err := WriteWAV(path, 8000, Sine(8000, hz, 0.5, 2)); err != nil {
			t.Fatal(err)
		}
		w, err := ReadWAV(path)
		if err != nil {
			t.Fatal(err)
		}
		tone := DominantTone(w)
		if math.Abs(tone.Hz-hz) > 5 || tone.Purity < 0.8 || tone.Seconds < 1.9 {
			t.Errorf("%v Hz sine measured as %+v", hz, tone)
		}
	}
}

func TestDominantToneOfSilenceIsQuiet(t *testing.T) {
	tone := DominantTone(WAV{Rate: 8000, Samples: make([]float64, 8000)})
	if tone.RMS != 0 || tone.Seconds != 0 {
		t.Errorf("silence measured as %+v", tone)
	}
}
