package store

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/ligne-app/ligne/selfcare"
)

// genCalls writes n random calls over three months on both lines.
func genCalls(tb testing.TB, db *DB, n int, seed uint64) {
	tb.Helper()
	rng := rand.New(rand.NewPCG(seed, 1))
	paris, _ := time.LoadLocation("Europe/Paris")
	base := time.Date(2026, 8, 1, 0, 0, 0, 0, paris)
	numbers := []string{"+33144556677", "+33612345678", "+442079460958", "4003", "+33890123456", "+33478000001", "+33699999999"}
	outcomes := []selfcare.Outcome{selfcare.OutcomeAnswered, selfcare.OutcomeAnswered, selfcare.OutcomeMissed, selfcare.OutcomeFailed, selfcare.OutcomeVoicemail}
	recs := make([]selfcare.CallRecord, 0, n)
	for i := 0; i < n; i++ {
		start := base.Add(time.Duration(rng.Int64N(int64(92 * 24 * time.Hour))))
		r := selfcare.CallRecord{Line: selfcare.LineFixed, Direction: selfcare.DirectionOut, Remote: numbers[rng.IntN(len(numbers))],
			Start: start, End: start.Add(time.Duration(rng.IntN(900)) * time.Second), Outcome: outcomes[rng.IntN(len(outcomes))]}
		if rng.IntN(3) == 0 {
			r.Line = selfcare.LineMobile
		}
		if rng.IntN(2) == 0 {
			r.Direction = selfcare.DirectionIn
		}
		if r.Outcome == selfcare.OutcomeAnswered {
			r.Answer = start.Add(time.Duration(rng.IntN(20)) * time.Second)
			if r.End.Before(r.Answer) {
				r.End = r.Answer.Add(time.Second)
			}
		}
		recs = append(recs, r)
	}
	if _, err := db.ImportCalls(context.Background(), recs); err != nil {
		tb.Fatal(err)
	}
}

// recount computes the consumption figures with plain SQL, independently
// of the code under test: outgoing answered calls of the line in [from, to).
func recount(t *testing.T, db *DB, line selfcare.LineKind, from, to time.Time) (calls, recipients int, talkMS int64, byClass map[string]int64) {
	t.Helper()
	w := `line = ? AND direction = 'out' AND answer > 0 AND start >= ? AND start < ?`
	args := []any{string(line), from.UnixMilli(), to.UnixMilli()}
	row := db.write.QueryRow(`SELECT count(*), count(DISTINCT remote), coalesce(sum(end_at - answer), 0) FROM calls WHERE `+w, args...)
	if err := row.Scan(&calls, &recipients, &talkMS); err != nil {
		t.Fatal(err)
	}
	byClass = map[string]int64{}
	rows, err := db.write.Query(`SELECT class, sum(end_at - answer) FROM calls WHERE `+w+` GROUP BY class`, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var c string
		var ms sql.NullInt64
		rows.Scan(&c, &ms)
		byClass[c] = ms.Int64
	}
	return
}

func TestConsumptionMatchesAnSQLRecount(t *testing.T) {
	db := mustOpen(t)
	genCalls(t, db, 3000, 7)
	paris, _ := time.LoadLocation("Europe/Paris")
	for _, month := range []time.Month{8, 9, 10} {
		for _, line := range []selfcare.LineKind{selfcare.LineFixed, selfcare.LineMobile} {
			t.Run(fmt.Sprintf("%s-%d", line, month), func(t *testing.T) {
				m := time.Date(2026, month, 10, 12, 0, 0, 0, paris)
				from, to := selfcare.MonthRange(m)
				c, err := db.Consumption(context.Background(), line, m)
				if err != nil {
					t.Fatal(err)
				}
				calls, recipients, talk, byClass := recount(t, db, line, from, to)
				if c.Calls != calls || c.Recipients != recipients || c.Time != time.Duration(talk)*time.Millisecond {
					t.Fatalf("got %d calls, %d recipients, %v; SQL says %d, %d, %v", c.Calls, c.Recipients, c.Time, calls, recipients, time.Duration(talk)*time.Millisecond)
				}
				for class, ms := range byClass {
					if c.ByClass[selfcare.DestClass(class)] != time.Duration(ms)*time.Millisecond {
						t.Errorf("class %s: %v, SQL says %v", class, c.ByClass[selfcare.DestClass(class)], time.Duration(ms)*time.Millisecond)
					}
				}
				perDay := 0
				for _, n := range c.CallsPerDay {
					perDay += n
				}
				if perDay != calls || len(c.CallsPerDay) != to.AddDate(0, 0, -1).Day() {
					t.Fatalf("calls per day sum %d over %d days, want %d over %d", perDay, len(c.CallsPerDay), calls, to.AddDate(0, 0, -1).Day())
				}
				if calls > 0 && (len(c.Top) == 0 || c.Average != c.Time/time.Duration(c.Calls)) {
					t.Fatalf("top %v average %v", c.Top, c.Average)
				}
				for i := 1; i < len(c.Top); i++ {
					if c.Top[i].Calls > c.Top[i-1].Calls {
						t.Fatalf("top 5 not in order: %+v", c.Top)
					}
				}
			})
		}
	}
}
