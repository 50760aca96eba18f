package selfcare

import (
	"time"
)

// ForwardKind is one of the forwarding rules of "Gestion des appels".
type ForwardKind string

// Forwarding rules of the guide.
const (
	ForwardImmediate    ForwardKind = "immediate"     // renvoi immédiat
	ForwardNoAnswer     ForwardKind = "no-answer"     // renvoi sur non-réponse
	ForwardNotReachable ForwardKind = "not-reachable" // renvoi sur non-connexion
	ForwardBusy         ForwardKind = "busy"          // renvoi sur occupation (= Ne Pas Déranger)
	ForwardSimultaneous ForwardKind = "simultaneous"  // sonnerie simultanée
)

// ForwardKinds lists the rules in the guide's order.
var forwardKinds = []ForwardKind{ForwardImmediate, ForwardNoAnswer, ForwardNotReachable, ForwardBusy, ForwardSimultaneous}

// ForwardKindsFor returns the rules a line has: the advanced mobile line
// has no "renvoi sur occupation".
func ForwardKindsFor(line LineKind) []ForwardKind {
	if line == LineMobile {
		return []ForwardKind{ForwardImmediate, ForwardNoAnswer, ForwardNotReachable, ForwardSimultaneous}
	}
	return append([]ForwardKind(nil), forwardKinds...)
}

// ForwardTarget is where a rule sends calls.
type ForwardTarget string

// Forwarding targets: the voicemail or a number.
const (
	TargetVoicemail ForwardTarget = "voicemail"
	TargetNumber    ForwardTarget = "number"
)

// No-answer delay bounds of the guide: 10 s to 1 min 30 s, in 5 s steps.
const (
	NoAnswerMinDelay  = 10 * time.Second
	NoAnswerMaxDelay  = 90 * time.Second
	NoAnswerDelayStep = 5 * time.Second
	// DefaultNoAnswerDelay is what a new no-answer rule offers.
	DefaultNoAnswerDelay = 20 * time.Second
)

// NoAnswerDelays lists the delays offered in the drop-down list.
func NoAnswerDelays() []time.Duration {
	var out []time.Duration
	for d := NoAnswerMinDelay; d <= NoAnswerMaxDelay; d += NoAnswerDelayStep {
		out = append(out, d)
	}
	return out
}

// ForwardRule is one rule of one line. A rule that is not Active keeps its
// target and schedule so that switching it back on restores them.
type ForwardRule struct {
	Line     LineKind
	Kind     ForwardKind
	Active   bool
	Target   ForwardTarget
	Number   string        // canonical number when Target is TargetNumber
	Delay    time.Duration // no-answer only
	Schedule Schedule
}

// DefaultForwardRules returns the inactive rules a line starts with.
func DefaultForwardRules(line LineKind) []ForwardRule {
	var out []ForwardRule
	for _, k := range ForwardKindsFor(line) {
		r := ForwardRule{Line: line, Kind: k, Target: TargetVoicemail}
		if k == ForwardNoAnswer {
			r.Delay = DefaultNoAnswerDelay
		}
		if k == ForwardSimultaneous {
			r.Target = TargetNumber
		}
		out = append(out, r)
	}
	return out
}

// Validate checks one rule on its own (not against the other rules of its
// line: see ValidateForwardSet). now is the current time, for periods.
func (r ForwardRule) Validate(now time.Time) (ForwardRule, error) {
	if !r.Line.Valid() {
		return r, Errorf(CodeLineInvalid, "line", string(r.Line))
	}
	if !containsKind(ForwardKindsFor(r.Line), r.Kind) {
		return r, Errorf(CodeForwardKindInvalid, "kind", string(r.Kind))
	}
	if err := r.validateTarget(); err != nil {
		return r, err
	}
	if r.Target == TargetNumber && (r.Active || r.Number != "") {
		n, _, err := NormalizeNumber("number", r.Number)
		if err != nil {
			return r, err
		}
		r.Number = n
	}
	if r.Kind == ForwardNoAnswer {
		if err := validateDelay(r.Delay); err != nil {
			return r, err
		}
	}
	return r, r.validateSchedule(now)
}

func (r ForwardRule) validateTarget() error {
	switch r.Target {
	case TargetVoicemail:
		if r.Kind == ForwardSimultaneous {
			return Errorf(CodeSimultaneousNeedsNumber, "target")
		}
	case TargetNumber:
	default:
		return Errorf(CodeChoiceInvalid, "target", string(r.Target))
	}
	return nil
}

func validateDelay(d time.Duration) error {
	if d < NoAnswerMinDelay || d > NoAnswerMaxDelay || d%NoAnswerDelayStep != 0 {
		return Errorf(CodeDelayOutOfRange, "delay", int(d.Seconds()))
	}
	return nil
}

// validateSchedule applies the guide's schedule rules: only immediate
// forwarding has a calendar period, and not on the mobile line.
func (r ForwardRule) validateSchedule(now time.Time) error {
	s := r.Schedule
	if s.HasPeriod() {
		if r.Kind != ForwardImmediate {
			return Errorf(CodePeriodNotAllowed, "period")
		}
		if r.Line == LineMobile {
			return Errorf(CodeMobileImmediateNoPeriod, "period")
		}
	}
	if s.Hours != nil && r.Line == LineMobile && r.Kind == ForwardImmediate {
		return Errorf(CodeMobileImmediateNoPeriod, "hours")
	}
	if s.Hours != nil && r.Kind == ForwardNotReachable {
		return Errorf(CodePeriodNotAllowed, "hours")
	}
	return s.Validate(now, r.Active)
}

// ValidateForwardSet checks the rules of one line together: while immediate
// forwarding is active no other rule may be, as the guide says.
func ValidateForwardSet(rules []ForwardRule) error {
	immediate := false
	for _, r := range rules {
		if r.Kind == ForwardImmediate && r.Active {
			immediate = true
		}
	}
	if !immediate {
		return nil
	}
	for _, r := range rules {
		if r.Active && r.Kind != ForwardImmediate {
			return Errorf(CodeImmediateExclusive, string(r.Kind))
		}
	}
	return nil
}

// ApplyForwardRule validates rule and returns the line's rule set with rule
// in place. The set is refused as a whole when the change breaks a rule of
// the guide, so the caller saves all or nothing.
func ApplyForwardRule(current []ForwardRule, rule ForwardRule, now time.Time) ([]ForwardRule, error) {
	rule, err := rule.Validate(now)
	if err != nil {
		return nil, err
	}
	next := make([]ForwardRule, 0, len(current)+1)
	replaced := false
	for _, r := range current {
		if r.Kind == rule.Kind {
			r, replaced = rule, true
		}
		next = append(next, r)
	}
	if !replaced {
		next = append(next, rule)
	}
	if err := ValidateForwardSet(next); err != nil {
		if rule.Kind == ForwardImmediate {
			return nil, Errorf(CodeImmediateNeedsOthersOff, "active", activeOthers(next))
		}
		return nil, err
	}
	return next, nil
}

// activeOthers names (by kind) the active rules other than immediate.
func activeOthers(rules []ForwardRule) string {
	s := ""
	for _, r := range rules {
		if r.Active && r.Kind != ForwardImmediate {
			if s != "" {
				s += ", "
			}
			s += string(r.Kind)
		}
	}
	return s
}

// FindRule returns the rule of kind k in rules.
func FindRule(rules []ForwardRule, k ForwardKind) (ForwardRule, bool) {
	for _, r := range rules {
		if r.Kind == k {
			return r, true
		}
	}
	return ForwardRule{}, false
}

func containsKind(list []ForwardKind, k ForwardKind) bool {
	for _, v := range list {
		if v == k {
			return true
		}
	}
	return false
}
