package selfcare

import "time"

// Direction of a call.
type Direction string

// Call directions: émis / reçus.
const (
	DirectionOut Direction = "out"
	DirectionIn  Direction = "in"
)

// Outcome says how a call ended.
type Outcome string

// Call outcomes recorded in the call log.
const (
	OutcomeAnswered  Outcome = "answered"
	OutcomeMissed    Outcome = "missed"
	OutcomeRejected  Outcome = "rejected"
	OutcomeForwarded Outcome = "forwarded"
	OutcomeVoicemail Outcome = "voicemail"
	OutcomeFailed    Outcome = "failed"
)

// DestClass classifies a called number for the plan allowances.
type DestClass string

// Destination classes of the plan.
const (
	DestInternal      DestClass = "internal"
	DestFixedFR       DestClass = "fixed-fr"
	DestMobileFR      DestClass = "mobile-fr"
	DestInternational DestClass = "international"
	DestSpecial       DestClass = "special"
)

// Record sources.
const (
	SourceLigne    = "ligne"    // recorded by Ligne's engine
	SourceOperator = "operator" // imported from the operator's CDR
)

// CallRecord is one entry of the call log.
type CallRecord struct {
	ID          int64
	Direction   Direction
	Line        LineKind
	Remote      string // canonical number or URI of the other party
	RemoteName  string
	Start       time.Time
	Answer      time.Time // zero when not answered
	End         time.Time
	Outcome     Outcome
	ForwardedTo string // when Outcome is forwarded, or the leg that answered a simultaneous ring
	Reason      string // failure reason, when Outcome is failed
	Class       DestClass
	Source      string
	ExternalID  string // operator's CDR id, to import without duplicates
}

// Duration returns the talk time (answer to end).
func (r CallRecord) Duration() time.Duration {
	if r.Answer.IsZero() || r.End.Before(r.Answer) {
		return 0
	}
	return r.End.Sub(r.Answer)
}

// CallFilter selects call records, as on the call log screen.
type CallFilter struct {
	Month      time.Time // any instant in the month shown (local time); zero for all
	Direction  Direction // "" for all
	MissedOnly bool      // "manqués"
	Line       LineKind  // "" for all
	Search     string    // number or name fragment
	Offset     int
	Limit      int
}

// ClassifyNumber returns the destination class of a canonical number for a
// user whose company extensions are short numbers.
func ClassifyNumber(n string) DestClass {
	switch _, kind, err := NormalizeNumber("", n); {
	case err != nil:
		return DestSpecial
	case kind == NumberExtension || kind == NumberSIPURI:
		return DestInternal
	case kind == NumberService:
		return DestSpecial
	}
	canon, _, _ := NormalizeNumber("", n)
	if len(canon) != 12 || canon[:3] != "+33" {
		return DestInternational
	}
	switch canon[3] {
	case '6', '7':
		return DestMobileFR
	case '8':
		return DestSpecial
	}
	return DestFixedFR
}

// MonthRange returns [first instant of t's month, first instant of the next).
func MonthRange(t time.Time) (time.Time, time.Time) {
	start := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, t.Location())
	return start, start.AddDate(0, 1, 0)
}
