package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/ligne-app/ligne/internal/cdr"
	"github.com/ligne-app/ligne/selfcare"
)

func calllogCommand() *command {
	return &command{
		name:  "calllog",
		help:  "import the operator's call records, or export the call log",
		usage: "calllog import FILE.csv | calllog export FILE.csv [--month YYYY-MM]",
		run: func(ctx context.Context, e *env, args []string) error {
			switch {
			case len(args) == 2 && args[0] == "import":
				return importFile(ctx, e, args[1], cdr.ImportCalls)
			case len(args) >= 2 && args[0] == "export":
				return exportCalls(ctx, e, args[1], args[2:])
			}
			return e.usagef("calllog import FILE | calllog export FILE [--month YYYY-MM]")
		},
	}
}

func usageCommand() *command {
	return &command{
		name:  "usage",
		help:  "import the operator's mobile usage (data, SMS)",
		usage: "usage import FILE.csv",
		run: func(ctx context.Context, e *env, args []string) error {
			if len(args) != 2 || args[0] != "import" {
				return e.usagef("usage import FILE")
			}
			return importFile(ctx, e, args[1], cdr.ImportUsage)
		},
	}
}

// importFile runs an importer on path and prints what it did, or every bad
// line of the file.
func importFile(ctx context.Context, e *env, path string, imp func(context.Context, io.Reader, *time.Location, cdr.Store) (cdr.Result, error)) error {
	f, err := os.Open(path)
	if err != nil {
		return &userError{msg: err.Error()}
	}
	defer f.Close()
	db, err := e.store(ctx)
	if err != nil {
		return err
	}
	res, err := imp(ctx, f, orgLocation(ctx, db), db)
	var rep *cdr.Report
	if errors.As(err, &rep) {
		return &userError{msg: e.tr().Tn("cli.import.refused", len(rep.Errors)) + "\n  " + strings.ReplaceAll(rep.Message(e.tr().Lang(), 50), "\n", "\n  ")}
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, e.tr().T("cli.import.done", res.Added, res.Skipped))
	return nil
}

// orgLocation is the organization's time zone, Paris when unknown.
func orgLocation(ctx context.Context, db interface {
	Profile(context.Context) (selfcare.Profile, error)
}) *time.Location {
	tz := "Europe/Paris"
	if p, err := db.Profile(ctx); err == nil && p.Company.TimeZone != "" {
		tz = p.Company.TimeZone
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return time.Local
	}
	return loc
}

// exportCalls writes the call log (or one month of it) as CSV.
func exportCalls(ctx context.Context, e *env, path string, args []string) error {
	f := selfcare.CallFilter{Limit: 1 << 30}
	if len(args) == 2 && args[0] == "--month" {
		m, err := time.ParseInLocation("2006-01", args[1], time.Local)
		if err != nil {
			return e.usagef("--month YYYY-MM")
		}
		f.Month = m
	}
	db, err := e.store(ctx)
	if err != nil {
		return err
	}
	recs, _, err := db.Calls(ctx, f)
	if err != nil {
		return err
	}
	out, err := os.Create(path)
	if err != nil {
		return &userError{msg: err.Error()}
	}
	if err := cdr.WriteCalls(out, recs); err != nil {
		out.Close()
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, e.tr().Tn("cli.export.done", len(recs), path))
	return nil
}
