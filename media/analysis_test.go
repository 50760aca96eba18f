package media

import "math"

// alignedSNR finds the lag (0..maxLag) of got against ref that maximizes
// the signal-to-noise ratio over ref, and returns that SNR in dB and the lag.
func alignedSNR(ref, got []int16, maxLag int) (float64, int) {
	best, bestLag := math.Inf(-1), 0
	for lag := 0; lag <= maxLag; lag++ {
		if snr := snrAt(ref, got, lag); snr > best {
			best, bestLag = snr, lag
		}
	}
	return best, bestLag
}

// snrAt compares ref[i] with got[i+lag] over their overlap.
func snrAt(ref, got []int16, lag int) float64 {
	n := min(len(ref), len(got)-lag)
	var sig, noise float64
	for i := range n {
		d := float64(got[i+lag]) - float64(ref[i])
		sig += float64(ref[i]) * float64(ref[i])
		noise += d * d
	}
	if noise == 0 {
		return math.Inf(1)
	}
	return 10 * math.Log10(sig/noise)
}

// correlation returns the normalized cross-correlation of ref and got at lag.
func correlation(ref, got []int16, lag int) float64 {
	n := min(len(ref), len(got)-lag)
	var xy, xx, yy float64
	for i := range n {
		x, y := float64(ref[i]), float64(got[i+lag])
		xy += x * y
		xx += x * x
		yy += y * y
	}
	if xx == 0 || yy == 0 {
		return 0
	}
	return xy / math.Sqrt(xx*yy)
}

// bestLag returns the lag in [0, maxLag] with the highest correlation,
// searched on the first second of ref (cheap under the race detector; the
// onset from silence makes the lag of a steady tone unambiguous), and the
// correlation over the whole signal.
func bestLag(ref, got []int16, maxLag int) (int, float64) {
	win := ref[:min(len(ref), 8000)]
	lag, best := 0, math.Inf(-1)
	for l := 0; l <= maxLag && l+len(win) <= len(got); l++ {
		if c := correlation(win, got, l); c > best {
			lag, best = l, c
		}
	}
	return lag, correlation(ref, got, lag)
}

// chirp returns n samples of a linear sweep from f0 to f1 Hz at amplitude amp.
func chirp(n, rate int, f0, f1, amp float64) []int16 {
	out := make([]int16, n)
	phase := 0.0
	for i := range out {
		f := f0 + (f1-f0)*float64(i)/float64(n)
		phase += 2 * math.Pi * f / float64(rate)
		out[i] = int16(amp * math.Sin(phase))
	}
	return out
}

// powerSpectrum returns the power per DFT bin (0 .. n/2) of a Hann-windowed frame.
func powerSpectrum(x []int16) []float64 {
	n := len(x)
	out := make([]float64, n/2+1)
	for k := range out {
		var re, im float64
		for i, v := range x {
			w := 0.5 - 0.5*math.Cos(2*math.Pi*float64(i)/float64(n-1))
			a := 2 * math.Pi * float64(k*i) / float64(n)
			re += w * float64(v) * math.Cos(a)
			im -= w * float64(v) * math.Sin(a)
		}
		out[k] = (re*re + im*im) / float64(n)
	}
	return out
}

// logSpectralDistance returns the RMS difference in dB between the power
// spectra of ref and got over bins between lo and hi Hz, with a floor at
// -60 dB of full scale so that silence has a finite (large) distance.
func logSpectralDistance(ref, got []int16, rate int, lo, hi float64) float64 {
	pr, pg := powerSpectrum(ref), powerSpectrum(got)
	floor := 32768.0 * 32768 * 1e-6
	var sum float64
	n := 0
	for k := range pr {
		f := float64(k) * float64(rate) / float64(len(ref))
		if f < lo || f > hi {
			continue
		}
		d := 10*math.Log10(pr[k]+floor) - 10*math.Log10(pg[k]+floor)
		sum += d * d
		n++
	}
	return math.Sqrt(sum / float64(max(1, n)))
}
