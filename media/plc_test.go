package media

import (
	"math"
	"testing"
	"time"
)

// segmentalSNR is the mean over 20 ms segments of the SNR in dB, each
// clamped to [-10, 35] dB (the usual speech-quality measure), over the
// segments where the reference is not silent.
func segmentalSNR(ref, got []int16, lag, seg int) float64 {
	var sum float64
	n := 0
	for i := 0; i+seg <= len(ref) && i+lag+seg <= len(got); i += seg {
		var s, e float64
		for j := i; j < i+seg; j++ {
			d := float64(got[j+lag]) - float64(ref[j])
			s += float64(ref[j]) * float64(ref[j])
			e += d * d
		}
		if s/float64(seg) < 100*100 {
			continue
		}
		v := 35.0
		if e > 0 {
			v = max(-10, min(35, 10*math.Log10(s/e)))
		}
		sum += v
		n++
	}
	return sum / float64(max(1, n))
}

// TestConcealmentBeatsSilenceAt5PercentLoss plays a tone and speech
// through 5 % random loss with concealment and with silence insertion.
// The tone must come out much closer to the source (SNR), the spectrum of
// the lost speech frames much closer (log-spectral distance), and the
// speech waveform no worse.
func TestConcealmentBeatsSilenceAt5PercentLoss(t *testing.T) {
	sp := speech(t, 8000)
	m := netModel{Base: 5 * time.Millisecond, Loss: 0.05, Seed: 11}
	tn := tone(8000, 1000, 10*time.Second)
	on, off := simulate(tn, CodecPCMU, m, true, 0), simulate(tn, CodecPCMU, m, false, 0)
	lagOn, _ := bestLag(tn, on.out, 2000)
	lagOff, _ := bestLag(tn, off.out, 2000)
	snrOn, snrOff := snrAt(tn, on.out, lagOn), snrAt(tn, off.out, lagOff)
	t.Logf("1 kHz tone, 5%% loss (%d packets): SNR %.1f dB concealed, %.1f dB silence", len(on.lost), snrOn, snrOff)
	if snrOn < snrOff+10 {
		t.Errorf("tone: concealment %.1f dB vs silence %.1f dB, want at least 10 dB better", snrOn, snrOff)
	}
	on, off = simulate(sp, CodecPCMU, m, true, 0), simulate(sp, CodecPCMU, m, false, 0)
	lagOn, corrOn := bestLag(sp, on.out, 2000)
	lagOff, corrOff := bestLag(sp, off.out, 2000)
	lsdOn, lsdOff := lostLSD(sp, on, lagOn), lostLSD(sp, off, lagOff)
	snrOn, snrOff = snrAt(sp, on.out, lagOn), snrAt(sp, off.out, lagOff)
	t.Logf("speech, 5%% loss (%d packets): lost-frame spectral distance %.1f dB concealed, %.1f dB silence; SNR %.2f / %.2f dB; correlation %.4f / %.4f",
		len(on.lost), lsdOn, lsdOff, snrOn, snrOff, corrOn, corrOff)
	if lsdOn > lsdOff-4 || snrOn < snrOff-0.5 {
		t.Errorf("speech: concealment does not beat silence (distance %.1f vs %.1f dB, SNR %.2f vs %.2f dB)", lsdOn, lsdOff, snrOn, snrOff)
	}
}

// TestLongLossFadesToComfortNoise loses 200 ms in the middle of a tone:
// the first 10 ms are concealed at full level, then the concealment fades
// out and comfort noise (quiet, but not digital silence) takes over.
func TestLongLossFadesToComfortNoise(t *testing.T) {
	in := tone(8000, 1000, 3*time.Second)
	r := simulate(in, CodecPCMU, netModel{Base: 5 * time.Millisecond, Seed: 12, BurstAt: 50, BurstLen: 10}, true, 0)
	lag, _ := bestLag(in, r.out, 2000)
	start := 50*160 + lag
	first := frameRMS(r.out[start : start+80])
	late := r.out[start+100*8 : start+200*8]
	t.Logf("burst of 200 ms: RMS %.0f in the first 10 ms (source %.0f), %.1f in the last 100 ms", first, frameRMS(in[:80]), frameRMS(late))
	if first < 0.7*frameRMS(in[:80]) {
		t.Errorf("the start of the loss is not concealed at full level")
	}
	if rms := frameRMS(late); rms > 2*cnMaxLevel || rms == 0 {
		t.Errorf("the end of a long loss has RMS %.1f: want comfort noise (0 < RMS <= %.0f)", rms, 2*cnMaxLevel)
	}
}

// lostLSD is the mean log-spectral distance between the source and the
// output over the frames whose packets the network dropped.
func lostLSD(ref []int16, r simResult, lag int) float64 {
	var sum float64
	n := 0
	for _, k := range r.lost {
		a, b := k*160, k*160+lag
		if b+160 > len(r.out) || energy(ref[a:a+160]) < 100*100 {
			continue
		}
		sum += logSpectralDistance(ref[a:a+160], r.out[b:b+160], 8000, 100, 3800)
		n++
	}
	return sum / float64(max(1, n))
}
