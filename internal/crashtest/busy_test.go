package crashtest

import (
	"bufio"
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ligne-app/ligne/selfcare"
	"github.com/ligne-app/ligne/store"
)

// TestOpenWhileAnotherProcessHoldsTheDatabase: another Ligne process (the
// window while lignectl starts, or the next start while the last one
// finishes writing) holds the database's lock for a moment. Opening must
// wait for it, not call the file foreign, copy it aside and refuse it.
// Found by TestKillsLoseNothing (the voicemail restarting after a kill).
func TestOpenWhileAnotherProcessHoldsTheDatabase(t *testing.T) {
	sqlite := lookSQLite(t)
	dir := t.TempDir()
	db, err := store.Open(context.Background(), dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	holder := exec.Command(sqlite, filepath.Join(dir, store.FileName))
	holder.Stdin = strings.NewReader("PRAGMA locking_mode=EXCLUSIVE;\nBEGIN EXCLUSIVE;\nSELECT 'locked';\n.shell sleep 2\nCOMMIT;\n")
	out, err := holder.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := holder.Start(); err != nil {
		t.Fatal(err)
	}
	defer holder.Wait()
	sc := bufio.NewScanner(out)
	for sc.Scan() && sc.Text() != "locked" {
	}
	if sc.Text() != "locked" {
		t.Fatal("sqlite3 did not take the lock")
	}
	db, err = store.Open(context.Background(), dir, store.Options{})
	if err != nil {
		t.Fatalf("open while another process held the lock: %v (%s)", err, selfcare.ErrorCode(err))
	}
	db.Close()
	if backups, _ := filepath.Glob(filepath.Join(dir, store.FileName+".unreadable-*")); len(backups) != 0 {
		t.Fatalf("a busy database was copied aside as unreadable: %v", backups)
	}
}

func lookSQLite(t *testing.T) string {
	t.Helper()
	bin, err := exec.LookPath("sqlite3")
	if err != nil {
		t.Fatal("sqlite3 is missing: install the sqlite3 package (make test does: scripts/deps.sh test)")
	}
	return bin
}
