package selfcare

import "time"

// Allowance is one line's monthly plan ("forfait").
type Allowance struct {
	Line           LineKind          `json:"line"`
	Name           string            `json:"name"`
	MinutesByClass map[DestClass]int `json:"minutes_by_class"` // 0 or absent: not included; -1: unlimited
	DataMB         int               `json:"data_mb"`
	SMS            int               `json:"sms"` // -1: unlimited
}

// Plan is the organization's plan for the user's lines.
type Plan struct {
	Name       string      `json:"name"`
	Allowances []Allowance `json:"allowances"`
}

// Allowance returns the plan of line.
func (p Plan) Allowance(line LineKind) (Allowance, bool) {
	for _, a := range p.Allowances {
		if a.Line == line {
			return a, true
		}
	}
	return Allowance{}, false
}

// UsageRecord is one operator usage entry that is not a call: mobile data or
// an SMS (calls come as CallRecord).
type UsageRecord struct {
	ID         int64
	Line       LineKind
	At         time.Time
	Kind       string // "data" or "sms"
	Amount     int64  // bytes for data, 1 per SMS
	Remote     string // SMS recipient
	ExternalID string
}

// Usage kinds.
const (
	UsageData = "data"
	UsageSMS  = "sms"
)

// TopCallee is one line of the "Top 5 des appels sortants".
type TopCallee struct {
	Number string
	Name   string
	Calls  int
	Time   time.Duration
}

// Consumption is the "Conso forfait" of one line for one month.
type Consumption struct {
	Line        LineKind
	Month       time.Time
	Calls       int           // "nombre d'appels" (outgoing, answered)
	Recipients  int           // "nombre de destinataires" (distinct numbers called)
	Time        time.Duration // "temps consommé" (outgoing talk time)
	ByClass     map[DestClass]time.Duration
	Top         []TopCallee // up to five
	Average     time.Duration
	DataBytes   int64
	SMS         int
	CallsPerDay []int // index 0 is the 1st of the month
}

// UsedMinutes returns the minutes consumed in the classes that have a
// finite allowance in a (rounded up per class) and the total of those
// allowances. Unlimited classes (-1) are left out; when every included
// class is unlimited, included is -1.
func (c Consumption) UsedMinutes(a Allowance) (used, included int) {
	unlimited := false
	for class, lim := range a.MinutesByClass {
		switch {
		case lim < 0:
			unlimited = true
		case lim > 0:
			included += lim
			used += int((c.ByClass[class] + time.Minute - 1) / time.Minute)
		}
	}
	if included == 0 && unlimited {
		return 0, -1
	}
	return used, included
}
