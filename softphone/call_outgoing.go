package softphone

import (
	"context"
	"fmt"
	"net"
	"slices"
	"strings"
	"sync"

	"github.com/emiago/sipgo"
	"github.com/emiago/sipgo/sip"
)

// DialOptions adjust one outgoing call.
type DialOptions struct {
	// Identity overrides the account's presented identity for this call.
	Identity *Identity
	// Headers are added to the INVITE (e.g. Replaces for a pickup).
	Headers []sip.Header
}

// outgoingLeg is the INVITE side of an outgoing call.
type outgoingLeg struct {
	mu         sync.Mutex
	invite     *sip.Request
	tx         sip.ClientTransaction
	ack        *sip.Request
	cancelOnce sync.Once
	cancelCh   chan struct{}
	auths      int
	redirects  int      // 3xx answers followed
	tried      []string // Request-URIs already invited
}

// maxRedirects bounds how many 3xx answers one call follows.
const maxRedirects = 5

// Dial calls target: a number or user ("0123456789", "alice", "+33 1 23
// 45 67 89") in the account's domain, or a sip:/sips:/tel: URI. It returns
// once the INVITE is sent; progress comes as events and on the Call.
func (p *Phone) Dial(ctx context.Context, target string, opts DialOptions) (*Call, error) {
	if err := p.ready(); err != nil {
		return nil, err
	}
	uri, err := p.targetURI(target)
	if err != nil {
		return nil, fmt.Errorf("dial %q: %w", target, err)
	}
	c := newCall(p, newCallID(), Outgoing)
	c.remote = partyOf("", uri)
	p.calls.add(c)
	if err := c.prepareMedia(); err != nil {
		c.finish(EndError, 0, err.Error())
		return nil, err
	}
	req, local, err := c.buildInvite(uri, opts)
	if err != nil {
		c.finish(EndError, 0, err.Error())
		return nil, fmt.Errorf("dial %q: %w", target, err)
	}
	tx, err := p.send(ctx, req)
	if err != nil {
		c.finish(EndUnavailable, 0, err.Error())
		return nil, fmt.Errorf("dial %q: %w", target, err)
	}
	c.out.tx = tx
	p.spawn(func() { c.runOutgoing(tx, local) })
	return c, nil
}

func (p *Phone) ready() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case p.closed:
		return ErrClosed
	case !p.started:
		return ErrNotStarted
	}
	return nil
}

func (c *Call) buildInvite(uri sip.Uri, opts DialOptions) (*sip.Request, localMedia, error) {
	offer, local, err := c.localOffer()
	if err != nil {
		return nil, local, err
	}
	p := c.p
	req := p.newRequest(sip.INVITE, uri, uri)
	req.RemoveHeader("Call-ID")
	callID := sip.CallIDHeader(c.id)
	req.AppendHeader(&callID)
	id := p.acct.Identity
	if opts.Identity != nil {
		id = *opts.Identity
	}
	p.applyIdentity(req, id)
	for _, h := range opts.Headers {
		req.AppendHeader(h)
	}
	req.AppendHeader(sip.NewHeader("Allow", allowedMethods))
	req.AppendHeader(sip.NewHeader("Supported", "replaces"))
	req.AppendHeader(sip.NewHeader("Content-Type", "application/sdp"))
	req.SetBody(offer)
	c.out = &outgoingLeg{invite: req, cancelCh: make(chan struct{})}
	return req, local, nil
}

// applyIdentity sets the presented identity: anonymous (RFC 3323/3325) or a
// chosen number in From and P-Preferred-Identity.
func (p *Phone) applyIdentity(req *sip.Request, id Identity) {
	from := req.From()
	real := p.localURI()
	switch {
	case id.Anonymous:
		from.DisplayName = "Anonymous"
		from.Address = sip.Uri{Scheme: "sip", User: "anonymous", Host: "anonymous.invalid"}
		req.AppendHeader(sip.NewHeader("Privacy", "id"))
		req.AppendHeader(sip.NewHeader("P-Preferred-Identity", "<"+real.String()+">"))
	case id.Number != "":
		from.Address.User = id.Number
		req.AppendHeader(sip.NewHeader("P-Preferred-Identity", "<"+from.Address.String()+">"))
	}
	if id.DisplayName != "" && !id.Anonymous {
		from.DisplayName = id.DisplayName
	}
}

// targetURI turns what the user typed into a request URI.
func (p *Phone) targetURI(target string) (sip.Uri, error) {
	t := strings.TrimSpace(target)
	var u sip.Uri
	switch {
	case strings.HasPrefix(t, "sip:") || strings.HasPrefix(t, "sips:"):
		if err := sip.ParseUri(t, &u); err != nil || u.Host == "" {
			return u, fmt.Errorf("%w: %q", ErrBadTarget, target)
		}
		return u, nil
	case strings.HasPrefix(t, "tel:"):
		t = strings.TrimPrefix(t, "tel:")
		if i := strings.IndexByte(t, ';'); i >= 0 {
			t = t[:i]
		}
	}
	user := strings.Map(func(r rune) rune {
		if strings.ContainsRune(" .-()/", r) {
			return -1
		}
		return r
	}, t)
	if user == "" || strings.ContainsAny(user, "@:<>\" ") {
		return u, fmt.Errorf("%w: %q", ErrBadTarget, target)
	}
	return sip.Uri{Scheme: "sip", User: user, Host: p.acct.Domain}, nil
}

// partyOf describes a party from a display name and URI.
func partyOf(display string, u sip.Uri) Party {
	return Party{DisplayName: display, User: u.User, URI: u.String()}
}

// runOutgoing follows the INVITE transaction to its end.
func (c *Call) runOutgoing(tx sip.ClientTransaction, local localMedia) {
	cancelled, cancelCh := false, c.out.cancelCh
	for {
		select {
		case res := <-tx.Responses():
			next, done := c.onInviteResponse(tx, res, local, cancelled)
			if done {
				return
			}
			if next != nil {
				tx = next
			}
		case <-tx.Done():
			if c.State() != StateActive {
				c.finish(EndTimeout, 408, "no answer from the network")
			}
			return
		case <-cancelCh:
			cancelCh = nil
			cancelled = true
			c.sendCancel()
		case <-c.ctx.Done():
			return
		}
	}
}

// onInviteResponse handles one response; it returns a new transaction
// after an authentication round, and done when the INVITE is over.
func (c *Call) onInviteResponse(tx sip.ClientTransaction, res *sip.Response, local localMedia, cancelled bool) (sip.ClientTransaction, bool) {
	switch {
	case res.IsProvisional():
		c.onProvisional(res, local)
		return nil, false
	case res.IsSuccess():
		// a 2xx retransmitted because our ACK was lost gets the same ACK
		tx.OnRetransmission(func(r *sip.Response) {
			if r.IsSuccess() {
				c.resendAck()
			}
		})
		c.onInviteOK(res, local, cancelled)
		return nil, true
	case isChallenge(res) && c.out.auths < maxAuthAttempts && !cancelled:
		return c.retryInviteAuth(res)
	case isRedirect(res) && !cancelled:
		if tx, ok := c.followRedirect(res); ok {
			return tx, false
		}
	}
	reason, msg := failureReason(res)
	if reason == EndNoMedia && local.srtp == srtpRequire {
		reason, msg = EndNotSecure, "the other side does not accept encrypted audio (SRTP), which this account requires ("+msg+")"
	}
	c.mu.Lock()
	if c.pickedUp {
		reason, msg = EndReplaced, "picked up"
	}
	c.mu.Unlock()
	c.finish(reason, res.StatusCode, msg)
	return nil, true
}

func (c *Call) retryInviteAuth(res *sip.Response) (sip.ClientTransaction, bool) {
	c.out.auths++
	if _, err := c.p.reauthorize(c.out.invite, res); err != nil {
		c.finish(EndRejected, res.StatusCode, err.Error())
		return nil, true
	}
	tx, err := c.p.send(c.ctx, c.out.invite)
	if err != nil {
		c.finish(EndError, 0, err.Error())
		return nil, true
	}
	c.out.mu.Lock()
	c.out.tx = tx
	c.out.mu.Unlock()
	return tx, false
}

// isRedirect tells the 3xx answers that name where to call instead.
func isRedirect(res *sip.Response) bool {
	return res.StatusCode == 301 || res.StatusCode == 302
}

// followRedirect sends the INVITE again to the first Contact of a 301 or
// 302 not invited yet (RFC 3261 8.1.3.4: same Call-ID and From tag, next
// CSeq), at most maxRedirects times. false when there is nothing to
// follow: the call then ends with the redirect reported.
func (c *Call) followRedirect(res *sip.Response) (sip.ClientTransaction, bool) {
	if c.out.redirects >= maxRedirects {
		return nil, false
	}
	req := c.out.invite
	if len(c.out.tried) == 0 {
		c.out.tried = append(c.out.tried, req.Recipient.String())
	}
	target, ok := redirectTarget(res, c.out.tried)
	if !ok {
		return nil, false
	}
	c.out.redirects++
	c.out.auths = 0
	c.out.tried = append(c.out.tried, target.String())
	req.Recipient = target
	req.SetDestination("")
	for _, h := range []string{"Via", "Authorization", "Proxy-Authorization"} {
		req.RemoveHeader(h)
	}
	if cseq := req.CSeq(); cseq != nil {
		cseq.SeqNo++
	}
	c.p.log.Info("call redirected", "call", c.id, "code", res.StatusCode, "to", target.String())
	tx, err := c.p.send(c.ctx, req)
	if err != nil {
		c.p.log.Warn("redirect not followed", "call", c.id, "to", target.String(), "err", err)
		return nil, false // the call ends with the redirect reported
	}
	c.out.mu.Lock()
	c.out.tx = tx
	c.out.mu.Unlock()
	return tx, true
}

// redirectTarget returns the first sip/sips Contact of res not in tried
// (a redirect back to a URI already invited would loop).
func redirectTarget(res *sip.Response, tried []string) (sip.Uri, bool) {
	for _, h := range res.GetHeaders("Contact") {
		ch, ok := h.(*sip.ContactHeader)
		if !ok {
			continue
		}
		u := ch.Address
		if u.Scheme != "" && u.Scheme != "sip" && u.Scheme != "sips" || u.Host == "" || slices.Contains(tried, u.String()) {
			continue
		}
		u.UriParams, u.Headers = nil, nil // transport and method parameters of the Contact are not ours to keep
		return u, true
	}
	return sip.Uri{}, false
}

func (c *Call) onProvisional(res *sip.Response, local localMedia) {
	if res.StatusCode == 100 {
		return
	}
	early := false
	if isSDP(headerValue(res, "Content-Type"), res.Body()) {
		if n, err := applyAnswer(res.Body(), local); err == nil && c.applyMedia(n) == nil {
			early = true
		}
	}
	c.setState(StateRinging)
	c.p.emit(CallProgressEvent{CallEvent: c.callEvent(), Code: res.StatusCode, Reason: res.Reason, EarlyMedia: early})
}

// onInviteOK confirms the dialog: ACK, media, answered.
func (c *Call) onInviteOK(res *sip.Response, local localMedia, cancelled bool) {
	d, err := dialogFromResponse(c.out.invite, res)
	if err != nil {
		c.p.protocolError("invite", err)
		c.finish(EndError, res.StatusCode, err.Error())
		return
	}
	c.mu.Lock()
	c.dlg = d
	c.remote = partyOf(res.To().DisplayName, res.To().Address)
	c.mu.Unlock()
	c.p.calls.bind(c, d)
	c.sendAck(d)
	if cancelled {
		_ = c.bye(c.p.ctx, EndCancelled)
		return
	}
	n, err := applyAnswer(res.Body(), local)
	if err == nil {
		err = c.applyMedia(n)
	}
	if err != nil {
		c.p.protocolError("invite answer", err)
		_ = c.byeWith(c.p.ctx, mediaEndReason(err), err.Error())
		return
	}
	c.markAnswered()
}

// sendAck acknowledges the 2xx and keeps the ACK for retransmitted 2xx.
func (c *Call) sendAck(d *dialog) {
	ack := d.ack(c.out.invite.CSeq().SeqNo)
	if err := c.p.write(ack); err != nil {
		c.p.log.Warn("ACK not sent", "call_id", c.id, "error", err)
	}
	c.out.mu.Lock()
	c.out.ack = ack
	c.out.mu.Unlock()
}

// resendAck answers a retransmitted 2xx with the same ACK.
func (c *Call) resendAck() {
	c.out.mu.Lock()
	ack := c.out.ack
	c.out.mu.Unlock()
	if ack == nil {
		return
	}
	again := ack.Clone()
	again.RemoveHeader("Via")
	_ = c.p.write(again)
}

// cancelInvite asks the INVITE loop to CANCEL and waits for the end.
func (c *Call) cancelInvite(ctx context.Context) error {
	c.out.cancelOnce.Do(func() { close(c.out.cancelCh) })
	select {
	case <-c.done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("cancel %s: %w", c.id, ctx.Err())
	}
}

// sendCancel sends CANCEL for the pending INVITE (RFC 3261 9.1: same
// Request-URI, Call-ID, From, To, CSeq number and top Via).
func (c *Call) sendCancel() {
	c.out.mu.Lock()
	inv := c.out.invite
	c.out.mu.Unlock()
	req := sip.NewRequest(sip.CANCEL, inv.Recipient)
	req.AppendHeader(sip.HeaderClone(inv.Via()))
	req.AppendHeader(sip.HeaderClone(inv.From()))
	req.AppendHeader(sip.HeaderClone(inv.To()))
	req.AppendHeader(sip.HeaderClone(inv.CallID()))
	req.AppendHeader(&sip.CSeqHeader{SeqNo: inv.CSeq().SeqNo, MethodName: sip.CANCEL})
	sip.CopyHeaders("Route", inv, req)
	mf := sip.MaxForwardsHeader(70)
	req.AppendHeader(&mf)
	req.SetTransport(inv.Transport())
	req.SetDestination(inv.Destination())
	req.Laddr = inv.Laddr // from our socket, like the INVITE (else sipgo opens another one)
	tx, err := c.p.client.TransactionRequest(c.ctx, req, c.p.keepVia)
	if err != nil {
		c.p.log.Warn("CANCEL not sent", "call_id", c.id, "error", err)
		return
	}
	c.p.tr.outgoing(req)
	c.p.spawn(func() {
		defer tx.Terminate()
		_, _ = waitFinal(c.ctx, tx, nil)
	})
}

// keepVia completes a request that already has its Via (CANCEL).
func (p *Phone) keepVia(_ *sipgo.Client, req *sip.Request) error {
	if p.tp.udp != nil {
		addr := p.tp.udp.LocalAddr().(*net.UDPAddr)
		req.Laddr = sip.Addr{IP: addr.IP, Port: addr.Port, Hostname: addr.IP.String()}
	}
	req.SetBody(nil)
	return nil
}

// failureReason maps a final failure to a reason and an English message.
func failureReason(res *sip.Response) (EndReason, string) {
	code := res.StatusCode
	msg := fmt.Sprintf("%d %s", code, res.Reason)
	switch code {
	case 486, 600:
		return EndBusy, "busy (" + msg + ")"
	case 603:
		return EndDeclined, "declined (" + msg + ")"
	case 404, 604, 484:
		return EndNotFound, "number not found (" + msg + ")"
	case 408, 504:
		return EndTimeout, "no answer (" + msg + ")"
	case 487:
		return EndCancelled, "cancelled"
	case 488, 606:
		return EndNoMedia, "no common audio format (" + msg + ")"
	case 401, 407, 403:
		return EndRejected, "refused by the server: check your account (" + msg + ")"
	case 301, 302, 305, 380:
		return EndUnavailable, "redirected to " + headerValue(res, "Contact") + " (" + msg + ")"
	case 480, 500, 502, 503:
		return EndUnavailable, "unavailable (" + msg + ")"
	}
	return EndRejected, "failed (" + msg + ")"
}
