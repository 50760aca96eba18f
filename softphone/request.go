package softphone

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"

	"github.com/emiago/sipgo"
	"github.com/emiago/sipgo/sip"
	"github.com/google/uuid"
)

// maxAuthAttempts bounds answers to challenges for one request (a second
// one covers a stale nonce).
const maxAuthAttempts = 2

// finish is the sipgo client option completing every request we send: a
// fresh Via with rport from our contact, the UDP socket, Max-Forwards,
// User-Agent and Content-Length.
func (p *Phone) finish(_ *sipgo.Client, req *sip.Request) error {
	via := &sip.ViaHeader{ProtocolName: "SIP", ProtocolVersion: "2.0", Transport: req.Transport(),
		Params: sip.NewParams()}
	via.Params.Add("branch", sip.GenerateBranch())
	via.Params.Add("rport", "")
	if p.tp.udp != nil {
		c := p.tp.currentContact()
		via.Host, via.Port = c.Host, c.Port
		addr := p.tp.udp.LocalAddr().(*net.UDPAddr)
		req.Laddr = sip.Addr{IP: addr.IP, Port: addr.Port, Hostname: addr.IP.String()}
	}
	req.PrependHeader(via)
	if req.MaxForwards() == nil {
		mf := sip.MaxForwardsHeader(70)
		req.AppendHeader(&mf)
	}
	if req.GetHeader("User-Agent") == nil {
		req.AppendHeader(sip.NewHeader("User-Agent", p.opts.UserAgent))
	}
	if req.Body() == nil {
		req.SetBody(nil)
	}
	return nil
}

// send starts a client transaction for a fully built request (no Via).
func (p *Phone) send(ctx context.Context, req *sip.Request) (sip.ClientTransaction, error) {
	if p.stopping.Load() {
		return nil, fmt.Errorf("send %s: %w", req.Method, ErrClosed)
	}
	req.SetTransport(strings.ToUpper(p.acct.network()))
	p.route(req)
	tx, err := p.client.TransactionRequest(ctx, req, p.finish)
	if err != nil {
		return nil, fmt.Errorf("send %s: %w", req.Method, err)
	}
	p.tr.outgoing(req)
	return tx, nil
}

// route sends every request through the outbound proxy when there is one,
// and requests for our domain to the registrar when it is set.
func (p *Phone) route(req *sip.Request) {
	switch {
	case p.acct.OutboundProxy != "":
		req.SetDestination(p.acct.hopAddr())
	case p.acct.Registrar != "" && req.Route() == nil && req.Recipient.Host == p.acct.Domain:
		req.SetDestination(p.acct.hopAddr())
	}
}

// write sends a request outside any transaction (ACK to 2xx).
func (p *Phone) write(req *sip.Request) error {
	if p.stopping.Load() {
		return fmt.Errorf("write %s: %w", req.Method, ErrClosed)
	}
	req.SetTransport(strings.ToUpper(p.acct.network()))
	p.route(req)
	if err := p.client.WriteRequest(req, p.finish); err != nil {
		return fmt.Errorf("write %s: %w", req.Method, err)
	}
	p.tr.outgoing(req)
	return nil
}

// respond answers a server transaction and traces the answer.
func (p *Phone) respond(tx sip.ServerTransaction, res *sip.Response) error {
	if res.GetHeader("User-Agent") == nil {
		res.AppendHeader(sip.NewHeader("Server", p.opts.UserAgent))
	}
	if err := tx.Respond(res); err != nil {
		return fmt.Errorf("respond %d: %w", res.StatusCode, err)
	}
	p.tr.outgoing(res)
	return nil
}

// reply builds and sends a response without body.
func (p *Phone) reply(tx sip.ServerTransaction, req *sip.Request, code int, reason string, hdrs ...sip.Header) error {
	res := sip.NewResponseFromRequest(req, code, reason, nil)
	for _, h := range hdrs {
		res.AppendHeader(h)
	}
	return p.respond(tx, res)
}

// do sends req and returns its final response, answering 401/407
// challenges with the account's credentials.
func (p *Phone) do(ctx context.Context, req *sip.Request) (*sip.Response, error) {
	for attempt := 0; ; attempt++ {
		tx, err := p.send(ctx, req)
		if err != nil {
			return nil, err
		}
		res, err := waitFinal(ctx, tx, nil)
		tx.Terminate()
		if err != nil || !isChallenge(res) || attempt == maxAuthAttempts {
			return res, err
		}
		if _, err := p.reauthorize(req, res); err != nil {
			return res, err
		}
	}
}

// reauthorize adds credentials for a challenge and prepares req to be sent
// again (new CSeq, new Via).
func (p *Phone) reauthorize(req *sip.Request, res *sip.Response) (bool, error) {
	stale, err := authorize(req, res, p.acct.authUser(), p.acct.Password)
	if err != nil {
		return false, err
	}
	req.RemoveHeader("Via")
	if cseq := req.CSeq(); cseq != nil {
		cseq.SeqNo++
	}
	return stale, nil
}

// waitFinal waits for the final response of a client transaction, passing
// provisional ones to onProvisional.
func waitFinal(ctx context.Context, tx sip.ClientTransaction, onProvisional func(*sip.Response)) (*sip.Response, error) {
	for {
		select {
		case res := <-tx.Responses():
			if res.IsProvisional() {
				if onProvisional != nil {
					onProvisional(res)
				}
				continue
			}
			return res, nil
		case <-tx.Done():
			return nil, txError(tx.Err())
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// txError maps sipgo transaction errors to ours.
func txError(err error) error {
	switch {
	case err == nil:
		return fmt.Errorf("%w: transaction ended without answer", ErrTimeout)
	case errors.Is(err, sip.ErrTransactionTimeout):
		return fmt.Errorf("%w: %v", ErrTimeout, err)
	default:
		return err
	}
}

// newTag returns a random From/To tag.
func newTag() string { return sip.GenerateTagN(16) }

// newCallID returns a random Call-ID.
func newCallID() string { return uuid.NewString() }

// localURI is our address of record as a URI.
func (p *Phone) localURI() sip.Uri {
	return sip.Uri{Scheme: "sip", User: p.acct.User, Host: p.acct.Domain}
}

// contactHeader is our Contact for requests and answers.
func (p *Phone) contactHeader() *sip.ContactHeader {
	c := p.tp.currentContact()
	c.User = p.acct.User
	return &sip.ContactHeader{Address: c}
}

// newRequest builds an out-of-dialog request from us to to.
func (p *Phone) newRequest(method sip.RequestMethod, recipient, to sip.Uri) *sip.Request {
	req := sip.NewRequest(method, recipient)
	from := &sip.FromHeader{DisplayName: p.acct.DisplayName, Address: p.localURI(), Params: sip.NewParams()}
	from.Params.Add("tag", newTag())
	callID := sip.CallIDHeader(newCallID())
	req.AppendHeader(from)
	req.AppendHeader(&sip.ToHeader{Address: to, Params: sip.NewParams()})
	req.AppendHeader(&callID)
	req.AppendHeader(&sip.CSeqHeader{SeqNo: 1, MethodName: method})
	req.AppendHeader(p.contactHeader())
	return req
}
