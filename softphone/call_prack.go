package softphone

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"

	"github.com/emiago/sipgo/sip"
)

// Reliable provisional responses (RFC 3262, "100rel"). A caller whose
// INVITE requires 100rel gets our 180 Ringing reliably: with Require:
// 100rel and an RSeq, resent (T1, doubling) until its PRACK arrives; with
// no PRACK after 64*T1 the call is refused with 504 Server Time-out. Our 180 carries no
// session description, so the user may answer before the PRACK.
//
// Ligne does not ask for reliable provisionals on the calls it places (it
// does not list 100rel in Supported): peers then send plain 18x.

// supportedOptions are the Require option tags Ligne implements; a
// request requiring any other is refused with 420 (RFC 3261 8.2.2.3).
var supportedOptions = map[string]bool{"100rel": true, "replaces": true}

// reliable1xx is an incoming call's 180 sent reliably.
type reliable1xx struct {
	rseq    uint32
	cseq    uint32 // the INVITE's
	acked   chan struct{}
	expired chan struct{} // closed after 64*T1 without PRACK
	once    sync.Once
}

func (r *reliable1xx) ack() { r.once.Do(func() { close(r.acked) }) }

// requireOptions returns the option tags of req's Require headers as
// written (tokens compare without case, RFC 3261 section 20).
func requireOptions(req *sip.Request) []string {
	var out []string
	for _, h := range req.GetHeaders("Require") {
		for _, opt := range strings.Split(h.Value(), ",") {
			if opt = strings.TrimSpace(opt); opt != "" {
				out = append(out, opt)
			}
		}
	}
	return out
}

// unsupportedOptions lists the options req requires that Ligne does not
// implement (none for ACK and CANCEL, which cannot be refused).
func unsupportedOptions(req *sip.Request) []string {
	if req.Method == sip.ACK || req.Method == sip.CANCEL {
		return nil
	}
	var out []string
	for _, opt := range requireOptions(req) {
		if !supportedOptions[strings.ToLower(opt)] {
			out = append(out, opt)
		}
	}
	return out
}

// requires100rel reports whether the caller requires reliable provisionals.
func requires100rel(req *sip.Request) bool {
	for _, opt := range requireOptions(req) {
		if strings.EqualFold(opt, "100rel") {
			return true
		}
	}
	return false
}

// sendRinging sends our 180, reliably when the caller requires it; it
// returns a channel closed if the PRACK never comes (nil: not reliable).
func (c *Call) sendRinging() <-chan struct{} {
	ringing := c.inResponse(180, "Ringing", nil)
	ringing.AppendHeader(c.p.contactHeader()) // the early dialog's remote target
	if !requires100rel(c.in.req) {
		_ = c.p.respond(c.in.tx, ringing)
		return nil
	}
	rel := &reliable1xx{rseq: rand.Uint32N(1<<31-1) + 1, cseq: c.in.req.CSeq().SeqNo, acked: make(chan struct{}),
		expired: make(chan struct{})}
	c.mu.Lock()
	c.in.reliable = rel
	c.mu.Unlock()
	ringing.AppendHeader(sip.NewHeader("Require", "100rel"))
	ringing.AppendHeader(sip.NewHeader("RSeq", strconv.FormatUint(uint64(rel.rseq), 10)))
	if err := c.p.respond(c.in.tx, ringing); err != nil {
		c.p.log.Debug("reliable 180", "err", err)
	}
	c.p.spawn(func() { c.retransmitReliable(ringing, rel) })
	return rel.expired
}

// retransmitReliable resends a reliable 180 until its PRACK, the call's
// answer or end; after 64*T1 without PRACK it refuses the call (RFC 3262
// section 3: the interval doubles without bound).
func (c *Call) retransmitReliable(res *sip.Response, rel *reliable1xx) {
	ringing := func() bool { return c.State() == StateRinging } // answered or refused: no more provisionals
	c.resend(res, rel.acked, 64*sip.T1, ringing, func() {
		if ringing() {
			c.p.log.Warn("no PRACK for our reliable 180, refusing the call", "call_id", c.id)
			close(rel.expired) // waitRinging refuses the call
		}
	})
}

// handlePrack acknowledges a reliable provisional response (RFC 3262 7.2):
// 200 when its RAck names our 180, 481 otherwise.
func (p *Phone) handlePrack(req *sip.Request, tx sip.ServerTransaction) {
	c := p.inDialog(req, tx)
	if c == nil {
		return
	}
	c.mu.Lock()
	var rel *reliable1xx
	if c.in != nil {
		rel = c.in.reliable
	}
	c.mu.Unlock()
	rseq, cseq, method, ok := parseRAck(headerValue(req, "RAck"))
	if !ok || rel == nil || rseq != rel.rseq || cseq != rel.cseq || method != sip.INVITE {
		_ = p.reply(tx, req, 481, "Call/Transaction Does Not Exist")
		return
	}
	rel.ack()
	_ = p.reply(tx, req, 200, "OK")
}

// parseRAck reads "RAck: <rseq> <cseq> <method>".
func parseRAck(v string) (rseq, cseq uint32, method sip.RequestMethod, ok bool) {
	f := strings.Fields(v)
	if len(f) != 3 {
		return 0, 0, "", false
	}
	r, err1 := strconv.ParseUint(f[0], 10, 32)
	s, err2 := strconv.ParseUint(f[1], 10, 32)
	if err1 != nil || err2 != nil {
		return 0, 0, "", false
	}
	return uint32(r), uint32(s), sip.RequestMethod(strings.ToUpper(f[2])), true
}
