package store

import (
	"context"
	"testing"
	"time"

	"github.com/ligne-app/ligne/selfcare"
)

// BenchmarkCallLogFirstPage measures what the call log screen does when the
// user changes the month or a filter: count the matching records and fetch
// the first page, over 100,000 records (target: <= 50 ms).
func BenchmarkCallLogFirstPage(b *testing.B) {
	db := mustOpen(b)
	genCalls(b, db, 100000, 42)
	paris, _ := time.LoadLocation("Europe/Paris")
	month := time.Date(2026, 9, 15, 12, 0, 0, 0, paris)
	filters := map[string]selfcare.CallFilter{
		"month":          {Month: month, Limit: 200},
		"month-out":      {Month: month, Direction: selfcare.DirectionOut, Limit: 200},
		"month-missed":   {Month: month, MissedOnly: true, Limit: 200},
		"month-mobile":   {Month: month, Line: selfcare.LineMobile, Limit: 200},
		"month-search":   {Month: month, Search: "4003", Limit: 200},
		"all-no-filters": {Limit: 200},
	}
	ctx := context.Background()
	for name, f := range filters {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if _, _, err := db.Calls(ctx, f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
