package softphone

import (
	"context"
	"fmt"
	"time"

	"github.com/ligne-app/ligne/media"
)

// bridgeRate is the PCM rate of bridged audio.
const bridgeRate = 8000

// Bridge connects the audio of two established calls through Ligne: what
// a's peer says goes to b's peer and back (simultaneous ring, a transfer
// done locally). Each direction is a media.Ring between one session's sink
// and the other's source. The bridge lasts until either call ends; the
// other is then hung up.
func Bridge(a, b *Call) error {
	sa, sb := a.Media(), b.Media()
	if sa == nil || sb == nil {
		return fmt.Errorf("bridge %s and %s: %w", a.id, b.id, ErrCallState)
	}
	frame := 2 * media.SamplesPerFrame(bridgeRate)
	ab, ba := media.NewRing(25*frame, 3*frame), media.NewRing(25*frame, 3*frame)
	ab.SetTrim(10 * frame)
	ba.SetTrim(10 * frame)
	sa.SetSink(ab, bridgeRate)
	sb.SetSource(ab, bridgeRate)
	sb.SetSink(ba, bridgeRate)
	sa.SetSource(ba, bridgeRate)
	a.p.spawn(func() { hangupTogether(a, b) })
	return nil
}

// hangupTogether ends one call when the other ends.
func hangupTogether(a, b *Call) {
	var other *Call
	select {
	case <-a.done:
		other = b
	case <-b.done:
		other = a
	case <-a.p.ctx.Done():
		return
	}
	ctx, cancel := context.WithTimeout(a.p.ctx, 10*time.Second)
	defer cancel()
	_ = other.Hangup(ctx)
}

// simultaneousLeg is the parallel outgoing call of a simultaneous ring.
type simultaneousLeg struct {
	call     *Call
	answered <-chan struct{}
	failed   <-chan struct{}
}

// startSimultaneous dials the parallel number while Ligne rings.
func (c *Call) startSimultaneous(target string) *simultaneousLeg {
	if target == "" {
		return &simultaneousLeg{}
	}
	leg, err := c.p.Dial(c.ctx, target, DialOptions{})
	if err != nil {
		c.p.log.Warn("simultaneous ring not placed", "call_id", c.id, "target", target, "error", err)
		return &simultaneousLeg{}
	}
	leg.parallel.Store(true)
	return &simultaneousLeg{call: leg, answered: leg.Answered(), failed: leg.Done()}
}

// cancel ends the parallel leg when Ligne's own ringing wins or stops.
func (s *simultaneousLeg) cancel(ctx context.Context) {
	if s.call != nil && s.call.State() != StateActive {
		_ = s.call.Hangup(ctx)
	}
}

// takeOver answers the caller and bridges it to the leg that answered.
func (c *Call) takeOver(s *simultaneousLeg) {
	if !c.answerNow() {
		_ = s.call.Hangup(c.p.ctx)
		return
	}
	c.p.emit(CallForwardedEvent{CallEvent: c.callEvent(), From: c.Remote(), Target: s.call.Remote().URI, Code: 200})
	if err := Bridge(c, s.call); err != nil {
		c.p.protocolError("simultaneous ring", err)
	}
}
