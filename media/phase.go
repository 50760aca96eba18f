package media

import "time"

// phaseTracker aligns the playout clock with the packets' arrivals. A
// frame can only start on a packet boundary and the clock ticks every
// 20 ms, so without it a packet waits for the next tick: up to 20 ms, 10 ms
// on average, lost for nothing. When every frame of the last half second
// was due at least 2 ms before its tick, the tracker asks the clock to tick
// that much earlier (keeping 1 ms of guard); when a frame was a little
// early (the sender's clock is slower than ours, or the jitter grew), it
// asks the clock to tick later at once, rather than inserting a whole
// concealed packet.
type phaseTracker struct {
	min time.Duration
	n   int
}

const (
	phaseWindow  = 25 // ticks observed before a decision (0.5 s)
	phaseGuard   = time.Millisecond
	phaseMinGain = 2 * time.Millisecond
	// phaseMaxLate is how early a frame may be before the playout inserts
	// a packet instead of letting the clock tick later.
	phaseMaxLate = 5 * time.Millisecond
	notPlaying   = time.Duration(-1 << 62)
)

// observe takes the slack of one tick (negative when not playing) and
// returns how much earlier the clock should tick from now on.
func (t *phaseTracker) observe(slack time.Duration) time.Duration {
	if slack == notPlaying {
		t.n = 0
		return 0
	}
	if slack < 0 {
		t.n = 0
		return slack - phaseGuard // tick later
	}
	if t.n == 0 || slack < t.min {
		t.min = slack
	}
	t.n++
	if t.n < phaseWindow {
		return 0
	}
	t.n = 0
	adv := t.min - phaseGuard
	if adv < phaseMinGain {
		return 0
	}
	return min(adv, FrameDuration-phaseGuard)
}
