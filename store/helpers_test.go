package store

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/ligne-app/ligne/selfcare"
)

// mustOpen opens a fresh database in a temporary folder, closed at the end.
func mustOpen(tb testing.TB) *DB {
	tb.Helper()
	return mustOpenDir(tb, tb.TempDir())
}

func mustOpenDir(tb testing.TB, dir string) *DB {
	tb.Helper()
	db, err := Open(context.Background(), dir, Options{Now: func() time.Time { return testNow }})
	if err != nil {
		tb.Fatalf("open: %v", err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

var testNow = time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC)

// demoProfile loads the demo profile shipped in assets.
func demoProfile(tb testing.TB) selfcare.Profile {
	tb.Helper()
	f, err := os.Open("../assets/demo/profile.json")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	p, err := selfcare.ParseProfile(f)
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

// withProfile opens a database with the demo profile applied.
func withProfile(tb testing.TB) *DB {
	tb.Helper()
	db := mustOpen(tb)
	if err := db.ApplyProfile(context.Background(), demoProfile(tb)); err != nil {
		tb.Fatal(err)
	}
	return db
}

func must(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
}

func wantCode(tb testing.TB, err error, code selfcare.Code) {
	tb.Helper()
	if got := selfcare.ErrorCode(err); got != code {
		tb.Fatalf("error %v: code %q, want %q", err, got, code)
	}
}
