package softphone

import (
	"strings"

	"github.com/emiago/sipgo"
	"github.com/emiago/sipgo/sip"
)

// routeRequests installs the handlers for requests peers send us, in the
// style of net/http: one handler per method. Each first checks that the
// request has what every handler relies on.
func (p *Phone) routeRequests() {
	s := p.server
	s.OnOptions(p.checked(p.handleOptions))
	s.OnInvite(p.checked(p.handleInvite))
	s.OnAck(p.checked(p.handleAck))
	s.OnBye(p.checked(p.handleBye))
	s.OnCancel(p.checked(p.handleCancel))
	s.OnInfo(p.checked(p.handleInfo))
	s.OnRefer(p.checked(p.handleRefer))
	s.OnNotify(p.checked(p.handleNotify))
	s.OnUpdate(p.checked(p.handleUpdate))
	s.OnPrack(p.checked(p.handlePrack))
	s.OnMessage(p.checked(p.handleMessage))
	s.OnNoRoute(p.checked(p.handleUnknown))
}

// checked answers 400 to a request missing a mandatory header or whose
// CSeq names another method (RFC 4475 3.1.2.15), 420 to one that requires
// an extension Ligne lacks (RFC 3261 8.2.2.3), and passes the others to h.
// An ACK is never answered: it is dropped.
func (p *Phone) checked(h sipgo.RequestHandler) sipgo.RequestHandler {
	return func(req *sip.Request, tx sip.ServerTransaction) {
		reason := malformedReason(req)
		if reason == "" {
			if opts := unsupportedOptions(req); len(opts) > 0 {
				p.log.Debug("request requires unsupported extensions", "method", req.Method, "options", opts)
				_ = p.reply(tx, req, 420, "Bad Extension", sip.NewHeader("Unsupported", strings.Join(opts, ", ")))
				return
			}
			h(req, tx)
			return
		}
		p.log.Debug("malformed request", "method", req.Method, "reason", reason)
		if req.Method != sip.ACK {
			_ = p.reply(tx, req, 400, "Bad Request ("+reason+")")
		}
	}
}

// malformedReason names what makes a request unusable ("" when usable).
func malformedReason(req *sip.Request) string {
	switch {
	case req.From() == nil:
		return "no From"
	case req.To() == nil:
		return "no To"
	case req.CallID() == nil || strings.TrimSpace(req.CallID().Value()) == "":
		return "no Call-ID"
	case req.CSeq() == nil:
		return "no CSeq"
	case req.Via() == nil:
		return "no Via"
	case req.CSeq().MethodName != req.Method:
		return "CSeq method mismatch"
	}
	return ""
}

func (p *Phone) handleOptions(req *sip.Request, tx sip.ServerTransaction) {
	_ = p.reply(tx, req, 200, "OK", sip.NewHeader("Allow", allowedMethods),
		sip.NewHeader("Accept", "application/sdp"))
}

func (p *Phone) handleMessage(req *sip.Request, tx sip.ServerTransaction) {
	_ = p.reply(tx, req, 200, "OK")
}

func (p *Phone) handleUnknown(req *sip.Request, tx sip.ServerTransaction) {
	_ = p.reply(tx, req, 405, "Method Not Allowed", sip.NewHeader("Allow", allowedMethods))
}

// handleCancel answers a CANCEL that matched no INVITE transaction.
func (p *Phone) handleCancel(req *sip.Request, tx sip.ServerTransaction) {
	_ = p.reply(tx, req, 481, "Call/Transaction Does Not Exist")
}
