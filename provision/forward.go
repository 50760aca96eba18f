package provision

import (
	"time"

	"github.com/ligne-app/ligne/selfcare"
)

// PhoneForward is the forwarding and Do Not Disturb state a phone should
// hold at one instant, targets resolved to numbers (the voicemail number for
// "messagerie").
type PhoneForward struct {
	DND           bool          // Ne Pas Déranger without a forward: the phone refuses calls
	Always        string        // immediate forwarding target, "" when off
	NoAnswer      string        // no-answer forwarding target, "" when off
	NoAnswerDelay time.Duration // before the no-answer forward
	// DNDTarget is "renvoi sur occupation": while DND is on, calls go
	// there. Yealink has no such setting, so its files forward always to
	// it; Poly has divert.dnd.
	DNDTarget string
}

// PhoneForwardAt applies the rules of one line at instant at, as
// selfcare.Decide does for Ligne itself: a rule whose schedule does not
// cover at is off on the phone until the next sync.
func PhoneForwardAt(rules []selfcare.ForwardRule, dnd bool, at time.Time, voicemail string) PhoneForward {
	var f PhoneForward
	for _, r := range selfcare.ActiveNow(rules, at) {
		target := r.Number
		if r.Target == selfcare.TargetVoicemail {
			target = voicemail
		}
		switch r.Kind {
		case selfcare.ForwardImmediate:
			f.Always = target
		case selfcare.ForwardNoAnswer:
			f.NoAnswer, f.NoAnswerDelay = target, r.Delay
		case selfcare.ForwardBusy:
			if dnd {
				f.DNDTarget = target
			}
		}
	}
	f.DND = dnd && f.DNDTarget == ""
	return f
}

// Yealink counts the no-answer delay in rings of 6 seconds, 0 to 20.
const (
	yealinkRingSeconds = 6
	yealinkMaxRings    = 20
)

// yealinkRings converts a delay to Yealink's ring count: the nearest whole
// number of 6-second rings, at least one.
func yealinkRings(d time.Duration) int {
	rings := (int(d.Seconds()) + yealinkRingSeconds/2) / yealinkRingSeconds
	return min(max(rings, 1), yealinkMaxRings)
}
