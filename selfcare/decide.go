package selfcare

import "time"

// Action is what the engine does with an incoming call.
type Action string

// Actions decided by the forwarding rules.
const (
	ActionRing      Action = "ring"      // ring Ligne (with optional no-answer and simultaneous legs)
	ActionForward   Action = "forward"   // redirect now to Decision.Number
	ActionVoicemail Action = "voicemail" // answer with the local voicemail now
	ActionBusy      Action = "busy"      // refuse with 486 Busy Here (DND without a target)
)

// Decision is the outcome of the rules for one incoming call at one instant.
type Decision struct {
	Action Action
	Rule   ForwardKind // the rule that decided, empty for plain ringing
	Number string      // forward target when Action is ActionForward
	// When ringing:
	NoAnswer     *ForwardRule // after NoAnswer.Delay: forward or voicemail
	Simultaneous string       // a number to ring in parallel
}

// Decide applies the rules of one line to a call arriving at at, with the
// user's Do Not Disturb state. Immediate forwarding wins over everything,
// then DND ("renvoi sur occupation"), then ringing with its no-answer and
// simultaneous legs. Not-reachable is for the platform: a running Ligne is
// by definition reachable.
func Decide(rules []ForwardRule, at time.Time, dnd bool) Decision {
	if r, ok := activeNow(rules, ForwardImmediate, at); ok {
		return redirect(r)
	}
	if dnd {
		if r, ok := activeNow(rules, ForwardBusy, at); ok {
			return redirect(r)
		}
		return Decision{Action: ActionBusy, Rule: ForwardBusy}
	}
	d := Decision{Action: ActionRing}
	if r, ok := activeNow(rules, ForwardNoAnswer, at); ok {
		d.NoAnswer = &r
	}
	if r, ok := activeNow(rules, ForwardSimultaneous, at); ok && r.Number != "" {
		d.Simultaneous = r.Number
	}
	return d
}

// redirect turns a rule into an immediate forward or voicemail decision.
func redirect(r ForwardRule) Decision {
	if r.Target == TargetVoicemail {
		return Decision{Action: ActionVoicemail, Rule: r.Kind}
	}
	return Decision{Action: ActionForward, Rule: r.Kind, Number: r.Number}
}

// activeNow returns the rule of kind k when it is active and its schedule
// covers at.
func activeNow(rules []ForwardRule, k ForwardKind, at time.Time) (ForwardRule, bool) {
	r, ok := FindRule(rules, k)
	if !ok || !r.Active || !r.Schedule.Applies(at) {
		return ForwardRule{}, false
	}
	return r, true
}

// ActiveNow lists the active rules whose schedule covers at, in the guide's
// order (what the dashboard shows as "in effect now").
func ActiveNow(rules []ForwardRule, at time.Time) []ForwardRule {
	var out []ForwardRule
	for _, k := range forwardKinds {
		if r, ok := activeNow(rules, k, at); ok {
			out = append(out, r)
		}
	}
	return out
}
