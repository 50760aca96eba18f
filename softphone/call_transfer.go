package softphone

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/emiago/sipgo/sip"
)

// transferState follows a REFER we sent on a call.
type transferState struct {
	mu        sync.Mutex
	target    string
	consult   *Call
	succeeded bool
	result    chan int // final sipfrag status
}

func (c *Call) transferred() bool {
	c.mu.Lock()
	x := c.xfr
	c.mu.Unlock()
	if x == nil {
		return false
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.succeeded
}

// BlindTransfer asks the peer to call target (REFER, RFC 3515) and hangs
// up once the peer reports success. It returns when the transfer is over.
func (c *Call) BlindTransfer(ctx context.Context, target string) error {
	uri, err := c.p.targetURI(target)
	if err != nil {
		return fmt.Errorf("transfer %s: %w", c.id, err)
	}
	target = uri.String()
	return c.refer(ctx, "<"+target+">", target, nil)
}

// AttendedTransfer connects the peer of c with the peer of consult (a call
// we made to the transfer target): REFER with Replaces (RFC 3891). Both
// our calls end when it succeeds.
func (c *Call) AttendedTransfer(ctx context.Context, consult *Call) error {
	d := consult.dialog()
	if d == nil || consult.State() != StateActive {
		return fmt.Errorf("attended transfer %s: consultation %w", c.id, ErrCallState)
	}
	remote := d.remote.Address
	remote.UriParams, remote.Headers = nil, nil
	referTo := fmt.Sprintf("<%s?Replaces=%s>", remote.String(), url.QueryEscape(d.replacesForPeer()))
	return c.refer(ctx, referTo, remote.String(), consult)
}

func (c *Call) refer(ctx context.Context, referTo, target string, consult *Call) error {
	if c.State() != StateActive {
		return fmt.Errorf("transfer %s: %w", c.id, ErrCallState)
	}
	x := &transferState{target: target, consult: consult, result: make(chan int, 1)}
	c.mu.Lock()
	c.xfr = x
	c.mu.Unlock()
	req := c.dialog().request(sip.REFER)
	req.AppendHeader(c.p.contactHeader())
	req.AppendHeader(sip.NewHeader("Refer-To", referTo))
	self := c.p.localURI()
	req.AppendHeader(sip.NewHeader("Referred-By", "<"+self.String()+">"))
	res, err := c.p.do(ctx, req)
	if err == nil && !res.IsSuccess() {
		err = statusErr(res)
	}
	if err != nil {
		c.emitTransfer(target, "failed", 0)
		return fmt.Errorf("transfer %s: %w", c.id, err)
	}
	c.emitTransfer(target, "accepted", res.StatusCode)
	return c.awaitTransfer(ctx, x)
}

// awaitTransfer waits for the final NOTIFY, then ends our call(s).
func (c *Call) awaitTransfer(ctx context.Context, x *transferState) error {
	select {
	case code := <-x.result:
		if code >= 300 {
			c.emitTransfer(x.target, "failed", code)
			return fmt.Errorf("transfer %s: target answered %d", c.id, code)
		}
		x.mu.Lock()
		x.succeeded = true
		x.mu.Unlock()
		c.emitTransfer(x.target, "succeeded", code)
		_ = c.bye(ctx, EndTransferred)
		if x.consult != nil {
			x.consult.endConsultation(ctx)
		}
		return nil
	case <-c.done:
		if c.transferredByPeer() {
			return nil
		}
		return fmt.Errorf("transfer %s: %w", c.id, ErrCallEnded)
	case <-ctx.Done():
		return ctx.Err()
	}
}

// endConsultation ends the consultation call after an attended transfer:
// a target honouring Replaces hangs it up itself; one that does not (it
// took the transferee as a new call) leaves it to us.
func (c *Call) endConsultation(ctx context.Context) {
	t := time.NewTimer(2 * time.Second)
	defer t.Stop()
	select {
	case <-c.done:
	case <-t.C:
		c.mu.Lock()
		c.xfr = &transferState{succeeded: true}
		c.mu.Unlock()
		_ = c.bye(ctx, EndTransferred)
	case <-ctx.Done():
	}
}

// transferredByPeer: the peer hung up after accepting our REFER.
func (c *Call) transferredByPeer() bool {
	e, _ := c.EndInfo()
	return e.Reason == EndRemoteHangup || e.Reason == EndTransferred
}

func (c *Call) emitTransfer(target, state string, code int) {
	c.p.emit(CallTransferEvent{CallEvent: c.callEvent(), Target: target, State: state, Code: code})
}

// onReferNotify reads the sipfrag of a NOTIFY for our REFER.
func (c *Call) onReferNotify(req *sip.Request) {
	c.mu.Lock()
	x := c.xfr
	c.mu.Unlock()
	code := sipfragStatus(string(req.Body()))
	if x == nil || code < 200 {
		return
	}
	select {
	case x.result <- code:
	default:
	}
}

// sipfragStatus reads "SIP/2.0 200 OK" from a message/sipfrag body.
func sipfragStatus(body string) int {
	line, _, _ := strings.Cut(strings.TrimSpace(body), "\n")
	f := strings.Fields(line)
	if len(f) < 2 || !strings.HasPrefix(f[0], "SIP/") {
		return 0
	}
	n, _ := strconv.Atoi(f[1])
	return n
}

// handleRefer serves a REFER from our peer: we are transferred. We call the
// target (with Replaces if given) and report progress by NOTIFY.
func (p *Phone) handleRefer(req *sip.Request, tx sip.ServerTransaction) {
	c := p.inDialog(req, tx)
	if c == nil {
		return
	}
	target, hdrs, err := parseReferTo(headerValue(req, "Refer-To"))
	if err != nil {
		p.protocolError("refer", err)
		_ = p.reply(tx, req, 400, "Bad Refer-To")
		return
	}
	_ = p.reply(tx, req, 202, "Accepted")
	c.emitTransfer(target, "requested", 0)
	p.spawn(func() { c.followRefer(target, hdrs, req) })
}

// parseReferTo splits Refer-To into the target URI and its embedded
// headers (Replaces).
func parseReferTo(v string) (string, []sip.Header, error) {
	v = strings.TrimSpace(v)
	if i := strings.IndexByte(v, '<'); i >= 0 {
		j := strings.LastIndexByte(v, '>')
		if j < i {
			return "", nil, fmt.Errorf("%w: Refer-To %q", ErrMalformed, v)
		}
		v = v[i+1 : j]
	}
	uri, query, _ := strings.Cut(v, "?")
	if !strings.HasPrefix(uri, "sip:") && !strings.HasPrefix(uri, "sips:") {
		return "", nil, fmt.Errorf("%w: Refer-To %q", ErrMalformed, v)
	}
	var hdrs []sip.Header
	if query != "" {
		vals, err := url.ParseQuery(query)
		if err != nil {
			return "", nil, fmt.Errorf("%w: Refer-To headers %q", ErrMalformed, query)
		}
		for k, vs := range vals {
			for _, val := range vs {
				hdrs = append(hdrs, sip.NewHeader(k, val))
			}
		}
	}
	return uri, hdrs, nil
}

// followRefer calls the target and NOTIFYs the transferor.
func (c *Call) followRefer(target string, hdrs []sip.Header, refer *sip.Request) {
	ctx := c.p.ctx
	c.notifyRefer(ctx, "SIP/2.0 100 Trying", false)
	hdrs = append(hdrs, sip.NewHeader("Referred-By", headerValue(refer, "Referred-By")))
	nc, err := c.p.Dial(ctx, target, DialOptions{Headers: hdrs})
	if err != nil {
		c.notifyRefer(ctx, "SIP/2.0 503 Service Unavailable", true)
		return
	}
	select {
	case <-nc.Answered():
		c.notifyRefer(ctx, "SIP/2.0 200 OK", true)
	case <-nc.Done():
		e, _ := nc.EndInfo()
		code := e.Code
		if code < 300 {
			code = 500
		}
		c.notifyRefer(ctx, fmt.Sprintf("SIP/2.0 %d %s", code, reasonPhrase(code)), true)
	case <-ctx.Done():
	}
}

// notifyRefer sends the implicit refer subscription's NOTIFY.
func (c *Call) notifyRefer(ctx context.Context, frag string, final bool) {
	if c.State() == StateEnded {
		return
	}
	req := c.dialog().request(sip.NOTIFY)
	req.AppendHeader(c.p.contactHeader())
	req.AppendHeader(sip.NewHeader("Event", "refer"))
	state := "active;expires=60"
	if final {
		state = "terminated;reason=noresource"
	}
	req.AppendHeader(sip.NewHeader("Subscription-State", state))
	req.AppendHeader(sip.NewHeader("Content-Type", "message/sipfrag;version=2.0"))
	req.SetBody([]byte(frag + "\r\n"))
	if _, err := c.p.do(ctx, req); err != nil {
		c.p.log.Debug("refer NOTIFY not answered", "call_id", c.id, "error", err)
	}
}

// checkReplaces links an INVITE with Replaces to the call it replaces.
func (c *Call) checkReplaces() error {
	v := headerValue(c.in.req, "Replaces")
	if v == "" {
		return nil
	}
	callID, toTag, fromTag := parseReplaces(v)
	old := c.p.calls.find(callID, toTag, fromTag)
	if old == nil {
		old = c.p.calls.findEarly(callID, toTag)
	}
	if old == nil || old.State() == StateEnded {
		return fmt.Errorf("%w: Replaces %q matches no call", ErrCallEnded, v)
	}
	c.in.replaces = old
	return nil
}

// parseReplaces reads "call-id;to-tag=X;from-tag=Y".
func parseReplaces(v string) (callID, toTag, fromTag string) {
	parts := strings.Split(v, ";")
	callID = strings.TrimSpace(parts[0])
	for _, p := range parts[1:] {
		k, val, _ := strings.Cut(strings.TrimSpace(p), "=")
		switch strings.ToLower(k) {
		case "to-tag":
			toTag = val
		case "from-tag":
			fromTag = val
		}
	}
	return callID, toTag, fromTag
}

// reasonPhrase is a short reason for the codes we send.
func reasonPhrase(code int) string {
	phrases := map[int]string{200: "OK", 400: "Bad Request", 404: "Not Found", 480: "Temporarily Unavailable",
		481: "Call/Transaction Does Not Exist", 486: "Busy Here", 487: "Request Terminated",
		488: "Not Acceptable Here", 500: "Server Internal Error", 503: "Service Unavailable", 504: "Server Time-out", 603: "Decline"}
	if s, ok := phrases[code]; ok {
		return s
	}
	return "Failed"
}
