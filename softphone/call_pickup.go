package softphone

import (
	"context"
	"fmt"

	"github.com/emiago/sipgo/sip"
)

// Pickup answers a supervised colleague's ringing call from here. With
// Options.PickupPrefix it dials prefix+colleague (the server's pickup
// code); otherwise it sends the caller an INVITE with Replaces built from
// the colleague's dialog-info (RFC 3891, early-only), as desk phones do.
func (p *Phone) Pickup(ctx context.Context, colleague string) (*Call, error) {
	ev := p.Colleague(colleague)
	if ev.State != ColleagueRinging {
		return nil, fmt.Errorf("pickup %s (%s): %w", colleague, ev.State, ErrCallState)
	}
	if p.opts.PickupPrefix != "" {
		return p.Dial(ctx, p.opts.PickupPrefix+colleague, DialOptions{})
	}
	d := ev.Dialog
	if d.CallID == "" || d.LocalTag == "" || d.RemoteTag == "" || ev.Caller.URI == "" {
		return nil, fmt.Errorf("pickup %s: dialog-info without call-id and tags: %w", colleague, ErrMalformed)
	}
	// The caller's view: its local tag is the colleague's remote tag.
	replaces := fmt.Sprintf("%s;to-tag=%s;from-tag=%s;early-only", d.CallID, d.RemoteTag, d.LocalTag)
	return p.Dial(ctx, ev.Caller.URI, DialOptions{Headers: []sip.Header{sip.NewHeader("Replaces", replaces)}})
}

// findEarly finds our outgoing call still ringing whose INVITE had this
// Call-ID and From tag: a colleague is picking it up.
func (t *callTable) findEarly(callID, localTag string) *Call {
	t.mu.Lock()
	c := t.byID[callID]
	t.mu.Unlock()
	if c == nil || c.out == nil || c.State() == StateActive || c.State() == StateEnded {
		return nil
	}
	if tag, _ := c.out.invite.From().Params.Get("tag"); tag != localTag {
		return nil
	}
	return c
}
