package cdr

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/ligne-app/ligne/selfcare"
)

// FuzzReadCalls feeds any bytes to the operator CDR importer (lignectl
// calllog import, the call log screen's import). It must never panic;
// a refused file is explained line by line in the user's words; accepted
// records are coherent (times in order, known line, direction and
// outcome) and survive an export and a new import unchanged in number,
// ids, times and durations.
// Seeds: testdata/fuzz/FuzzReadCalls (French, English, CP1252, bad lines).
func FuzzReadCalls(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		loc := paris
		recs, err := ReadCalls(bytes.NewReader(data), loc)
		if err != nil {
			checkRefusal(t, err)
			return
		}
		for _, r := range recs {
			checkRecord(t, r)
		}
		var out bytes.Buffer
		if err := WriteCalls(&out, recs); err != nil {
			t.Fatalf("export of accepted records: %v", err)
		}
		back, err := ReadCalls(&out, loc)
		if err != nil {
			t.Fatalf("our own export does not import: %v\n%s", err, out.String())
		}
		compareRecords(t, recs, back)
	})
}

// FuzzReadUsage is FuzzReadCalls for the mobile usage file (data, SMS).
func FuzzReadUsage(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		us, err := ReadUsage(bytes.NewReader(data), paris)
		if err != nil {
			checkRefusal(t, err)
			return
		}
		for _, u := range us {
			if u.At.IsZero() || u.Amount < 0 || (u.Kind != selfcare.UsageData && u.Kind != selfcare.UsageSMS) {
				t.Fatalf("accepted usage %+v", u)
			}
		}
	})
}

// checkRefusal holds a refusal to be in the user's words.
func checkRefusal(t *testing.T, err error) {
	t.Helper()
	var rep *Report
	if errors.As(err, &rep) {
		for _, le := range rep.Errors {
			if code := selfcare.ErrorCode(le.Err); code == selfcare.CodeInternal || le.Line < 1 {
				t.Fatalf("line error without a user message: %+v", le)
			}
		}
		return
	}
	if selfcare.ErrorCode(err) == selfcare.CodeInternal {
		t.Fatalf("refused with an internal error: %v", err)
	}
}

// checkRecord holds one accepted record to be something the call log can
// show.
func checkRecord(t *testing.T, r selfcare.CallRecord) {
	t.Helper()
	if r.Start.IsZero() || r.End.Before(r.Start) || (!r.Answer.IsZero() && (r.Answer.Before(r.Start) || r.End.Before(r.Answer))) {
		t.Fatalf("times out of order: %+v", r)
	}
	if r.Line != selfcare.LineFixed && r.Line != selfcare.LineMobile {
		t.Fatalf("line %q", r.Line)
	}
	if r.Direction != selfcare.DirectionIn && r.Direction != selfcare.DirectionOut {
		t.Fatalf("direction %q", r.Direction)
	}
	if _, ok := outcomeWords[r.Outcome]; !ok {
		t.Fatalf("outcome %q", r.Outcome)
	}
}

// compareRecords checks what an export and re-import keep.
func compareRecords(t *testing.T, a, b []selfcare.CallRecord) {
	t.Helper()
	if len(a) != len(b) {
		t.Fatalf("%d records exported, %d imported back", len(a), len(b))
	}
	for i := range a {
		x, y := a[i], b[i]
		if x.ExternalID != y.ExternalID || !x.Start.Equal(y.Start) || x.Duration().Truncate(time.Second) != y.Duration() ||
			x.Outcome != y.Outcome || x.Line != y.Line || x.Direction != y.Direction {
			t.Fatalf("record %d changed through export and import:\n%+v\n%+v", i, x, y)
		}
	}
}
