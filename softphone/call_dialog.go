package softphone

import (
	"fmt"
	"math/rand/v2"
	"sync"

	"github.com/emiago/sipgo/sip"
)

// dialog is the RFC 3261 dialog state of a call, ours rather than sipgo's
// so that re-INVITE, UPDATE, REFER and NOTIFY work both ways.
type dialog struct {
	mu           sync.Mutex
	callID       string
	local        sip.FromHeader // our identity with our tag
	remote       sip.ToHeader   // peer identity with its tag
	localSeq     uint32
	remoteSeq    uint32
	remoteTarget sip.Uri
	routes       []string // Route header values, in order
}

// dialogFromResponse builds the caller's dialog from a 2xx (or 1xx with a
// tag) to our INVITE: route set = reversed Record-Route.
func dialogFromResponse(invite *sip.Request, res *sip.Response) (*dialog, error) {
	if res.Contact() == nil || res.To() == nil {
		return nil, fmt.Errorf("%w: %d without Contact or To", ErrMalformed, res.StatusCode)
	}
	d := &dialog{callID: callIDOf(invite), local: *invite.From(), remote: *res.To(),
		localSeq: invite.CSeq().SeqNo, remoteTarget: res.Contact().Address}
	rr := res.GetHeaders("Record-Route")
	for i := len(rr) - 1; i >= 0; i-- {
		d.routes = append(d.routes, rr[i].Value())
	}
	return d, nil
}

// dialogFromRequest builds the callee's dialog from an INVITE (or
// SUBSCRIBE): route set = Record-Route in order, a new local tag.
func dialogFromRequest(req *sip.Request, localTag string) (*dialog, error) {
	if req.Contact() == nil || req.From() == nil || req.To() == nil || req.CSeq() == nil {
		return nil, fmt.Errorf("%w: %s without Contact, From, To or CSeq", ErrMalformed, req.Method)
	}
	to := *req.To()
	to.Params = to.Params.Clone()
	to.Params.Add("tag", localTag)
	from := *req.From()
	d := &dialog{callID: callIDOf(req), local: sip.FromHeader{DisplayName: to.DisplayName, Address: to.Address, Params: to.Params},
		remote:    sip.ToHeader{DisplayName: from.DisplayName, Address: from.Address, Params: from.Params},
		remoteSeq: req.CSeq().SeqNo, remoteTarget: req.Contact().Address, localSeq: randomSeq()}
	for _, h := range req.GetHeaders("Record-Route") {
		d.routes = append(d.routes, h.Value())
	}
	return d, nil
}

func randomSeq() uint32 { return rand.Uint32N(10000) + 1 }

func (d *dialog) localTag() string  { t, _ := d.local.Params.Get("tag"); return t }
func (d *dialog) remoteTag() string { t, _ := d.remote.Params.Get("tag"); return t }

// key identifies the dialog for incoming requests: Call-ID and our tag.
func (d *dialog) key() string { return dialogKey(d.callID, d.localTag()) }

func dialogKey(callID, localTag string) string { return callID + "|" + localTag }

// request builds an in-dialog request with the next CSeq.
func (d *dialog) request(method sip.RequestMethod) *sip.Request {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.localSeq++
	return d.build(method, d.localSeq)
}

// ack builds the ACK for the INVITE with sequence seq.
func (d *dialog) ack(seq uint32) *sip.Request {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.build(sip.ACK, seq)
}

func (d *dialog) build(method sip.RequestMethod, seq uint32) *sip.Request {
	req := sip.NewRequest(method, *d.remoteTarget.Clone())
	from := d.local
	from.Params = from.Params.Clone()
	to := d.remote
	to.Params = to.Params.Clone()
	callID := sip.CallIDHeader(d.callID)
	req.AppendHeader(&from)
	req.AppendHeader(&to)
	req.AppendHeader(&callID)
	req.AppendHeader(&sip.CSeqHeader{SeqNo: seq, MethodName: method})
	for _, r := range d.routes {
		req.AppendHeader(sip.NewHeader("Route", r))
	}
	return req
}

// acceptRemoteSeq checks an in-dialog request's CSeq (RFC 3261 12.2.2):
// lower than the last one is refused with 500.
func (d *dialog) acceptRemoteSeq(req *sip.Request) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	seq := req.CSeq().SeqNo
	if d.remoteSeq != 0 && seq < d.remoteSeq {
		return false
	}
	d.remoteSeq = seq
	return true
}

// refreshTarget applies a target refresh (Contact of re-INVITE/UPDATE).
func (d *dialog) refreshTarget(m interface{ Contact() *sip.ContactHeader }) {
	if c := m.Contact(); c != nil {
		d.mu.Lock()
		d.remoteTarget = c.Address
		d.mu.Unlock()
	}
}

// replacesValue renders this dialog for a Replaces header (RFC 3891) as
// seen from the peer: call-id;to-tag=<peer's>;from-tag=<ours> must match
// the peer's view, where to-tag is its local tag.
func (d *dialog) replacesForPeer() string {
	return fmt.Sprintf("%s;to-tag=%s;from-tag=%s", d.callID, d.remoteTag(), d.localTag())
}
