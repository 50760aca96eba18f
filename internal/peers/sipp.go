package peers

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// SippResult is what a finished sipp run reports.
type SippResult struct {
	// ExitCode is sipp's exit code: 0 only when every call succeeded.
	ExitCode int
	// Successful and Failed count calls from the statistics file.
	Successful, Failed int
	// Log holds sipp's output, error log and message trace.
	Log string
}

// SippProcess is a sipp running in the background.
type SippProcess struct {
	tb   testing.TB
	proc *process
	log  *logBuffer
	dir  string
	// Port is the local SIP port sipp binds on 127.0.0.1.
	Port int
}

// Addr is sipp's "127.0.0.1:port".
func (s *SippProcess) Addr() string { return HostPort(s.Port) }

// Sipp runs a scenario file (or a built-in scenario name) to its end (args are extra sipp arguments,
// e.g. the remote "127.0.0.1:5060" and "-m 1") and returns its result.
func Sipp(tb testing.TB, scenario string, args ...string) SippResult {
	tb.Helper()
	s := StartSipp(tb, scenario, args...)
	ctx, cancel := context.WithTimeout(tb.Context(), 2*time.Minute)
	defer cancel()
	return s.Wait(ctx)
}

// StartSipp starts sipp with a scenario file on a free loopback port and
// returns at once; the process is stopped at the end of the test.
func StartSipp(tb testing.TB, scenario string, args ...string) *SippProcess {
	tb.Helper()
	bin := LookPath(tb, "sipp", "sip-tester")
	s := &SippProcess{tb: tb, dir: tb.TempDir(), Port: FreePort(tb), log: &logBuffer{}}
	base := append(scenarioArgs(tb, scenario), "-i", Loopback, "-p", strconv.Itoa(s.Port), "-nostdin",
		"-trace_err", "-error_file", s.file("errors.log"), "-trace_msg", "-message_file", s.file("messages.log"),
		"-trace_stat", "-stf", s.file("stats.csv"), "-timeout", "90s", "-timeout_error")
	cmd := exec.Command(bin, append(base, args...)...)
	cmd.Dir = s.dir
	var err error
	s.proc, err = startProcess("sipp", cmd, s.log)
	if err != nil {
		tb.Fatalf("%v", err)
	}
	tb.Cleanup(s.proc.stop)
	attachLog(tb, "sipp "+filepath.Base(scenario), s.log)
	return s
}

// scenarioArgs selects a scenario file (".xml") or a built-in one ("uac",
// "uas", ...).
func scenarioArgs(tb testing.TB, scenario string) []string {
	if !strings.HasSuffix(scenario, ".xml") {
		return []string{"-sn", scenario}
	}
	abs, err := filepath.Abs(scenario)
	if err != nil {
		tb.Fatalf("sipp scenario %s: %v", scenario, err)
	}
	return []string{"-sf", abs}
}

func (s *SippProcess) file(name string) string { return filepath.Join(s.dir, name) }

// Wait waits for sipp to end (or stops it when ctx ends) and returns its
// result.
func (s *SippProcess) Wait(ctx context.Context) SippResult {
	select {
	case <-s.proc.done:
	case <-ctx.Done():
		s.proc.stop()
	}
	r := SippResult{ExitCode: s.proc.exitCode()}
	r.Successful, r.Failed = readSippStats(s.file("stats.csv"))
	r.Log = s.log.String() + s.readLog("errors.log") + s.readLog("messages.log")
	return r
}

func (s *SippProcess) readLog(name string) string {
	b, err := os.ReadFile(s.file(name))
	if err != nil {
		return ""
	}
	return fmt.Sprintf("\n--- %s ---\n%s", name, b)
}

// readSippStats reads the cumulated successful and failed call counts
// from the last line of sipp's statistics CSV.
func readSippStats(path string) (ok, failed int) {
	f, err := os.Open(path)
	if err != nil {
		return 0, 0
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma = ';'
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil || len(rows) < 2 {
		return 0, 0
	}
	head, last := rows[0], rows[len(rows)-1]
	for i, name := range head {
		if i >= len(last) {
			break
		}
		n, _ := strconv.Atoi(strings.TrimSpace(last[i]))
		switch name {
		case "SuccessfulCall(C)":
			ok = n
		case "FailedCall(C)":
			failed = n
		}
	}
	return ok, failed
}
