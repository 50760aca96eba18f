package media

import (
	"math"
	"testing"
	"time"
)

// TestEstimatedMOSFollowsTheEModel checks the simplified E-model at known
// points: a clean short call scores about 4.4, loss and long delay lower it.
func TestEstimatedMOSFollowsTheEModel(t *testing.T) {
	for _, c := range []struct {
		delay time.Duration
		loss  float64
		want  float64
	}{
		{20 * time.Millisecond, 0, 4.41},    // R = 92.7
		{20 * time.Millisecond, 5, 3.90},    // Ie,eff = 95*5/30.1 = 15.8, R = 76.9
		{300 * time.Millisecond, 0, 3.71},   // Id = 7.2 + 13.5, R = 72.5
		{20 * time.Millisecond, 100, 1.165}, // R = 16.8
	} {
		if got := estimateMOS(c.delay, c.loss); math.Abs(got-c.want) > 0.02 {
			t.Errorf("MOS(%s, %.0f%%) = %.3f, want %.2f", c.delay, c.loss, got, c.want)
		}
	}
}
