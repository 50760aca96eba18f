package media

import (
	"sync"
	"time"
)

// paceGrace is how long a sound-card-paced session waits for the card's
// next frame before its own timer takes the clock back (a device that
// stalled or went away): two frames late, plus margin.
const paceGrace = 3 * FrameDuration

// sessionClock runs a session's 20 ms ticks: each tick drains the RTP
// received, plays one frame and sends one. Two things can drive it.
//
// Its own timer, by default: one wake-up per tick, moved earlier or later
// by the playout's phase tracker so that packets arrive just before the
// tick that plays them.
//
// The sound card, while the call has the microphone (CallAudio.Attach):
// the capture device calls pace once per 20 ms it recorded, on the
// device's goroutine, right after the audio is in the microphone ring.
// The tick then costs no wake-up of its own (in a Go program a wake-up
// costs more CPU than the tick's work: scripts/bench-call,
// docs/PERFORMANCE.md), the microphone's frame is read as soon as it is
// complete, and packets follow the sound card's clock rather than the
// system's, as in pjsip or baresip. The card's ticks cannot be moved: the
// jitter buffer then keeps its playout point by whole packets, inserting
// or skipping (the phase tracker rests). The timer stays armed paceGrace
// ahead: if the card goes quiet, it takes over.
type sessionClock struct {
	mu      sync.Mutex // held while a tick runs (the state below, the tick's buffers)
	timer   *time.Timer
	n       int64     // number of the next tick (the RTP timestamp follows it)
	next    time.Time // when the timer's next tick is due
	pacedAt time.Time // last tick the sound card ran; zero while the timer runs the clock
	stopped bool
}

// clockLoop runs the timer side of the clock until the session stops.
func (s *Session) clockLoop(start time.Time) {
	c := &s.clock
	c.mu.Lock()
	c.next = start
	c.mu.Unlock()
	for {
		select {
		case <-s.done:
			c.timer.Stop()
			return
		case <-c.timer.C:
		}
		c.timer.Reset(s.timerTicks())
	}
}

// timerTicks runs the ticks due by now, unless the sound card paces the
// clock, and returns when to look again. After a stall of more than
// 100 ms it skips the missed ticks rather than bursting them.
func (s *Session) timerTicks() time.Duration {
	c := &s.clock
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stopped {
		return time.Hour
	}
	now := s.now()
	if !c.pacedAt.IsZero() {
		if wait := c.pacedAt.Add(paceGrace).Sub(now); wait > 0 {
			return wait
		}
		s.log.Debug("sound card stopped pacing the call: the session's timer takes over")
		c.next, c.pacedAt = c.pacedAt.Add(FrameDuration), time.Time{}
	}
	if late := now.Sub(c.next) / FrameDuration; late > 5 {
		c.n += int64(late)
		c.next = c.next.Add(late * FrameDuration)
	}
	for !c.next.After(now) {
		advance := s.tick(c.next, false)
		c.n++
		// a tick may ask the clock to run earlier (playout phase)
		c.next = c.next.Add(FrameDuration - advance)
	}
	return c.next.Sub(now)
}

// pace runs one tick now, on the caller's goroutine (the capture
// device's), and keeps the timer from ticking while the device does.
func (s *Session) pace() {
	c := &s.clock
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.timer == nil || c.stopped {
		return // not started, or stopped
	}
	now := s.now()
	if c.pacedAt.IsZero() {
		s.log.Debug("the sound card paces the call")
	}
	c.pacedAt = now
	c.timer.Reset(paceGrace)
	s.tick(now, true)
	c.n++
}

// tick is one 20 ms step of both paths (c.mu held): received RTP, one
// frame played, one packet sent. It returns how much earlier the timer
// should tick from now on (the phase tracker's advance; 0 when paced).
func (s *Session) tick(at time.Time, paced bool) time.Duration {
	if s.drainer != nil {
		s.drainRTP()
	}
	advance := s.playTick(at, paced)
	s.sendTick(s.clock.n)
	return advance
}
