package store

import (
	"context"
	"database/sql"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/ligne-app/ligne/selfcare"
)

func TestMigrateFromEmptyAndReopen(t *testing.T) {
	dir := t.TempDir()
	db := mustOpenDir(t, dir)
	var v int
	must(t, db.write.QueryRow("PRAGMA user_version").Scan(&v))
	if v != SchemaVersion() || v < 1 {
		t.Fatalf("user_version %d, schema %d", v, SchemaVersion())
	}
	var mode string
	must(t, db.write.QueryRow("PRAGMA journal_mode").Scan(&mode))
	var fk int
	must(t, db.write.QueryRow("PRAGMA foreign_keys").Scan(&fk))
	if mode != "wal" || fk != 1 {
		t.Fatalf("journal_mode %s, foreign_keys %d", mode, fk)
	}
	must(t, db.SetSetting(context.Background(), "k", "v"))
	db.Close()
	db2 := mustOpenDir(t, dir)
	if got, _ := db2.Setting(context.Background(), "k"); got != "v" {
		t.Fatalf("setting lost on reopen: %q", got)
	}
	for _, sub := range []string{DirVoicemail, DirGreetings, DirRecordings} {
		if st, err := os.Stat(filepath.Join(dir, sub)); err != nil || !st.IsDir() {
			t.Errorf("folder %s missing", sub)
		}
	}
}

func TestForeignFileIsKeptAndReported(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, FileName)
	junk := []byte("this is a spreadsheet, not a database\n")
	must(t, os.WriteFile(path, junk, 0o600))
	_, err := Open(context.Background(), dir, Options{})
	wantCode(t, err, selfcare.CodeDatabaseForeign)
	if got, _ := os.ReadFile(path); string(got) != string(junk) {
		t.Fatal("foreign file was changed")
	}
	backups, _ := filepath.Glob(path + ".unreadable-*")
	if len(backups) != 1 {
		t.Fatalf("backups %v", backups)
	}
	if msg := selfcare.ErrorMessage(err, "fr"); !strings.Contains(msg, "copie") {
		t.Fatalf("message %q", msg)
	}
}

func TestOtherSQLiteDatabaseIsRefused(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, FileName)
	other, err := sql.Open("sqlite", path)
	must(t, err)
	_, err = other.Exec("CREATE TABLE invoices (id INTEGER)")
	must(t, err)
	other.Close()
	_, err = Open(context.Background(), dir, Options{})
	wantCode(t, err, selfcare.CodeDatabaseForeign)
	// the other program's data is untouched (no WAL switch, no tables added)
	check, _ := sql.Open("sqlite", path)
	defer check.Close()
	var n int
	must(t, check.QueryRow("SELECT count(*) FROM sqlite_schema WHERE type='table'").Scan(&n))
	if n != 1 {
		t.Fatalf("foreign database now has %d tables", n)
	}
}

func TestNewerSchemaIsRefused(t *testing.T) {
	dir := t.TempDir()
	db := mustOpenDir(t, dir)
	_, err := db.write.Exec("PRAGMA user_version = 999")
	must(t, err)
	db.Close()
	_, err = Open(context.Background(), dir, Options{})
	wantCode(t, err, selfcare.CodeDatabaseNewer)
}

func TestForeignKeysEnforced(t *testing.T) {
	db := withProfile(t)
	ctx := context.Background()
	_, err := db.write.ExecContext(ctx, `INSERT INTO contact_numbers (contact_id, ord, type, number) VALUES ('nobody', 0, 'work', '4001')`)
	if err == nil || !strings.Contains(err.Error(), "FOREIGN KEY") {
		t.Fatalf("orphan number accepted: %v", err)
	}
	// the demo devices sit on the fixed line: a profile without it is refused whole
	p := demoProfile(t)
	p.User.Lines = p.User.Lines[1:]
	if err := db.ApplyProfile(ctx, p); err == nil {
		t.Fatal("profile removing a line in use was applied")
	}
	lines, _ := db.Lines(ctx)
	if len(lines) != 2 {
		t.Fatalf("lines after refused profile: %d", len(lines))
	}
}

func TestReaderSeesConsistentSnapshot(t *testing.T) {
	db := mustOpen(t)
	ctx := context.Background()
	must(t, db.SetSetting(ctx, "counter", "1"))
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	must(t, err)
	defer tx.Rollback()
	var before string
	must(t, tx.QueryRow(`SELECT value FROM settings WHERE key = 'counter'`).Scan(&before))
	must(t, db.SetSetting(ctx, "counter", "2")) // the writer commits while the reader is open
	var during string
	must(t, tx.QueryRow(`SELECT value FROM settings WHERE key = 'counter'`).Scan(&during))
	if before != "1" || during != "1" {
		t.Fatalf("reader saw %s then %s inside one transaction", before, during)
	}
	if now, _ := db.Setting(ctx, "counter"); now != "2" {
		t.Fatalf("new reader sees %s", now)
	}
}

// TestKilledMidTransaction runs a child process that commits rows, then is
// killed with SIGKILL inside a large write transaction. Committed rows must
// all be there, the uncommitted ones none, and the file intact.
func TestKilledMidTransaction(t *testing.T) {
	if dir := os.Getenv("LIGNE_STORE_CHILD"); dir != "" {
		childWriter(dir)
		return
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestKilledMidTransaction$")
	cmd.Env = append(os.Environ(), "LIGNE_STORE_CHILD="+dir)
	out, err := cmd.StdoutPipe()
	must(t, err)
	must(t, cmd.Start())
	buf := make([]byte, 64)
	n, _ := out.Read(buf) // the child prints "committed N" once inside the open transaction
	if !strings.HasPrefix(string(buf[:n]), "committed ") {
		cmd.Process.Kill()
		t.Fatalf("child said %q", buf[:n])
	}
	committed, _ := strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(string(buf[:n]), "committed ")))
	must(t, cmd.Process.Signal(syscall.SIGKILL))
	cmd.Wait()

	db := mustOpenDir(t, dir)
	var count int
	must(t, db.write.QueryRow(`SELECT count(*) FROM settings WHERE key LIKE 'row-%'`).Scan(&count))
	var pending int
	must(t, db.write.QueryRow(`SELECT count(*) FROM settings WHERE key LIKE 'pending-%'`).Scan(&pending))
	var ok string
	must(t, db.write.QueryRow(`PRAGMA integrity_check`).Scan(&ok))
	if count != committed || pending != 0 || ok != "ok" {
		t.Fatalf("after kill: %d of %d committed rows, %d uncommitted, integrity %s", count, committed, pending, ok)
	}
}

// childWriter commits 200 settings one by one, then opens a transaction,
// writes into it, says so, and waits to be killed.
func childWriter(dir string) {
	ctx := context.Background()
	db, err := Open(ctx, dir, Options{})
	if err != nil {
		os.Exit(3)
	}
	for i := 0; i < 200; i++ {
		if err := db.SetSetting(ctx, "row-"+strconv.Itoa(i), strings.Repeat("x", 100)); err != nil {
			os.Exit(4)
		}
	}
	tx, _ := db.write.BeginTx(ctx, nil)
	for i := 0; i < 5000; i++ {
		tx.Exec(`INSERT INTO settings (key, value) VALUES (?, ?)`, "pending-"+strconv.Itoa(i), strings.Repeat("y", 200))
	}
	os.Stdout.WriteString("committed 200\n")
	select {}
}
