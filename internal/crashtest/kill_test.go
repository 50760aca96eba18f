package crashtest

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/ligne-app/ligne/store"
)

// figures are what a workload measured, for docs/RELIABILITY.md.
type figures struct {
	name       string
	iterations int           // processes started
	kills      int           // SIGKILLs that landed while the process ran
	committed  int           // changes committed (exit 0, or found after a kill)
	lost       int           // committed changes missing afterwards (must stay 0)
	recovery   time.Duration // longest store.Open + integrity_check after a kill
	audioLag   time.Duration // longest audio a killed recording's header did not cover yet
}

func (f *figures) String() string {
	s := fmt.Sprintf("%s: %d runs, %d killed, %d changes committed, %d lost, reopen after a kill within %v",
		f.name, f.iterations, f.kills, f.committed, f.lost, f.recovery.Round(time.Millisecond))
	if f.audioLag > 0 {
		s += fmt.Sprintf(", audio not yet in the header at the kill at most %v", f.audioLag.Round(time.Millisecond))
	}
	return s
}

// outcome is how one run ended.
type outcome struct {
	killed bool          // SIGKILL landed while the process ran
	code   int           // exit code when it was not killed
	stderr string        // what it said
	ran    time.Duration // how long the process lived
}

// runAndKill starts bin with args and sends SIGKILL after delay; a
// process that finished before keeps its exit code.
func runAndKill(ctx context.Context, bin string, args []string, env []string, delay time.Duration) outcome {
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = env
	var errb bytes.Buffer
	cmd.Stderr = &errb
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return outcome{code: -1, stderr: err.Error()}
	}
	timer := time.AfterFunc(delay, func() { _ = cmd.Process.Signal(syscall.SIGKILL) })
	_ = cmd.Wait()
	timer.Stop()
	out := outcome{stderr: errb.String(), ran: time.Since(start), code: cmd.ProcessState.ExitCode()}
	ws, _ := cmd.ProcessState.Sys().(syscall.WaitStatus)
	out.killed = ws.Signaled() && ws.Signal() == syscall.SIGKILL
	return out
}

// randomDelay picks a kill point within the usual run time of the
// command (a little beyond, so that some runs complete).
func randomDelay(usual time.Duration) time.Duration {
	return time.Duration(rand.Int64N(int64(usual*13/10) + 1))
}

// usualTime keeps a moving estimate of a command's run time.
type usualTime struct{ d time.Duration }

func (u *usualTime) add(d time.Duration) {
	if u.d == 0 {
		u.d = d
		return
	}
	u.d = (u.d*3 + d) / 4
}

// openStore opens dir's store to prepare a workload (close it after).
func openStore(t *testing.T, dir string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// reopen opens the data folder as Ligne does after a crash (store.Open:
// identity, quick check, migrations), runs PRAGMA integrity_check on the
// file, and returns the store and how long that took.
func reopen(t *testing.T, dir string) (*store.DB, time.Duration) {
	t.Helper()
	start := time.Now()
	db, err := store.Open(context.Background(), dir, store.Options{})
	if err != nil {
		t.Fatalf("the database does not open after a kill: %v", err)
	}
	if res := integrityCheck(t, dir); res != "ok" {
		db.Close()
		t.Fatalf("integrity_check after a kill: %s", res)
	}
	return db, time.Since(start)
}

// integrityCheck runs PRAGMA integrity_check on the data folder's database.
func integrityCheck(t *testing.T, dir string) string {
	t.Helper()
	conn, err := sql.Open("sqlite", "file:"+filepath.ToSlash(filepath.Join(dir, store.FileName)))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var res string
	if err := conn.QueryRow("PRAGMA integrity_check").Scan(&res); err != nil {
		return err.Error()
	}
	return res
}
