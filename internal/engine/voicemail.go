package engine

import (
	"context"

	"github.com/ligne-app/ligne/selfcare"
	"github.com/ligne-app/ligne/softphone"
)

// Voicemail is Ligne's own answering machine (internal/voicemail). The
// forwarding rules hand it the calls they send to voicemail, already
// answered; calls to the voicemail access number reach its voice menu.
type Voicemail interface {
	// Deposit owns an answered call until it returns: it plays the
	// greeting in use, records the caller and stores the message.
	Deposit(ctx context.Context, c *softphone.Call, line selfcare.LineKind)
	// Menu owns an answered call to the access number: PIN, then the
	// messages (1 replays, 7 deletes, 9 saves, # next).
	Menu(ctx context.Context, c *softphone.Call, line selfcare.LineKind)
}
