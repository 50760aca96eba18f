package softphone

import (
	"github.com/emiago/sipgo/sip"
)

// routeRequests installs the handlers for requests peers send us, in the
// style of net/http: one handler per method.
func (p *Phone) routeRequests() {
	s := p.server
	s.OnOptions(p.handleOptions)
	s.OnInvite(p.handleInvite)
	s.OnAck(p.handleAck)
	s.OnBye(p.handleBye)
	s.OnCancel(p.handleCancel)
	s.OnInfo(p.handleInfo)
	s.OnRefer(p.handleRefer)
	s.OnNotify(p.handleNotify)
	s.OnUpdate(p.handleUpdate)
	s.OnMessage(p.handleMessage)
	s.OnNoRoute(p.handleUnknown)
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
