package softphone

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/emiago/sipgo/sip"
)

// Action is what the engine does with an incoming call.
type Action string

// Incoming call actions.
const (
	// ActionRing rings (the default); NoAnswer and Then may follow.
	ActionRing Action = "ring"
	// ActionReject refuses with Code (486 Busy Here by default).
	ActionReject Action = "reject"
	// ActionRedirect answers 302 with Target in the account's domain, a
	// Diversion (RFC 5806) and a History-Info (RFC 7044) header.
	ActionRedirect Action = "redirect"
	// ActionAnswer answers at once and runs OnAnswer (the voicemail).
	ActionAnswer Action = "answer"
)

// IncomingCall is what a policy sees of a new call.
type IncomingCall struct {
	CallID string
	From   Party
	To     Party
	// Header returns a header value of the INVITE ("" when absent).
	Header func(name string) string
}

// Disposition is a policy's decision for one incoming call.
type Disposition struct {
	Action Action
	// Code is the rejection status (486 or 603).
	Code int
	// Target is the redirect number or URI.
	Target string
	// DiversionReason is the Diversion reason: unconditional (default),
	// user-busy, no-answer, unavailable.
	DiversionReason string
	// NoAnswer, when ringing, applies Then after this delay.
	NoAnswer time.Duration
	// Then is what happens when NoAnswer expires (redirect or answer).
	Then *Disposition
	// Simultaneous, when ringing, calls this number in parallel; if it
	// answers first the caller is answered and bridged to it, and if Ligne
	// answers first it is cancelled (simultaneous ring).
	Simultaneous string
	// OnAnswer runs in its own goroutine once the call is answered by
	// ActionAnswer; it owns the call until it returns or hangs up.
	OnAnswer func(ctx context.Context, c *Call)
}

// IncomingPolicy decides what happens to each incoming call (forwarding
// rules, DND, voicemail). It must return quickly.
type IncomingPolicy func(ctx context.Context, in IncomingCall) Disposition

func (p *Phone) decide(c *Call, req *sip.Request) Disposition {
	if p.opts.Incoming == nil {
		return Disposition{Action: ActionRing}
	}
	in := IncomingCall{CallID: c.id, From: c.Remote(), To: partyOf(req.To().DisplayName, req.To().Address),
		Header: func(name string) string { return headerValue(req, name) }}
	d := p.opts.Incoming(c.ctx, in)
	if d.Action == "" {
		d.Action = ActionRing
	}
	return d
}

// redirectResponse builds the 302 for a forwarding target.
func (p *Phone) redirectResponse(req *sip.Request, toTag string, d Disposition) (*sip.Response, string, error) {
	target, err := p.targetURI(d.Target)
	if err != nil {
		return nil, "", fmt.Errorf("redirect: %w", err)
	}
	res := sip.NewResponseFromRequest(req, 302, "Moved Temporarily", nil)
	setToTag(res, toTag)
	res.AppendHeader(&sip.ContactHeader{Address: target})
	reason := d.DiversionReason
	if reason == "" {
		reason = "unconditional"
	}
	self := p.localURI()
	res.AppendHeader(sip.NewHeader("Diversion", fmt.Sprintf("<%s>;reason=%s;counter=1", self.String(), reason)))
	res.AppendHeader(sip.NewHeader("History-Info", historyInfo(req.Recipient, target, reason)))
	return res, target.String(), nil
}

// historyInfo renders RFC 7044 entries: the original target, then the
// new one with the cause (302 = "moved temporarily" retargeting).
func historyInfo(orig, target sip.Uri, reason string) string {
	// RFC 4458 causes; deflection is the user's, during alerting
	cause := map[string]string{"user-busy": "486", "no-answer": "408", "unavailable": "503", "deflection": "487"}[reason]
	if cause == "" {
		cause = "302"
	}
	o := orig
	o.UriParams, o.Headers = nil, nil
	return fmt.Sprintf("<%s>;index=1,<%s?Reason=SIP%%3Bcause%%3D%s>;index=1.1;mp=1", o.String(),
		strings.TrimSuffix(target.String(), ">"), cause)
}
