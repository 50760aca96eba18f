package media

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestEstimatorQuantileMatchesASort: the one-pass minimum and 99th
// percentile are those of a sorted window, for every window size.
func TestEstimatorQuantileMatchesASort(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for n := 1; n <= estWindow; n++ {
		e := &delayEstimator{}
		for i := 0; i < n; i++ {
			e.win = append(e.win, r.Float64())
		}
		if n%7 == 0 {
			e.win[n/2] = e.win[0]
		}
		e.dirty = true
		e.refresh()
		s := slices.Clone(e.win)
		slices.Sort(s)
		if e.base != s[0] || e.quant != s[int(estQuantile*float64(len(s)-1)+0.5)] {
			t.Fatalf("n=%d: base %v quant %v, want %v %v", n, e.base, e.quant, s[0], s[int(estQuantile*float64(len(s)-1)+0.5)])
		}
	}
}
