package softphone

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/emiago/sipgo/sip"
)

// Hold puts the call on hold: a re-INVITE with a=sendonly (RFC 3264).
func (c *Call) Hold(ctx context.Context) error { return c.setHold(ctx, true) }

// Resume takes the call off hold: a re-INVITE with a=sendrecv.
func (c *Call) Resume(ctx context.Context) error { return c.setHold(ctx, false) }

func (c *Call) setHold(ctx context.Context, hold bool) error {
	if c.State() != StateActive {
		return fmt.Errorf("hold %s: %w", c.id, ErrCallState)
	}
	c.mu.Lock()
	prev := c.localHold
	c.localHold = hold
	c.mu.Unlock()
	if err := c.reinvite(ctx); err != nil {
		c.mu.Lock()
		c.localHold = prev
		c.mu.Unlock()
		return fmt.Errorf("hold %s: %w", c.id, err)
	}
	c.emitHold()
	return nil
}

func (c *Call) emitHold() {
	local, remote := c.OnHold()
	c.p.emit(CallHoldEvent{CallEvent: c.callEvent(), LocalHold: local, RemoteHold: remote})
}

// reinvite sends our current offer in the dialog and applies the answer;
// a 491 glare is retried once after a random pause (RFC 3261 14.1).
func (c *Call) reinvite(ctx context.Context) error {
	for attempt := 0; ; attempt++ {
		res, local, err := c.sendReinvite(ctx)
		if err != nil {
			return err
		}
		if res.StatusCode == 491 && attempt == 0 {
			if err := sleepCtx(ctx, time.Duration(2100+rand.IntN(1900))*time.Millisecond); err != nil {
				return err
			}
			continue
		}
		if !res.IsSuccess() {
			return statusErr(res)
		}
		n, err := applyAnswer(res.Body(), local)
		if err == nil {
			err = c.applyMedia(n)
		}
		return err
	}
}

func (c *Call) sendReinvite(ctx context.Context) (*sip.Response, localMedia, error) {
	d := c.dialog()
	offer, local, err := c.localOffer()
	if err != nil {
		return nil, local, err
	}
	req := d.request(sip.INVITE)
	req.AppendHeader(c.p.contactHeader())
	req.AppendHeader(sip.NewHeader("Content-Type", "application/sdp"))
	req.SetBody(offer)
	res, err := c.p.do(ctx, req)
	if err != nil {
		return nil, local, err
	}
	if res.IsSuccess() {
		d.refreshTarget(res)
		ack := d.ack(req.CSeq().SeqNo)
		if err := c.p.write(ack); err != nil {
			c.p.log.Warn("ACK to re-INVITE not sent", "call_id", c.id, "error", err)
		}
	}
	return res, local, nil
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// inDialog finds the call of an in-dialog request and checks its CSeq,
// answering 481 or 500 itself when it cannot be used.
func (p *Phone) inDialog(req *sip.Request, tx sip.ServerTransaction) *Call {
	c := p.calls.forRequest(req)
	if c == nil {
		_ = p.reply(tx, req, 481, "Call/Transaction Does Not Exist")
		return nil
	}
	if !c.dialog().acceptRemoteSeq(req) {
		_ = p.reply(tx, req, 500, "Server Internal Error", sip.NewHeader("Retry-After", "1"))
		return nil
	}
	return c
}

// handleReInvite answers a peer's re-INVITE (hold, resume, new address).
func (p *Phone) handleReInvite(req *sip.Request, tx sip.ServerTransaction) {
	c := p.inDialog(req, tx)
	if c == nil {
		return
	}
	c.dialog().refreshTarget(req)
	var offer []byte
	if isSDP(headerValue(req, "Content-Type"), req.Body()) {
		offer = req.Body()
	}
	body, pending, n, err := c.answerBody(offer)
	if err != nil {
		p.protocolError("re-invite", err)
		_ = p.reply(tx, req, 488, "Not Acceptable Here")
		return
	}
	res := sip.NewResponseFromRequest(req, 200, "OK", body)
	c.decorate2xx(res)
	c.expectAck(pending)
	if offer != nil {
		c.applyPeerOffer(n, req.CSeq().SeqNo)
	}
	if err := p.respond(tx, res); err != nil {
		return
	}
	p.spawn(func() { c.retransmit2xx(res, pending) })
}

// applyPeerOffer applies an answered offer and reports hold changes.
// Offers from the peer are applied one at a time (an UPDATE and a
// re-INVITE may overlap), and the hold state reported is the one this
// offer produced.
func (c *Call) applyPeerOffer(n negotiated, seq uint32) {
	c.offerMu.Lock()
	defer c.offerMu.Unlock()
	if seq < c.offerSeq {
		return // an older offer overtaken by a newer one
	}
	c.offerSeq = seq
	local, wasHeld := c.OnHold()
	if err := c.applyMedia(n); err != nil {
		c.p.protocolError("re-invite media", err)
	}
	if held := !n.remoteDir.receives(); held != wasHeld {
		c.p.emit(CallHoldEvent{CallEvent: c.callEvent(), LocalHold: local, RemoteHold: held})
	}
}

// handleUpdate answers an UPDATE (RFC 3311), with or without an offer.
func (p *Phone) handleUpdate(req *sip.Request, tx sip.ServerTransaction) {
	c := p.inDialog(req, tx)
	if c == nil {
		return
	}
	c.dialog().refreshTarget(req)
	if !isSDP(headerValue(req, "Content-Type"), req.Body()) {
		_ = p.reply(tx, req, 200, "OK", p.contactHeader())
		return
	}
	body, n, err := c.answerRemote(req.Body())
	if err != nil {
		_ = p.reply(tx, req, 488, "Not Acceptable Here")
		return
	}
	res := sip.NewResponseFromRequest(req, 200, "OK", body)
	res.AppendHeader(p.contactHeader())
	res.AppendHeader(sip.NewHeader("Content-Type", "application/sdp"))
	c.applyPeerOffer(n, req.CSeq().SeqNo)
	_ = p.respond(tx, res)
}

// handleBye ends a call the peer hung up.
func (p *Phone) handleBye(req *sip.Request, tx sip.ServerTransaction) {
	c := p.calls.forRequest(req)
	if c == nil {
		_ = p.reply(tx, req, 481, "Call/Transaction Does Not Exist")
		return
	}
	_ = p.reply(tx, req, 200, "OK")
	reason := EndRemoteHangup
	if c.transferred() {
		reason = EndTransferred
	}
	c.finish(reason, 0, "")
}

// handleInfo receives SIP INFO DTMF (application/dtmf-relay or dtmf).
func (p *Phone) handleInfo(req *sip.Request, tx sip.ServerTransaction) {
	c := p.inDialog(req, tx)
	if c == nil {
		return
	}
	digit, ok := infoDigit(headerValue(req, "Content-Type"), string(req.Body()))
	if !ok {
		_ = p.reply(tx, req, 415, "Unsupported Media Type", sip.NewHeader("Accept", "application/dtmf-relay, application/dtmf"))
		return
	}
	_ = p.reply(tx, req, 200, "OK")
	p.emit(DTMFEvent{CallEvent: c.callEvent(), Digit: digit, Via: "info"})
}

// infoDigit reads the digit of an INFO body.
func infoDigit(ct, body string) (string, bool) {
	ct = strings.ToLower(strings.TrimSpace(strings.Split(ct, ";")[0]))
	switch ct {
	case "application/dtmf":
		d := strings.TrimSpace(body)
		return d, len(d) == 1 && strings.Contains("0123456789*#ABCDabcd", d)
	case "application/dtmf-relay":
		for _, line := range strings.Split(body, "\n") {
			k, v, ok := strings.Cut(line, "=")
			if ok && strings.EqualFold(strings.TrimSpace(k), "Signal") {
				d := strings.ToUpper(strings.TrimSpace(v))
				return d, len(d) == 1 && strings.Contains("0123456789*#ABCD", d)
			}
		}
	}
	return "", false
}
