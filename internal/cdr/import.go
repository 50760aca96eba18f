package cdr

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/ligne-app/ligne/selfcare"
)

// Store is where imported records go; *store.DB implements it.
type Store interface {
	ImportCalls(ctx context.Context, rs []selfcare.CallRecord) (int, error)
	ImportUsage(ctx context.Context, us []selfcare.UsageRecord) (int, error)
}

// Result counts what an import did.
type Result struct {
	Read    int // records in the file
	Added   int // new records
	Skipped int // records already known (same operator id)
}

// ImportCalls checks a CDR file and stores its calls in one transaction.
// On any bad line it stores nothing and returns the *Report.
func ImportCalls(ctx context.Context, r io.Reader, loc *time.Location, s Store) (Result, error) {
	recs, err := ReadCalls(r, loc)
	if err != nil {
		return Result{}, err
	}
	added, err := s.ImportCalls(ctx, recs)
	if err != nil {
		return Result{}, fmt.Errorf("import calls: %w", err)
	}
	return Result{Read: len(recs), Added: added, Skipped: len(recs) - added}, nil
}

// ImportUsage checks a usage file and stores it in one transaction.
func ImportUsage(ctx context.Context, r io.Reader, loc *time.Location, s Store) (Result, error) {
	us, err := ReadUsage(r, loc)
	if err != nil {
		return Result{}, err
	}
	added, err := s.ImportUsage(ctx, us)
	if err != nil {
		return Result{}, fmt.Errorf("import usage: %w", err)
	}
	return Result{Read: len(us), Added: added, Skipped: len(us) - added}, nil
}
