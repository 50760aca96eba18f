package softphone

import (
	"context"
	"sync"

	"github.com/emiago/sipgo/sip"
)

// callTable finds calls by id and by dialog key.
type callTable struct {
	mu       sync.Mutex
	byID     map[string]*Call
	byDialog map[string]*Call
	pending  int // incoming calls admitted but not added yet
}

func newCallTable() *callTable {
	return &callTable{byID: map[string]*Call{}, byDialog: map[string]*Call{}}
}

// admit reserves room for one more incoming call when fewer than max
// calls exist; done must follow once the call is added (or refused).
func (t *callTable) admit(max int) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.byID)+t.pending >= max {
		return false
	}
	t.pending++
	return true
}

// done releases a reservation made by admit.
func (t *callTable) done() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.pending--
}

func (t *callTable) add(c *Call) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.byID[c.id] = c
}

// bind indexes the call by its dialog once the dialog exists.
func (t *callTable) bind(c *Call, d *dialog) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.byDialog[d.key()] = c
}

func (t *callTable) remove(c *Call) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.byID[c.id] == c {
		delete(t.byID, c.id)
	}
	for k, v := range t.byDialog {
		if v == c {
			delete(t.byDialog, k)
		}
	}
}

// forRequest finds the call an in-dialog request belongs to.
func (t *callTable) forRequest(req *sip.Request) *Call {
	tag, _ := req.To().Params.Get("tag")
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.byDialog[dialogKey(callIDOf(req), tag)]
}

// byCallID finds a call by its Call-ID.
func (t *callTable) byCallID(id string) *Call {
	t.mu.Lock()
	defer t.mu.Unlock()
	if c, ok := t.byID[id]; ok {
		return c
	}
	for k, c := range t.byDialog {
		if d := c.dialog(); d != nil && k == dialogKey(id, d.localTag()) {
			return c
		}
	}
	return nil
}

// find returns the call whose dialog matches Call-ID and both tags.
func (t *callTable) find(callID, localTag, remoteTag string) *Call {
	t.mu.Lock()
	c := t.byDialog[dialogKey(callID, localTag)]
	t.mu.Unlock()
	if c == nil {
		return nil
	}
	if d := c.dialog(); d == nil || d.remoteTag() != remoteTag {
		return nil
	}
	return c
}

func (t *callTable) all() []*Call {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]*Call, 0, len(t.byID))
	for _, c := range t.byID {
		out = append(out, c)
	}
	return out
}

// hangupAll hangs up every call (Shutdown).
func (t *callTable) hangupAll(ctx context.Context, reason EndReason) {
	var wg sync.WaitGroup
	for _, c := range t.all() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = c.Hangup(ctx)
			c.finish(reason, 0, "")
		}()
	}
	wg.Wait()
}

// closeAll ends every call without signalling (Close).
func (t *callTable) closeAll() {
	for _, c := range t.all() {
		c.finish(EndShutdown, 0, "")
	}
}

// retransmitted2xx re-sends the ACK for a 2xx whose transaction is gone.
func (t *callTable) retransmitted2xx(res *sip.Response) bool {
	if !res.IsSuccess() || res.CSeq() == nil || res.CSeq().MethodName != sip.INVITE {
		return false
	}
	c := t.byCallID(callIDOf(res))
	if c == nil || c.out == nil {
		return false
	}
	c.resendAck()
	return true
}

// Calls returns the calls in progress.
func (p *Phone) Calls() []*Call { return p.calls.all() }

// Call returns the call with this id, or nil.
func (p *Phone) Call(id string) *Call { return p.calls.byCallID(id) }
