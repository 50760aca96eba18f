package media

import (
	"math"
	"time"
)

// delayEstimator learns the network delay variation of one RTP stream and
// derives the playout point. For each packet it records the relative delay
// d = arrival - ts/clock (both counted from the first packet). Over a sliding
// window of about five seconds, the smallest d is the "fastest path" and the
// 99th percentile is the delay that covers nearly every packet. A packet is
// played at ts/clock + offset, where offset is that percentile plus a small
// margin, kept between min d + minDelay and min d + maxDelay. The
// percentile follows a clock drift on its own: when the sender's clock is
// slower, d grows and the highest values are the most recent ones.
type delayEstimator struct {
	clock      float64
	minDelay   float64 // seconds
	maxDelay   float64 // seconds
	originTime time.Time
	originTS   int64
	started    bool
	win        []float64 // relative delays, ring
	pos        int
	scratch    []float64
	dirty      bool
	base       float64 // min of the window
	quant      float64 // high quantile of the window
	offset     float64 // playout offset (seconds after ts/clock), smoothed
	haveOffset bool
	lastPull   time.Time
	outliers   []float64 // consecutive far-off delays (timestamp jump candidates)
}

const (
	estWindow    = 250   // packets (5 s of 20 ms packets)
	estQuantile  = 0.99  // fraction of packets the target delay covers
	estMargin    = 0.003 // seconds added to the measured spread
	estJump      = 0.5   // seconds: a delay this far off is a timestamp jump candidate
	estDecayRate = 0.010 // seconds of target removed per second when jitter calms down
)

func newDelayEstimator(clock int, minDelay, maxDelay time.Duration) *delayEstimator {
	return &delayEstimator{
		clock:    float64(clock),
		minDelay: minDelay.Seconds(),
		maxDelay: maxDelay.Seconds(),
	}
}

// observe records a packet's arrival. It returns true when the stream's
// timing was reset (a timestamp jump confirmed by two packets in a row).
func (e *delayEstimator) observe(arrival time.Time, ts int64) bool {
	if !e.started {
		e.restart(arrival, ts)
		return false
	}
	d := e.relative(arrival, ts)
	if len(e.win) > 0 && (d-e.min() > estJump || e.min()-d > estJump) {
		e.outliers = append(e.outliers, d)
		if len(e.outliers) < 2 {
			return false
		}
		e.restart(arrival, ts)
		return true
	}
	e.outliers = e.outliers[:0]
	e.add(d)
	return false
}

func (e *delayEstimator) relative(arrival time.Time, ts int64) float64 {
	return arrival.Sub(e.originTime).Seconds() - float64(ts-e.originTS)/e.clock
}

// restart re-anchors the timing on this packet, keeping the learned target.
func (e *delayEstimator) restart(arrival time.Time, ts int64) {
	e.originTime, e.originTS, e.started = arrival, ts, true
	e.win, e.pos = e.win[:0], 0
	e.outliers = e.outliers[:0]
	e.add(0)
}

func (e *delayEstimator) add(d float64) {
	if len(e.win) < estWindow {
		e.win = append(e.win, d)
	} else {
		e.win[e.pos] = d
		e.pos = (e.pos + 1) % estWindow
	}
	e.dirty = true
}

func (e *delayEstimator) min() float64 {
	e.refresh()
	return e.base
}

// refresh recomputes the minimum and the jitter spread after new packets:
// one pass over the window, keeping its few largest values (the quantile
// is the k-th largest, k = 3 for a full window), instead of a sort per
// packet.
func (e *delayEstimator) refresh() {
	if !e.dirty || len(e.win) == 0 {
		return
	}
	k := len(e.win) - int(estQuantile*float64(len(e.win)-1)+0.5) // rank from the top, 1-based
	top := e.scratch[:0]                                         // the k largest so far, descending
	e.base = e.win[0]
	for _, d := range e.win {
		e.base = min(e.base, d)
		if len(top) < k {
			top = append(top, d)
		} else if d > top[k-1] {
			top[k-1] = d
		} else {
			continue
		}
		for i := len(top) - 1; i > 0 && top[i] > top[i-1]; i-- {
			top[i], top[i-1] = top[i-1], top[i]
		}
	}
	e.scratch = top
	e.quant = top[k-1]
	e.dirty = false
}

// updateOffset follows the measured delays: up at once, down slowly.
func (e *delayEstimator) updateOffset(now time.Time) {
	e.refresh()
	want := max(e.base+e.minDelay, min(e.base+e.maxDelay, e.quant+estMargin))
	if !e.haveOffset || want >= e.offset {
		e.offset, e.haveOffset = want, true
	} else {
		dt := now.Sub(e.lastPull).Seconds()
		e.offset = max(want, e.offset-estDecayRate*dt)
	}
	e.lastPull = now
}

// desired returns the RTP timestamp that should start playing at now.
func (e *delayEstimator) desired(now time.Time) int64 {
	e.updateOffset(now)
	t := now.Sub(e.originTime).Seconds() - e.offset
	return e.originTS + int64(math.Floor(t*e.clock))
}

// targetDelay returns the current playout delay beyond the fastest arrival.
func (e *delayEstimator) targetDelay() time.Duration {
	return time.Duration((e.offset - e.base) * float64(time.Second))
}

// jitterSpread returns the measured delay variation (quantile - minimum).
func (e *delayEstimator) jitterSpread() time.Duration {
	e.refresh()
	return time.Duration((e.quant - e.base) * float64(time.Second))
}
