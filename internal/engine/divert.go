package engine

import (
	"context"
	"fmt"

	"github.com/ligne-app/ligne/selfcare"
	"github.com/ligne-app/ligne/softphone"
)

// SendToVoicemail sends a ringing incoming call to the voicemail, as the
// user chose while it rang: Ligne's own voicemail answers it (no sound
// card, the call log says voicemail), or, without one, a 302 to the
// company's voicemail number with the Diversion reason "deflection".
func (e *Engine) SendToVoicemail(ctx context.Context, c *softphone.Call) error {
	d := e.policy.toVoicemail(ctx, softphone.IncomingCall{CallID: c.ID()}, "deflection")
	if d.Action == softphone.ActionReject {
		return fmt.Errorf("send to voicemail: %w", selfcare.Errorf(selfcare.CodeNoVoicemail, ""))
	}
	if err := c.Decide(ctx, d); err != nil {
		e.policy.machine.remove(c.ID())
		return fmt.Errorf("send to voicemail: %w", err)
	}
	return nil
}
