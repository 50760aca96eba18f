package cdr

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ligne-app/ligne/selfcare"
	"github.com/ligne-app/ligne/store"
)

var paris, _ = time.LoadLocation("Europe/Paris")

func open(t *testing.T, name string) *os.File {
	t.Helper()
	f, err := os.Open("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func newStore(t *testing.T) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestReadFrenchCDR(t *testing.T) {
	recs, err := ReadCalls(open(t, "appels-fr.csv"), paris)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 5 {
		t.Fatalf("%d records", len(recs))
	}
	r := recs[0]
	if r.Line != selfcare.LineFixed || r.Direction != selfcare.DirectionOut || r.Remote != "+33144556677" ||
		r.Outcome != selfcare.OutcomeAnswered || r.Duration() != 125*time.Second || r.RemoteName != "Cabinet Martin" ||
		!r.Start.Equal(time.Date(2026, 10, 1, 9, 12, 0, 0, paris)) || r.Source != selfcare.SourceOperator || r.ExternalID != "OP-1001" {
		t.Fatalf("first record %+v", r)
	}
	if recs[1].Outcome != selfcare.OutcomeMissed || !recs[1].Start.Equal(time.Date(2026, 10, 1, 10, 0, 0, 0, paris)) {
		t.Fatalf("dd/mm/yyyy date: %+v", recs[1])
	}
	if recs[2].End.Sub(recs[2].Start) != 53*time.Second {
		t.Fatalf("HH:MM:SS duration: %v", recs[2].End.Sub(recs[2].Start))
	}
	if recs[3].Outcome != selfcare.OutcomeForwarded || recs[3].ForwardedTo != "+33671234567" || recs[4].Reason != "occupé" {
		t.Fatalf("forwarded/failed: %+v %+v", recs[3], recs[4])
	}
}

func TestReadEnglishCommaCDR(t *testing.T) {
	recs, err := ReadCalls(open(t, "calls-en.csv"), paris)
	if err != nil || len(recs) != 2 || recs[1].Line != selfcare.LineMobile || recs[0].Remote != "+33144556677" {
		t.Fatalf("%+v %v", recs, err)
	}
}

func TestReadWindows1252(t *testing.T) {
	recs, err := ReadCalls(open(t, "appels-cp1252.csv"), paris)
	if err != nil || len(recs) != 1 || recs[0].RemoteName != "Société Générale" || recs[0].Outcome != selfcare.OutcomeAnswered {
		t.Fatalf("%+v %v", recs, err)
	}
}

func TestBadLinesAreAllReportedAndNothingIsImported(t *testing.T) {
	db := newStore(t)
	_, err := ImportCalls(context.Background(), open(t, "appels-mauvais.csv"), paris, db)
	var rep *Report
	if !errors.As(err, &rep) {
		t.Fatalf("want a report, got %v", err)
	}
	want := map[int]string{3: "ligne", 4: "sens", 5: "debut", 6: "duree", 7: "correspondant", 8: "statut"}
	if len(rep.Errors) != len(want) {
		t.Fatalf("%d errors: %s", len(rep.Errors), rep.Message("fr", 20))
	}
	for _, e := range rep.Errors {
		if want[e.Line] != e.Column {
			t.Errorf("line %d column %q, want %q", e.Line, e.Column, want[e.Line])
		}
	}
	msg := rep.Message("fr", 20)
	if !strings.Contains(msg, "ligne 4 (sens) : Choix non reconnu : « latéral ».") || !strings.Contains(msg, "ligne 6 (duree) : Durée invalide « soixante »") {
		t.Fatalf("report:\n%s", msg)
	}
	if _, total, _ := db.Calls(context.Background(), selfcare.CallFilter{}); total != 0 {
		t.Fatalf("%d calls stored from a file with errors", total)
	}
}

func TestMissingColumns(t *testing.T) {
	_, err := ReadCalls(strings.NewReader("id;ligne\nA;fixe\n"), paris)
	var rep *Report
	if !errors.As(err, &rep) || !strings.Contains(rep.Message("en", 5), "Required columns missing from the header: direction, start, duration, remote, outcome.") {
		t.Fatalf("%v", err)
	}
	if _, err := ReadCalls(strings.NewReader("   \n"), paris); selfcare.ErrorCode(err) != selfcare.CodeFileEmpty {
		t.Fatal(err)
	}
}

func TestImportTwiceAddsNothing(t *testing.T) {
	db := newStore(t)
	ctx := context.Background()
	res, err := ImportCalls(ctx, open(t, "appels-fr.csv"), paris, db)
	if err != nil || res.Added != 5 || res.Skipped != 0 {
		t.Fatalf("%+v %v", res, err)
	}
	res, err = ImportCalls(ctx, open(t, "appels-fr.csv"), paris, db)
	if err != nil || res.Added != 0 || res.Skipped != 5 {
		t.Fatalf("second import %+v %v", res, err)
	}
	if _, total, _ := db.Calls(ctx, selfcare.CallFilter{}); total != 5 {
		t.Fatalf("%d calls after two imports", total)
	}
}

func TestImportUsage(t *testing.T) {
	db := newStore(t)
	ctx := context.Background()
	res, err := ImportUsage(ctx, open(t, "usage-fr.csv"), paris, db)
	if err != nil || res.Added != 3 {
		t.Fatalf("%+v %v", res, err)
	}
	c, err := db.Consumption(ctx, selfcare.LineMobile, time.Date(2026, 10, 15, 12, 0, 0, 0, paris))
	if err != nil {
		t.Fatal(err)
	}
	want := int64(1.5*float64(1<<30)) + 850<<20
	if c.DataBytes != want || c.SMS != 1 {
		t.Fatalf("data %d (want %d), sms %d", c.DataBytes, want, c.SMS)
	}
	if res, _ := ImportUsage(ctx, open(t, "usage-fr.csv"), paris, db); res.Added != 0 {
		t.Fatal("usage imported twice")
	}
}

func TestExportReimports(t *testing.T) {
	recs, err := ReadCalls(open(t, "appels-fr.csv"), paris)
	if err != nil {
		t.Fatal(err)
	}
	var buf strings.Builder
	if err := WriteCalls(&buf, recs); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(buf.String(), "\ufeffid;ligne;sens;debut") {
		t.Fatalf("export header: %q", buf.String()[:40])
	}
	again, err := ReadCalls(strings.NewReader(buf.String()), paris)
	if err != nil {
		t.Fatal(err)
	}
	for i := range recs {
		a, b := recs[i], again[i]
		if a.Remote != b.Remote || a.Outcome != b.Outcome || a.Duration() != b.Duration() || !a.Start.Equal(b.Start) || !a.End.Equal(b.End) || a.ExternalID != b.ExternalID {
			t.Errorf("record %d changed through export: %+v -> %+v", i, a, b)
		}
	}
}
