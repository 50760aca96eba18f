package softphone

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"sync"
	"time"

	"github.com/emiago/sipgo/sip"
)

// registerTimeout bounds one REGISTER attempt (sipgo retransmits inside).
const registerTimeout = 8 * time.Second

// registrar keeps the account registered. One registration dialog: the
// Call-ID and From tag stay, the CSeq grows.
type registrar struct {
	p       *Phone
	callID  string
	fromTag string

	mu     sync.Mutex
	cseq   uint32
	status RegistrationEvent
	bound  sip.Uri // the contact last registered
	kickCh chan string
}

func newRegistrar(p *Phone) *registrar {
	return &registrar{p: p, callID: newCallID(), fromTag: newTag(), kickCh: make(chan string, 1),
		status: RegistrationEvent{AOR: p.acct.AOR(), State: RegUnregistered}}
}

// regResult is the outcome of one REGISTER exchange.
type regResult struct {
	contact sip.Uri // the contact registered
	granted time.Duration
	code    int
	reason  string
	err     error
}

// registerOnce sends one REGISTER (with its challenge round) for expires.
func (r *registrar) registerOnce(ctx context.Context, expires time.Duration) regResult {
	ctx, cancel := context.WithTimeout(ctx, registerTimeout)
	defer cancel()
	if err := r.p.tp.connect(ctx); err != nil {
		return regResult{err: err}
	}
	contact := r.p.tp.currentContact()
	res, err := r.p.do(ctx, r.request(contact, expires))
	if err != nil {
		return regResult{err: fmt.Errorf("register %s: %w", r.p.acct.AOR(), err)}
	}
	out := regResult{contact: contact, code: res.StatusCode, reason: res.Reason}
	if res.StatusCode == sip.StatusIntervalToBrief {
		return r.retryTooBrief(ctx, res, contact)
	}
	if res.IsSuccess() {
		out.granted = grantedExpiry(res, contact, expires)
		r.setBound(contact, expires)
		r.learnPublicAddress(res)
	}
	return out
}

// retryTooBrief answers 423 with the server's Min-Expires.
func (r *registrar) retryTooBrief(ctx context.Context, res *sip.Response, contact sip.Uri) regResult {
	minExp, err := strconv.Atoi(headerValue(res, "Min-Expires"))
	if err != nil || minExp <= 0 {
		return regResult{code: res.StatusCode, reason: res.Reason, err: fmt.Errorf("%w: 423 without Min-Expires", ErrMalformed)}
	}
	exp := time.Duration(minExp) * time.Second
	res2, err := r.p.do(ctx, r.request(contact, exp))
	if err != nil {
		return regResult{err: fmt.Errorf("register %s: %w", r.p.acct.AOR(), err)}
	}
	out := regResult{contact: contact, code: res2.StatusCode, reason: res2.Reason}
	if res2.IsSuccess() {
		out.granted = grantedExpiry(res2, contact, exp)
		r.setBound(contact, exp)
	}
	return out
}

func (r *registrar) setBound(contact sip.Uri, expires time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if expires > 0 {
		r.bound = contact
	} else {
		r.bound = sip.Uri{}
	}
}

// request builds the next REGISTER of the registration dialog.
func (r *registrar) request(contact sip.Uri, expires time.Duration) *sip.Request {
	acct := r.p.acct
	aor := r.p.localURI()
	req := sip.NewRequest(sip.REGISTER, acct.registrarURI())
	from := &sip.FromHeader{DisplayName: acct.DisplayName, Address: aor, Params: sip.NewParams()}
	from.Params.Add("tag", r.fromTag)
	callID := sip.CallIDHeader(r.callID)
	r.mu.Lock()
	r.cseq++
	seq := r.cseq
	r.mu.Unlock()
	contact.User = acct.User
	ch := &sip.ContactHeader{Address: contact, Params: sip.NewParams()}
	ch.Params.Add("expires", strconv.Itoa(int(expires.Seconds())))
	req.AppendHeader(from)
	req.AppendHeader(&sip.ToHeader{DisplayName: acct.DisplayName, Address: aor, Params: sip.NewParams()})
	req.AppendHeader(&callID)
	req.AppendHeader(&sip.CSeqHeader{SeqNo: seq, MethodName: sip.REGISTER})
	req.AppendHeader(ch)
	req.AppendHeader(sip.NewHeader("Expires", strconv.Itoa(int(expires.Seconds()))))
	req.AppendHeader(sip.NewHeader("Allow", allowedMethods))
	return req
}

// grantedExpiry reads our binding's lifetime from a 200 to REGISTER.
func grantedExpiry(res *sip.Response, contact sip.Uri, asked time.Duration) time.Duration {
	for _, h := range res.GetHeaders("Contact") {
		ch, ok := h.(*sip.ContactHeader)
		if !ok || ch.Address.Host != contact.Host || ch.Address.Port != contact.Port {
			continue
		}
		if v, ok := ch.Params.Get("expires"); ok {
			if n, err := strconv.Atoi(v); err == nil && n > 0 {
				return time.Duration(n) * time.Second
			}
		}
	}
	if n, err := strconv.Atoi(headerValue(res, "Expires")); err == nil && n > 0 {
		return time.Duration(n) * time.Second
	}
	return asked
}

// learnPublicAddress applies rport/received from the server's view of our
// Via: behind a NAT, the contact must be the public address.
func (r *registrar) learnPublicAddress(res *sip.Response) {
	via := res.Via()
	if via == nil || r.p.tp.network != "udp" {
		return
	}
	host, _ := via.Params.Get("received")
	port, _ := strconv.Atoi(via.Params.GetOr("rport", ""))
	cur := r.p.tp.currentContact()
	if host == "" {
		host = cur.Host
	}
	if port == 0 {
		port = cur.Port
	}
	if net.ParseIP(host) == nil || !r.p.tp.setContact(host, port) {
		return
	}
	r.p.log.Info("public address learnt from rport/received, registering again", "contact", hostPortString(r.p.tp.currentContact()))
	r.kick("public address changed")
}

// unregister removes our binding (Expires 0), bounded by ctx.
func (r *registrar) unregister(ctx context.Context) {
	r.mu.Lock()
	bound := r.bound
	r.mu.Unlock()
	if bound.Host == "" {
		return
	}
	res, err := r.p.do(ctx, r.request(bound, 0))
	if err != nil || !res.IsSuccess() {
		r.p.log.Warn("unregister failed", "error", errors.Join(err, statusErr(res)))
	}
	r.setBound(bound, 0)
	r.publish(RegistrationEvent{State: RegUnregistered})
}

// kick asks the loop to register again now.
func (r *registrar) kick(reason string) {
	select {
	case r.kickCh <- reason:
	default:
	}
}

func headerValue(m interface{ GetHeader(string) sip.Header }, name string) string {
	if h := m.GetHeader(name); h != nil {
		return h.Value()
	}
	return ""
}

func statusErr(res *sip.Response) error {
	if res == nil || res.IsSuccess() {
		return nil
	}
	return &StatusError{Method: res.CSeq().MethodName.String(), Code: res.StatusCode, Reason: res.Reason}
}

// allowedMethods is our Allow header.
const allowedMethods = "INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, REFER, NOTIFY, UPDATE, MESSAGE, PRACK"
