package crashtest

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ligne-app/ligne/store"
)

// TestDamagedDatabaseIsReportedNeverReset: a database file damaged in
// its pages, replaced by another program's SQLite file or by something
// that is not SQLite at all makes lignectl stop with one clear line and
// keep a copy; the file itself is left as it was (no silent reset), and
// the next run says the same.
func TestDamagedDatabaseIsReportedNeverReset(t *testing.T) {
	for name, damage := range map[string]func(t *testing.T, path string){
		"pages overwritten": overwritePages,
		"another program":   otherSQLite,
		"not sqlite":        func(t *testing.T, path string) { writeFile(t, path, []byte("\x89PNG\r\n\x1a\nnot a database")) },
	} {
		t.Run(name, func(t *testing.T) {
			dir := seededDir(t)
			path := filepath.Join(dir, store.FileName)
			damage(t, path)
			before, _ := os.ReadFile(path)
			for run := 1; run <= 2; run++ {
				out, err := exec.Command(lignectlBin, "--data", dir, "--lang", "en", "forward", "list").CombinedOutput()
				if err == nil || !strings.Contains(string(out), "is not a readable Ligne database") || !strings.Contains(string(out), "copy was kept") {
					t.Fatalf("run %d on a damaged database: %v\n%s", run, err, out)
				}
			}
			if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
				t.Fatal("the damaged database was changed (reset?)")
			}
			backups, _ := filepath.Glob(path + ".unreadable-*")
			if len(backups) != 1 {
				t.Fatalf("%d copies of the damaged file after two runs, want one", len(backups))
			}
			if kept, _ := os.ReadFile(backups[0]); !bytes.Equal(kept, before) {
				t.Fatal("the kept copy differs from the damaged file")
			}
		})
	}
}

// seededDir is a data folder with some settings saved by lignectl.
func seededDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if out, err := exec.Command(lignectlBin, "--data", dir, "forward", "set", "immediate", "--to", "0612345678").CombinedOutput(); err != nil {
		t.Fatalf("seed: %v %s", err, out)
	}
	return dir
}

// overwritePages writes garbage over the middle of the file, past the
// header: SQLite still recognizes it, its checks do not pass.
func overwritePages(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil || len(b) < 8192 {
		t.Fatalf("database of %d bytes: %v", len(b), err)
	}
	for i := 4096; i < len(b)-1024; i += 7 {
		b[i] ^= 0x5a
	}
	writeFile(t, path, b)
}

// otherSQLite replaces the file by a valid SQLite database of another
// program.
func otherSQLite(t *testing.T, path string) {
	t.Helper()
	os.Remove(path)
	os.Remove(path + "-wal")
	os.Remove(path + "-shm")
	db, err := sql.Open("sqlite", "file:"+filepath.ToSlash(path))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ExecContext(context.Background(), "CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO photos (name) VALUES ('x')"); err != nil {
		t.Fatal(err)
	}
}

func writeFile(t *testing.T, path string, b []byte) {
	t.Helper()
	os.Remove(path + "-wal")
	os.Remove(path + "-shm")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}
