package demo

import (
	"context"
	"testing"
	"time"

	"github.com/ligne-app/ligne/selfcare"
	"github.com/ligne-app/ligne/store"
)

func TestSeedFillsEveryScreen(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := time.Date(2026, 11, 25, 15, 0, 0, 0, time.Local)
	if err := Seed(ctx, db, now); err != nil {
		t.Fatal(err)
	}
	acct, err := db.Account(ctx)
	if err != nil || !acct.Demo {
		t.Fatalf("account %+v %v", acct, err)
	}
	calls, total, _ := db.Calls(ctx, selfcare.CallFilter{Month: now})
	keys, _ := db.Keys(ctx)
	msgs, _ := db.Messages(ctx, selfcare.LineFixed)
	ext, _ := db.Contacts(ctx, selfcare.ContactQuery{Kind: selfcare.ContactExternal})
	cons, _ := db.Consumption(ctx, selfcare.LineMobile, now)
	if total < 50 || len(calls) == 0 || len(keys) != 9 || len(msgs) != 4 || len(ext) != len(externals) || cons.DataBytes == 0 {
		t.Fatalf("thin demo: %d calls this month, %d keys, %d messages, %d contacts, %d bytes", total, len(keys), len(msgs), len(ext), cons.DataBytes)
	}
	if err := Seed(ctx, db, now); err == nil {
		t.Fatal("seeding twice must be refused")
	}
}
