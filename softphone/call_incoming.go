package softphone

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/emiago/sipgo/sip"
)

// incomingLeg is the INVITE server side of an incoming call.
type incomingLeg struct {
	req      *sip.Request
	tx       sip.ServerTransaction
	offer    []byte // nil: delayed offer, the answer comes in the ACK
	decide   chan Disposition
	cancel   chan struct{}
	replaces *Call
	reliable *reliable1xx // our 180 when the caller requires 100rel (Call.mu)
}

// pendingAck tracks a 2xx we sent until its ACK arrives.
type pendingAck struct {
	once  sync.Once
	acked chan struct{}
	local localMedia // for a delayed offer
	offer bool       // our 2xx carried an offer: the ACK carries the answer
}

// handleInvite serves new calls and re-INVITEs.
func (p *Phone) handleInvite(req *sip.Request, tx sip.ServerTransaction) {
	if tag, _ := req.To().Params.Get("tag"); tag != "" {
		p.handleReInvite(req, tx)
		return
	}
	if p.ready() != nil {
		_ = p.reply(tx, req, 503, "Service Unavailable")
		return
	}
	if !p.calls.admit(p.opts.MaxCalls) {
		p.log.Warn("too many calls, refusing", "from", headerValue(req, "From"), "max", p.opts.MaxCalls)
		_ = p.reply(tx, req, 486, "Busy Here")
		return
	}
	c, err := p.newIncoming(req, tx)
	p.calls.done()
	if err != nil {
		p.protocolError("incoming invite", err)
		_ = p.reply(tx, req, rejectCode(err), err.Error())
		return
	}
	c.serveIncoming()
}

func rejectCode(err error) int {
	switch {
	case errors.Is(err, ErrNoMedia), errors.Is(err, ErrNotSecure):
		return 488
	case errors.Is(err, ErrCallEnded):
		return 481
	default:
		return 400
	}
}

// newIncoming checks the INVITE and creates the call and its dialog.
func (p *Phone) newIncoming(req *sip.Request, tx sip.ServerTransaction) (*Call, error) {
	d, err := dialogFromRequest(req, newTag())
	if err != nil {
		return nil, err
	}
	c := newCall(p, d.callID, Incoming)
	c.dlg = d
	c.remote = partyOf(req.From().DisplayName, req.From().Address)
	c.in = &incomingLeg{req: req, tx: tx, decide: make(chan Disposition, 1), cancel: make(chan struct{})}
	if isSDP(headerValue(req, "Content-Type"), req.Body()) {
		c.in.offer = req.Body()
	}
	if err := c.checkReplaces(); err != nil {
		return nil, err
	}
	if err := c.prepareMedia(); err != nil {
		return nil, err
	}
	if c.in.offer != nil {
		if _, _, err := c.answerRemote(c.in.offer); err != nil {
			c.closeMedia()
			return nil, err
		}
	}
	p.calls.add(c)
	p.calls.bind(c, d)
	return c, nil
}

func (c *Call) closeMedia() {
	if s := c.Media(); s != nil {
		_ = s.Close()
	}
}

// serveIncoming runs the policy, then rings, answers or refuses. It
// returns once the INVITE has its final answer.
func (c *Call) serveIncoming() {
	in := c.in
	if !in.tx.OnCancel(func(*sip.Request) { close(in.cancel) }) {
		c.finish(EndCancelled, 487, "cancelled by the caller")
		return
	}
	if in.replaces != nil {
		c.emitIncoming()
		c.answerNow()
		return
	}
	d := c.p.decide(c, in.req)
	c.apply(d)
}

// apply carries out a disposition.
func (c *Call) apply(d Disposition) {
	switch d.Action {
	case ActionReject:
		code := d.Code
		if code == 0 {
			code = 486
		}
		c.refuse(code, EndRejected)
		c.p.emit(CallForwardedEvent{CallEvent: c.callEvent(), From: c.Remote(), Code: code})
	case ActionRedirect:
		c.redirect(d)
	case ActionAnswer:
		c.emitIncoming()
		if c.answerNow() && d.OnAnswer != nil {
			c.p.spawn(func() { d.OnAnswer(c.ctx, c) })
		}
	default:
		c.ring(d)
	}
}

// ring sends 180 and waits for the user, the caller or the no-answer timer.
func (c *Call) ring(d Disposition) {
	c.setState(StateRinging)
	noPrack := c.sendRinging()
	c.emitIncoming()
	if c.p.opts.AutoAnswer {
		c.answerNow()
		return
	}
	wait := c.p.opts.NoAnswerTimeout
	if d.NoAnswer > 0 && d.Then != nil {
		wait = d.NoAnswer
	}
	c.waitRinging(d, wait, c.startSimultaneous(d.Simultaneous), noPrack)
}

// waitRinging waits for the user, the caller, the no-answer timer, the
// simultaneous leg or a PRACK that never came, whichever comes first.
func (c *Call) waitRinging(d Disposition, wait time.Duration, leg *simultaneousLeg, noPrack <-chan struct{}) {
	in := c.in
	timer := time.NewTimer(wait)
	defer timer.Stop()
	for {
		select {
		case d := <-in.decide:
			leg.cancel(c.p.ctx)
			c.onDecision(d)
		case <-in.cancel:
			leg.cancel(c.p.ctx)
			c.finish(EndCancelled, 487, "cancelled by the caller")
		case <-timer.C:
			leg.cancel(c.p.ctx)
			c.onNoAnswer(d)
		case <-noPrack:
			leg.cancel(c.p.ctx)
			c.refuse(504, EndError)
		case <-leg.answered:
			c.takeOver(leg)
		case <-leg.failed:
			leg.answered, leg.failed = nil, nil // keep ringing here
			continue
		case <-c.ctx.Done():
			_ = c.p.respond(in.tx, c.inResponse(480, "Temporarily Unavailable", nil))
		}
		return
	}
}

func (c *Call) emitIncoming() {
	to := c.in.req.To()
	ev := CallIncomingEvent{CallEvent: c.callEvent(), From: c.Remote(), To: partyOf(to.DisplayName, to.Address)}
	if c.in.replaces != nil {
		ev.Replaces = c.in.replaces.id
	}
	c.p.emit(ev)
}

// onDecision carries out what the user chose for a ringing call.
func (c *Call) onDecision(d Disposition) {
	switch d.Action {
	case ActionAnswer:
		if c.answerNow() && d.OnAnswer != nil {
			c.p.spawn(func() { d.OnAnswer(c.ctx, c) })
		}
	case ActionRedirect:
		c.redirect(d)
	default:
		code := d.Code
		if code == 0 {
			code = 486
		}
		c.refuse(code, EndRejected)
	}
}

func (c *Call) onNoAnswer(d Disposition) {
	if d.NoAnswer > 0 && d.Then != nil {
		c.apply(*d.Then)
		return
	}
	c.refuse(480, EndTimeout)
}

// refuse sends a final failure and ends the call.
func (c *Call) refuse(code int, reason EndReason) {
	_ = c.p.respond(c.in.tx, c.inResponse(code, reasonPhrase(code), nil))
	c.finish(reason, code, "")
}

func (c *Call) redirect(d Disposition) {
	res, target, err := c.p.redirectResponse(c.in.req, c.dialog().localTag(), d)
	if err != nil {
		c.p.protocolError("redirect", err)
		c.refuse(480, EndError)
		return
	}
	_ = c.p.respond(c.in.tx, res)
	c.p.emit(CallForwardedEvent{CallEvent: c.callEvent(), From: c.Remote(), Target: target, Code: 302})
	c.finish(EndForwarded, 302, "forwarded to "+target)
}

// inResponse builds a response to the INVITE carrying our To tag.
func (c *Call) inResponse(code int, reason string, body []byte) *sip.Response {
	res := sip.NewResponseFromRequest(c.in.req, code, reason, body)
	setToTag(res, c.dialog().localTag())
	return res
}

// setToTag puts our dialog tag in To (sipgo adds a random one otherwise).
func setToTag(res *sip.Response, tag string) {
	if to := res.To(); to != nil {
		to.Params = to.Params.Clone()
		to.Params.Remove("tag")
		to.Params.Add("tag", tag)
	}
}

// Answer answers a ringing incoming call.
func (c *Call) Answer(ctx context.Context) error {
	return c.Decide(ctx, Disposition{Action: ActionAnswer})
}

// Reject refuses a ringing incoming call: 486 Busy Here or 603 Decline.
func (c *Call) Reject(ctx context.Context, code int) error {
	if code != 603 {
		code = 486
	}
	return c.Decide(ctx, Disposition{Action: ActionReject, Code: code})
}

// Deflect sends a ringing incoming call to target (a number or URI) with a
// 302 whose Diversion reason is "deflection" (RFC 5806): the user chose,
// while it rang, to send it elsewhere.
func (c *Call) Deflect(ctx context.Context, target string) error {
	if strings.TrimSpace(target) == "" {
		return fmt.Errorf("deflect %s: no target", c.id)
	}
	return c.Decide(ctx, Disposition{Action: ActionRedirect, Target: target, DiversionReason: "deflection"})
}

// Decide carries out d for a ringing incoming call, as the user's choice:
// answer (then OnAnswer, e.g. the voicemail), reject or redirect. Ringing
// and the no-answer timer do not apply. It returns once the call is
// answered or over.
func (c *Call) Decide(ctx context.Context, d Disposition) error {
	if c.in == nil || c.State() != StateRinging {
		return fmt.Errorf("answer %s: %w", c.id, ErrCallState)
	}
	select {
	case c.in.decide <- d:
	default:
		return fmt.Errorf("answer %s: %w", c.id, ErrCallState)
	}
	select {
	case <-c.answered:
	case <-c.done:
		if d.Action == ActionAnswer {
			return ErrCallEnded
		}
	case <-ctx.Done():
		return ctx.Err()
	}
	return nil
}

// answerNow sends 200 with our SDP, starts media and waits in the
// background for the ACK.
func (c *Call) answerNow() bool {
	body, pending, n, err := c.answerBody(c.in.offer)
	if err != nil {
		c.p.protocolError("answer", err)
		c.refuse(488, EndNoMedia)
		return false
	}
	res := c.inResponse(200, "OK", body)
	c.decorate2xx(res)
	c.expectAck(pending)
	if err := c.p.respond(c.in.tx, res); err != nil {
		c.finish(EndCancelled, 487, "cancelled by the caller")
		return false
	}
	if !pending.offer {
		if err := c.applyMedia(n); err != nil {
			c.p.protocolError("answer media", err)
		}
	}
	c.markAnswered()
	c.p.spawn(func() { c.retransmit2xx(res, pending) })
	if old := c.in.replaces; old != nil {
		c.p.spawn(func() { old.replaced(c.p.ctx) })
	}
	return true
}

// replaced ends a call another one took over: BYE when established,
// CANCEL when it was still ringing (picked up).
func (c *Call) replaced(ctx context.Context) {
	if c.State() == StateActive {
		_ = c.bye(ctx, EndReplaced)
		return
	}
	c.mu.Lock()
	c.pickedUp = true
	c.mu.Unlock()
	if c.out != nil {
		_ = c.cancelInvite(ctx)
	}
	c.finish(EndReplaced, 0, "picked up")
}

// answerBody answers the offer, or makes an offer when the INVITE had none.
func (c *Call) answerBody(offer []byte) ([]byte, *pendingAck, negotiated, error) {
	pending := &pendingAck{acked: make(chan struct{})}
	if offer == nil {
		body, local, err := c.localOffer()
		pending.local, pending.offer = local, true
		return body, pending, negotiated{}, err
	}
	body, n, err := c.answerRemote(offer)
	return body, pending, n, err
}

func (c *Call) decorate2xx(res *sip.Response) {
	res.AppendHeader(c.p.contactHeader())
	res.AppendHeader(sip.NewHeader("Allow", allowedMethods))
	res.AppendHeader(sip.NewHeader("Supported", "replaces"))
	if len(res.Body()) > 0 {
		res.AppendHeader(sip.NewHeader("Content-Type", "application/sdp"))
	}
}

// expectAck records the 2xx awaiting its ACK; it must be set before the
// 2xx is sent, as the ACK may arrive at once.
func (c *Call) expectAck(pending *pendingAck) {
	c.mu.Lock()
	c.ack = pending
	c.mu.Unlock()
}

// retransmit2xx resends our 2xx (T1 doubling up to T2) until the ACK
// comes; without ACK after 64*T1 the call is ended with BYE (RFC 3261
// 13.3.1.4).
func (c *Call) retransmit2xx(res *sip.Response, pending *pendingAck) {
	c.resend(res, pending.acked, sip.T2, nil, func() {
		c.p.log.Warn("no ACK for our 2xx, hanging up", "call_id", c.id)
		_ = c.bye(c.p.ctx, EndError)
	})
}

// resend passes res to the transport again, at T1 then doubling up to
// maxGap (UDP only: a stream transport delivers it), until done is closed,
// the call ends or keep (when set) turns false; after 64*T1 it calls
// expire instead.
func (c *Call) resend(res *sip.Response, done <-chan struct{}, maxGap time.Duration, keep func() bool, expire func()) {
	interval, deadline := sip.T1, time.NewTimer(64*sip.T1)
	defer deadline.Stop()
	for {
		t := time.NewTimer(interval)
		select {
		case <-done:
			t.Stop()
			return
		case <-c.ctx.Done():
			t.Stop()
			return
		case <-deadline.C:
			t.Stop()
			expire()
			return
		case <-t.C:
			if keep != nil && !keep() {
				return
			}
			if c.p.tp.udp != nil && c.p.server.WriteResponse(res) == nil {
				c.p.tr.outgoing(res)
			}
			interval = min(2*interval, maxGap)
		}
	}
}

// handleAck completes a 2xx exchange (and a delayed offer).
func (p *Phone) handleAck(req *sip.Request, tx sip.ServerTransaction) {
	c := p.calls.forRequest(req)
	if c == nil {
		return
	}
	c.mu.Lock()
	pending := c.ack
	c.mu.Unlock()
	if pending == nil {
		return
	}
	pending.once.Do(func() {
		close(pending.acked)
		if pending.offer {
			c.applyAckAnswer(req, pending.local)
		}
	})
}

func (c *Call) applyAckAnswer(req *sip.Request, local localMedia) {
	n, err := applyAnswer(req.Body(), local)
	if err != nil {
		c.p.protocolError("ack answer", err)
		c.p.spawn(func() { _ = c.bye(c.p.ctx, EndNoMedia) })
		return
	}
	c.applyPeerOffer(n, req.CSeq().SeqNo)
}
