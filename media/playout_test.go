package media

import (
	"fmt"
	"testing"
	"time"
)

func tone(rate int, f float64, d time.Duration) []int16 {
	r := NewToneReader(Tone{Freqs: []float64{f}, Level: 0.3}, rate)
	s := make([]int16, int(d.Seconds()*float64(rate)))
	r.ReadSamples(s)
	return s
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

var phases = []time.Duration{0, 5 * time.Millisecond, 10 * time.Millisecond, 15 * time.Millisecond}

// averageOverPhases runs the simulation with the playout clock at several
// phases against the sender's and returns the mean added delay, the worst
// late loss, and the results.
func averageOverPhases(t *testing.T, in []int16, m netModel) (time.Duration, float64, []simResult) {
	t.Helper()
	var sum time.Duration
	worst := 0.0
	var rs []simResult
	for _, ph := range phases {
		r := simulate(in, CodecPCMU, m, true, ph)
		t.Logf("phase %2dms: added mean %.1fms max %.1fms, late %.2f%%, %s", ph.Milliseconds(),
			ms(r.meanAdded), ms(r.maxAdded), 100*r.lateLoss, fmtStats(r.stats))
		sum += r.meanAdded
		worst = max(worst, r.lateLoss)
		rs = append(rs, r)
	}
	return sum / time.Duration(len(phases)), worst, rs
}

func fmtStats(s playoutStats) string {
	return fmt.Sprintf("played %d late %d dup %d discarded %d skipped %d inserted %d resyncs %d",
		s.Played, s.Late, s.Duplicates, s.Discarded, s.Skipped, s.Inserted, s.Resyncs)
}

// The targets, on simulated time (deterministic, not a wall-clock
// measurement): at most 40 ms added without jitter; at most 80 ms and 1 %
// late loss with 30 ms of jitter and 2 % loss.
func TestPlayoutAddsAtMost40msWithoutJitter(t *testing.T) {
	mean, late, _ := averageOverPhases(t, tone(8000, 1000, 10*time.Second), netModel{Base: 5 * time.Millisecond, Seed: 1})
	if mean > 40*time.Millisecond || late > 0 {
		t.Errorf("no jitter: Ligne adds %.1f ms on average (want <= 40), late loss %.2f%%", ms(mean), 100*late)
	}
}

func TestPlayoutAbsorbs30msJitterAnd2PercentLoss(t *testing.T) {
	m := netModel{Base: 5 * time.Millisecond, Jitter: 30 * time.Millisecond, Loss: 0.02, Seed: 4}
	mean, late, _ := averageOverPhases(t, tone(8000, 1000, 20*time.Second), m)
	if mean > 80*time.Millisecond || late > 0.01 {
		t.Errorf("30 ms jitter, 2%% loss: Ligne adds %.1f ms (want <= 80), late loss %.2f%% (want <= 1%%)", ms(mean), 100*late)
	}
}

// TestPlayoutReordersAndDropsDuplicates sends a tone through heavy
// reordering (60 ms jitter for 20 ms packets) and 20 % duplicates without
// loss: every packet must be played once, in order, so the tone comes out
// clean.
func TestPlayoutReordersAndDropsDuplicates(t *testing.T) {
	in := tone(8000, 1000, 10*time.Second)
	r := simulate(in, CodecPCMU, netModel{Base: 5 * time.Millisecond, Jitter: 60 * time.Millisecond, Dup: 0.2, Seed: 5}, true, 0)
	t.Log(fmtStats(r.stats))
	if r.stats.Duplicates < 80 || r.stats.Late > 5 || r.stats.Played < 495 {
		t.Errorf("duplicates dropped %d (want ~100), late %d, played %d of 500", r.stats.Duplicates, r.stats.Late, r.stats.Played)
	}
	lag, corr := bestLag(in, r.out, 4000)
	snr := snrAt(in, r.out, lag)
	t.Logf("output lags by %d samples, correlation %.4f, SNR %.1f dB", lag, corr, snr)
	if snr < 20 {
		t.Errorf("reordered stream plays at %.1f dB SNR against the source, want >= 20 dB", snr)
	}
}

// TestPlayoutFollowsClockDrift runs 60 s with the sender's clock 2000 ppm
// fast and then slow: the buffer must neither grow without bound nor
// starve. The playout clock follows the sender (120 ms over the minute);
// with a fixed clock the buffer skips or inserts packets instead.
func TestPlayoutFollowsClockDrift(t *testing.T) {
	in := tone(8000, 440, 60*time.Second)
	for _, ppm := range []float64{2000, -2000} {
		for _, fixed := range []bool{false, true} {
			m := netModel{Base: 5 * time.Millisecond, Jitter: 10 * time.Millisecond, DriftPPM: ppm, Seed: 6, NoPhase: fixed}
			r := simulate(in, CodecPCMU, m, true, 0)
			t.Logf("%+.0f ppm, fixed clock %v: added mean %.1fms max %.1fms, late %.2f%%, clock moved %s, %s", ppm, fixed,
				ms(r.meanAdded), ms(r.maxAdded), 100*r.lateLoss, r.clockShift, fmtStats(r.stats))
			if r.maxAdded > 100*time.Millisecond || r.lateLoss > 0.01 {
				t.Errorf("%+.0f ppm drift: max added %.1f ms (want <= 100), late %.2f%%", ppm, ms(r.maxAdded), 100*r.lateLoss)
			}
			followed := ppm > 0 && r.clockShift < -80*time.Millisecond || ppm < 0 && r.clockShift > 80*time.Millisecond
			if fixed {
				followed = ppm > 0 && r.stats.Skipped > 0 || ppm < 0 && r.stats.Inserted > 0
			}
			if !followed {
				t.Errorf("%+.0f ppm drift over 60 s was never compensated (fixed clock %v)", ppm, fixed)
			}
		}
	}
}

// TestPlayoutResyncsOnTimestampJump jumps the sender's timestamp forward
// then backward by 10 s: the audio must resume within 100 ms each time.
func TestPlayoutResyncsOnTimestampJump(t *testing.T) {
	in := tone(8000, 1000, 6*time.Second)
	for _, jump := range []int64{80000, -80000} {
		m := netModel{Base: 5 * time.Millisecond, Jitter: 5 * time.Millisecond, Seed: 7, JumpAt: 150, JumpTS: jump}
		r := simulate(in, CodecPCMU, m, true, 0)
		// the simulation pulls 400 ms past the end of the stream: that tail is concealed too
		lost := int64(r.stats.Concealed/8) - 400
		t.Logf("jump %+d: %d ms concealed besides the tail, %s", jump, lost, fmtStats(r.stats))
		if r.stats.Resyncs == 0 || lost > 100 {
			t.Errorf("timestamp jump %+d: %d resyncs, %d ms concealed (want audio back within 100 ms)", jump, r.stats.Resyncs, lost)
		}
	}
}

// TestPlayoutHandlesOtherPacketSizes receives 10 ms and 30 ms packets (some
// peers' ptime) with jitter: the 20 ms frames straddle packets, yet no
// packet may be lost and the tone must come out clean.
func TestPlayoutHandlesOtherPacketSizes(t *testing.T) {
	in := tone(8000, 1000, 6*time.Second)
	for _, pt := range []time.Duration{10 * time.Millisecond, 30 * time.Millisecond} {
		m := netModel{Base: 5 * time.Millisecond, Jitter: 20 * time.Millisecond, Seed: 8, Ptime: pt}
		r := simulate(in, CodecPCMU, m, true, 0)
		lag, _ := bestLag(in, r.out, 4000)
		snr := snrAt(in[:len(in)-4000], r.out, lag)
		t.Logf("ptime %s: added mean %.1f ms, late %.2f%%, SNR %.1f dB, %s", pt, ms(r.meanAdded), 100*r.lateLoss, snr, fmtStats(r.stats))
		if r.lateLoss > 0.01 || snr < 25 || r.meanAdded > 100*time.Millisecond {
			t.Errorf("ptime %s: late %.2f%%, SNR %.1f dB, added %.1f ms", pt, 100*r.lateLoss, snr, ms(r.meanAdded))
		}
	}
}
