package softphone

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/emiago/sipgo/sip"
	"github.com/ligne-app/ligne/media"
)

// CallState is where a call stands.
type CallState string

// Call states.
const (
	StateDialing CallState = "dialing" // outgoing, INVITE sent
	StateRinging CallState = "ringing" // incoming ringing here, or outgoing alerting there
	StateActive  CallState = "active"  // answered (possibly on hold)
	StateEnded   CallState = "ended"
)

// CallDirection is incoming or outgoing.
type CallDirection string

// Call directions.
const (
	Incoming CallDirection = "incoming"
	Outgoing CallDirection = "outgoing"
)

// Call is one call with one remote party. Its context is cancelled when the
// call ends; every method is safe for concurrent use.
type Call struct {
	p      *Phone
	id     string
	dir    CallDirection
	ctx    context.Context
	cancel context.CancelFunc

	offerMu    sync.Mutex // serialises the peer's offers
	offerSeq   uint32     // CSeq of the last offer applied (under offerMu)
	mu         sync.Mutex
	state      CallState
	dlg        *dialog
	remote     Party
	local      localMedia
	neg        negotiated
	sess       *media.Session
	srtp       *srtpCrypto // the SRTP contexts while the audio is encrypted
	mediaOn    bool
	localHold  bool
	remoteHold bool
	answeredAt time.Time
	createdAt  time.Time
	ended      bool
	end        CallEndedEvent

	answered chan struct{}
	done     chan struct{}

	in  *incomingLeg
	out *outgoingLeg
	ack *pendingAck // our last 2xx to an INVITE, until its ACK

	pickedUp bool // a colleague's pickup replaced this ringing call
	xfr      *transferState

	parallel atomic.Bool // placed by a simultaneous ring, not by the user
}

// SimultaneousLeg reports a call Ligne placed itself to ring another
// number with an incoming call (simultaneous ring): the call log counts
// the incoming call, not this one.
func (c *Call) SimultaneousLeg() bool { return c.parallel.Load() }

func newCall(p *Phone, id string, dir CallDirection) *Call {
	ctx, cancel := context.WithCancel(p.ctx)
	return &Call{p: p, id: id, dir: dir, ctx: ctx, cancel: cancel, state: StateDialing,
		createdAt: p.now(), answered: make(chan struct{}), done: make(chan struct{})}
}

// ID is the call's identifier (the SIP Call-ID of its first leg).
func (c *Call) ID() string { return c.id }

// Direction tells whether we called or were called.
func (c *Call) Direction() CallDirection { return c.dir }

// Context is cancelled when the call ends.
func (c *Call) Context() context.Context { return c.ctx }

// Done is closed when the call has ended.
func (c *Call) Done() <-chan struct{} { return c.done }

// Answered is closed when the call is established.
func (c *Call) Answered() <-chan struct{} { return c.answered }

// State returns the call's state.
func (c *Call) State() CallState {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.state
}

// Remote returns the other party.
func (c *Call) Remote() Party {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.remote
}

// OnHold reports our hold and the peer's hold.
func (c *Call) OnHold() (local, remote bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.localHold, c.remoteHold
}

// EndInfo returns the CallEndedEvent once the call is over.
func (c *Call) EndInfo() (CallEndedEvent, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.end, c.ended
}

// Media returns the call's media session (nil before media is set up), to
// play and record: SetSource, SetSink, Stats.
func (c *Call) Media() *media.Session {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.sess
}

// Codec returns the negotiated audio codec name.
func (c *Call) Codec() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.neg.codec.Name
}

// SendDTMF queues digits as RFC 4733 events (in-band tones when the peer
// did not offer telephone-event), each lasting d (100 ms when 0).
func (c *Call) SendDTMF(digits string, d time.Duration) error {
	if d <= 0 {
		d = 100 * time.Millisecond
	}
	s := c.Media()
	if s == nil || c.State() != StateActive {
		return fmt.Errorf("send dtmf on %s: %w", c.id, ErrCallState)
	}
	for _, digit := range digits {
		if err := s.SendDTMF(digit, d); err != nil {
			return fmt.Errorf("send dtmf %q on %s: %w", digit, c.id, err)
		}
	}
	return nil
}

func (c *Call) setState(s CallState) {
	c.mu.Lock()
	c.state = s
	c.mu.Unlock()
}

func (c *Call) dialog() *dialog {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.dlg
}

func (c *Call) callEvent() CallEvent {
	return CallEvent{Time: c.p.now(), CallID: c.id, Call: c}
}

// markAnswered moves the call to active and reports it once.
func (c *Call) markAnswered() {
	c.mu.Lock()
	if c.state == StateActive || c.ended {
		c.mu.Unlock()
		return
	}
	c.state, c.answeredAt = StateActive, c.p.now()
	remote, codec, secure := c.remote, c.neg.codec.Name, c.neg.keys != nil
	c.mu.Unlock()
	close(c.answered)
	c.p.emit(CallAnsweredEvent{CallEvent: c.callEvent(), Remote: remote, Codec: codec, SRTP: secure})
}

// finish ends the call once: media closed, context cancelled, event sent.
func (c *Call) finish(reason EndReason, code int, msg string) {
	c.mu.Lock()
	if c.ended {
		c.mu.Unlock()
		return
	}
	c.ended, c.state = true, StateEnded
	var dur time.Duration
	if !c.answeredAt.IsZero() {
		dur = c.p.now().Sub(c.answeredAt)
	}
	c.end = CallEndedEvent{CallEvent: c.callEvent(), Reason: reason, Code: code, Message: msg, Duration: dur}
	sess, ev := c.sess, c.end
	c.mu.Unlock()
	c.cancel()
	if sess != nil {
		_ = sess.Close()
	}
	c.p.calls.remove(c)
	close(c.done)
	c.p.log.Info("call ended", "call_id", c.id, "reason", reason, "code", code)
	c.p.emit(ev)
}

// Hangup ends the call: CANCEL while an outgoing call rings, 603 Decline
// for an incoming ringing call, BYE once established.
func (c *Call) Hangup(ctx context.Context) error {
	switch c.State() {
	case StateEnded:
		return nil
	case StateDialing, StateRinging:
		if c.dir == Outgoing {
			return c.cancelInvite(ctx)
		}
		return c.Reject(ctx, 603)
	}
	return c.bye(ctx, EndLocalHangup)
}

// bye sends BYE and ends the call whatever the answer.
func (c *Call) bye(ctx context.Context, reason EndReason) error {
	return c.byeWith(ctx, reason, "")
}

// byeWith is bye with the message the user reads.
func (c *Call) byeWith(ctx context.Context, reason EndReason, msg string) error {
	d := c.dialog()
	if d == nil {
		c.finish(reason, 0, msg)
		return nil
	}
	req := d.request(sip.BYE)
	res, err := c.p.do(ctx, req)
	c.finish(reason, 0, msg)
	if err != nil {
		return fmt.Errorf("bye %s: %w", c.id, err)
	}
	return statusErr(res)
}
