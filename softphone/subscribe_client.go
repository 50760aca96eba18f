package softphone

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/emiago/sipgo/sip"
)

// subscribeExpiry is the lifetime we ask for subscriptions.
const subscribeExpiry = 10 * time.Minute

// subscription is one SUBSCRIBE dialog (RFC 6665) kept alive: refreshed
// before expiry, and recreated after a failure or a termination.
type subscription struct {
	p        *Phone
	event    string
	accept   string
	target   sip.Uri
	onNotify func(body []byte)
	onFail   func(reason string)
	kickCh   chan string
	cancel   context.CancelFunc
	done     chan struct{}

	applyMu      sync.Mutex
	mu           sync.Mutex
	dlg          *dialog
	callID       string
	tag          string
	ended        chan string // a terminated NOTIFY
	notifyCallID string      // dialog and CSeq of the last NOTIFY applied
	notifySeq    uint32
}

// subscriptions indexes subscriptions by Call-ID and our tag.
type subscriptions struct {
	mu    sync.Mutex
	byKey map[string]*subscription
	list  map[*subscription]struct{}
}

func newSubscriptions() *subscriptions {
	return &subscriptions{byKey: map[string]*subscription{}, list: map[*subscription]struct{}{}}
}

func (s *subscriptions) add(sub *subscription) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.list[sub] = struct{}{}
}

func (s *subscriptions) index(sub *subscription, key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.byKey[key] = sub
}

func (s *subscriptions) drop(sub *subscription) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.list, sub)
	for k, v := range s.byKey {
		if v == sub {
			delete(s.byKey, k)
		}
	}
}

func (s *subscriptions) forRequest(req *sip.Request) *subscription {
	tag, _ := req.To().Params.Get("tag")
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.byKey[dialogKey(callIDOf(req), tag)]
}

func (s *subscriptions) all() []*subscription {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*subscription, 0, len(s.list))
	for sub := range s.list {
		out = append(out, sub)
	}
	return out
}

// refreshAll re-subscribes after a network change.
func (s *subscriptions) refreshAll(reason string) {
	for _, sub := range s.all() {
		select {
		case sub.kickCh <- reason:
		default:
		}
	}
}

// closeAll unsubscribes everything (Expires 0), bounded by ctx.
func (s *subscriptions) closeAll(ctx context.Context) {
	for _, sub := range s.all() {
		sub.stop(ctx)
	}
}

// startSubscription starts keeping a subscription alive.
func (p *Phone) startSubscription(event, accept string, target sip.Uri, onNotify func([]byte), onFail func(string)) *subscription {
	ctx, cancel := context.WithCancel(p.ctx)
	sub := &subscription{p: p, event: event, accept: accept, target: target, onNotify: onNotify, onFail: onFail,
		kickCh: make(chan string, 1), cancel: cancel, done: make(chan struct{}), ended: make(chan string, 1)}
	p.subs.add(sub)
	p.spawn(func() {
		defer close(sub.done)
		sub.run(ctx)
	})
	return sub
}

// stop unsubscribes and ends the loop.
func (sub *subscription) stop(ctx context.Context) {
	sub.cancel()
	<-sub.done
	sub.mu.Lock()
	d := sub.dlg
	sub.dlg = nil
	sub.mu.Unlock()
	if d != nil {
		req := d.request(sip.SUBSCRIBE)
		sub.decorate(req, 0)
		_, _ = sub.p.do(ctx, req)
	}
	sub.p.subs.drop(sub)
}

// run subscribes, refreshes and re-subscribes until ctx ends.
func (sub *subscription) run(ctx context.Context) {
	failures := 0
	for ctx.Err() == nil {
		granted, err := sub.subscribe(ctx)
		if err != nil {
			failures++
			sub.onFail(err.Error())
			_ = sub.wait(ctx, backoff(failures, sub.p.opts.RetryMax))
			continue
		}
		failures = 0
		for ctx.Err() == nil {
			if !sub.wait(ctx, refreshAfter(granted)) {
				break // terminated or kicked: new subscription
			}
			if granted, err = sub.refresh(ctx); err != nil {
				sub.onFail(err.Error())
				break
			}
		}
	}
}

// wait returns true when the refresh time comes, false when the
// subscription ended or must be redone.
func (sub *subscription) wait(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-sub.ended:
	case <-sub.kickCh:
	case <-ctx.Done():
	}
	sub.mu.Lock()
	sub.dlg = nil
	sub.mu.Unlock()
	return false
}

func (sub *subscription) decorate(req *sip.Request, expires time.Duration) {
	req.AppendHeader(sub.p.contactHeader())
	req.AppendHeader(sip.NewHeader("Event", sub.event))
	req.AppendHeader(sip.NewHeader("Accept", sub.accept))
	req.AppendHeader(sip.NewHeader("Expires", strconv.Itoa(int(expires.Seconds()))))
}

// subscribe creates a new subscription dialog.
func (sub *subscription) subscribe(ctx context.Context) (time.Duration, error) {
	ctx, cancel := context.WithTimeout(ctx, registerTimeout)
	defer cancel()
	p := sub.p
	req := p.newRequest(sip.SUBSCRIBE, sub.target, sub.target)
	req.RemoveHeader("Contact")
	sub.decorate(req, sub.p.opts.SubscribeExpiry)
	callID, tag := callIDOf(req), req.From().Params.GetOr("tag", "")
	p.subs.index(sub, dialogKey(callID, tag))
	res, err := p.do(ctx, req)
	if err == nil && !res.IsSuccess() {
		err = statusErr(res)
	}
	if err != nil {
		return 0, err
	}
	d, err := dialogFromResponse(req, res)
	if err != nil {
		return 0, err
	}
	d.localSeq = req.CSeq().SeqNo
	sub.mu.Lock()
	sub.dlg, sub.callID, sub.tag = d, callID, tag
	sub.mu.Unlock()
	return expiresOf(res, sub.p.opts.SubscribeExpiry), nil
}

// refresh re-SUBSCRIBEs within the dialog.
func (sub *subscription) refresh(ctx context.Context) (time.Duration, error) {
	sub.mu.Lock()
	d := sub.dlg
	sub.mu.Unlock()
	if d == nil {
		return 0, ErrCallEnded
	}
	ctx, cancel := context.WithTimeout(ctx, registerTimeout)
	defer cancel()
	req := d.request(sip.SUBSCRIBE)
	sub.decorate(req, sub.p.opts.SubscribeExpiry)
	res, err := sub.p.do(ctx, req)
	if err == nil && !res.IsSuccess() {
		err = statusErr(res)
	}
	if err != nil {
		return 0, err
	}
	return expiresOf(res, sub.p.opts.SubscribeExpiry), nil
}

func expiresOf(res *sip.Response, def time.Duration) time.Duration {
	if n, err := strconv.Atoi(headerValue(res, "Expires")); err == nil && n > 0 {
		return time.Duration(n) * time.Second
	}
	return def
}

// handleNotify dispatches NOTIFY: refer progress on calls, dialog and
// message-summary on subscriptions, unsolicited message-summary.
func (p *Phone) handleNotify(req *sip.Request, tx sip.ServerTransaction) {
	event := strings.ToLower(strings.TrimSpace(strings.Split(headerValue(req, "Event"), ";")[0]))
	if event == "refer" {
		if c := p.inDialog(req, tx); c != nil {
			_ = p.reply(tx, req, 200, "OK")
			c.onReferNotify(req)
		}
		return
	}
	sub := p.subs.forRequest(req)
	if sub == nil {
		p.unsolicitedNotify(req, tx, event)
		return
	}
	_ = p.reply(tx, req, 200, "OK")
	sub.onNotifyRequest(req)
}

func (sub *subscription) onNotifyRequest(req *sip.Request) {
	sub.applyMu.Lock() // one NOTIFY at a time, so states are reported in order
	defer sub.applyMu.Unlock()
	sub.mu.Lock()
	if sub.dlg != nil {
		sub.dlg.refreshTarget(req)
	}
	// NOTIFYs are served concurrently: one overtaken by a newer one
	// (higher CSeq in the same dialog) is stale.
	seq, callID := req.CSeq().SeqNo, callIDOf(req)
	stale := callID == sub.notifyCallID && seq <= sub.notifySeq
	if !stale {
		sub.notifyCallID, sub.notifySeq = callID, seq
	}
	sub.mu.Unlock()
	if stale {
		return
	}
	state := strings.ToLower(headerValue(req, "Subscription-State"))
	if len(req.Body()) > 0 || strings.HasPrefix(state, "active") {
		sub.onNotify(req.Body())
	}
	if strings.HasPrefix(state, "terminated") {
		sub.onFail("subscription terminated: " + state)
		select {
		case sub.ended <- state:
		default:
		}
	}
}

// unsolicitedNotify accepts a message-summary outside a subscription
// (some servers send MWI that way) and refuses the rest.
func (p *Phone) unsolicitedNotify(req *sip.Request, tx sip.ServerTransaction, event string) {
	if event != "message-summary" {
		_ = p.reply(tx, req, 481, "Subscription Does Not Exist")
		return
	}
	_ = p.reply(tx, req, 200, "OK")
	p.onMWI(req.Body())
}
