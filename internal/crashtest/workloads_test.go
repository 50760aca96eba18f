package crashtest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ligne-app/ligne/selfcare"
)

// settingsWorkload saves forwarding settings with `lignectl forward set`
// and kills it at random points: the immediate rule must afterwards hold
// the last committed number, or the one being saved (never anything
// else, never a torn rule).
func settingsWorkload(t *testing.T, quota int) *figures {
	dir := t.TempDir()
	f := &figures{name: "settings (lignectl forward set)"}
	var usual usualTime
	committed := ""
	for i := 0; f.kills < quota && i < quota*20; i++ {
		number := fmt.Sprintf("06123%05d", i)
		delay := randomDelay(usual.d)
		if i == 0 {
			delay = guard // a first complete run measures the usual time
		}
		out := runAndKill(t.Context(), lignectlBin, []string{"--data", dir, "forward", "set", "immediate", "--to", number},
			os.Environ(), delay)
		f.iterations++
		committed = checkSetting(t, f, dir, out, committed, "+336123"+number[5:])
		if !out.killed {
			usual.add(out.ran)
		}
	}
	return f
}

// checkSetting verifies the rule after one run and returns the number
// now committed.
func checkSetting(t *testing.T, f *figures, dir string, out outcome, committed, attempted string) string {
	t.Helper()
	if !out.killed && out.code != 0 {
		t.Fatalf("forward set failed without a kill: %d %s", out.code, out.stderr)
	}
	db, took := reopen(t, dir)
	defer db.Close()
	f.recovery = max(f.recovery, took)
	got := immediateNumber(t, db)
	if out.killed {
		f.kills++
	}
	switch {
	case got == attempted:
		f.committed++
		return attempted
	case !out.killed || got != committed:
		f.lost++
		t.Fatalf("immediate forward is %q after a run (killed %v), want %q or %q", got, out.killed, committed, attempted)
	}
	return committed
}

func immediateNumber(t *testing.T, db interface {
	ForwardRules(context.Context, selfcare.LineKind) ([]selfcare.ForwardRule, error)
}) string {
	t.Helper()
	rules, err := db.ForwardRules(context.Background(), selfcare.LineFixed)
	if err != nil {
		t.Fatalf("read rules after a kill: %v", err)
	}
	for _, r := range rules {
		if r.Kind == selfcare.ForwardImmediate && r.Active {
			return r.Number
		}
	}
	return ""
}

// csvWorkload imports call records with `lignectl calllog import` (one
// transaction of 1000 rows) and kills it at random points: the call log
// must afterwards hold every file imported before, plus the one being
// imported entirely or not at all.
func csvWorkload(t *testing.T, quota int) *figures {
	dir := t.TempDir()
	f := &figures{name: "CSV import (lignectl calllog import, 1000 rows)"}
	var usual usualTime
	have := 0
	for i := 0; f.kills < quota && i < quota*20; i++ {
		file := writeCDR(t, i, 1000)
		delay := randomDelay(usual.d)
		if i == 0 {
			delay = guard // a first complete run measures the usual time
		}
		out := runAndKill(t.Context(), lignectlBin, []string{"--data", dir, "calllog", "import", file},
			os.Environ(), delay)
		f.iterations++
		have = checkImport(t, f, dir, out, have, 1000)
		if !out.killed {
			usual.add(out.ran)
		}
	}
	return f
}

// checkImport verifies the call log after one import and returns how many
// records it holds now.
func checkImport(t *testing.T, f *figures, dir string, out outcome, have, rows int) int {
	t.Helper()
	if !out.killed && out.code != 0 {
		t.Fatalf("calllog import failed without a kill: %d %s", out.code, out.stderr)
	}
	db, took := reopen(t, dir)
	defer db.Close()
	f.recovery = max(f.recovery, took)
	_, n, err := db.Calls(context.Background(), selfcare.CallFilter{Limit: 1})
	if err != nil {
		t.Fatalf("read the call log after a kill: %v", err)
	}
	if out.killed {
		f.kills++
	}
	switch {
	case n == have+rows:
		f.committed++
	case n == have && out.killed:
	default:
		f.lost++
		t.Fatalf("call log holds %d records after a run (killed %v), want %d or %d", n, out.killed, have, have+rows)
	}
	return n
}

// writeCDR writes the i-th operator file: rows answered calls with ids
// of their own.
func writeCDR(t *testing.T, i, rows int) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("id;ligne;sens;debut;duree;correspondant;statut\n")
	day := time.Date(2026, 10, 1, 8, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Hour)
	for r := range rows {
		at := day.Add(time.Duration(r) * time.Second).Format("2006-01-02 15:04:05")
		fmt.Fprintf(&b, "C%d-%d;fixe;sortant;%s;%d;01445566%02d;répondu\n", i, r, at, r%300, r%100)
	}
	path := filepath.Join(t.TempDir(), fmt.Sprintf("cdr-%d.csv", i))
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
