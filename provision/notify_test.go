package provision

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ligne-app/ligne/internal/peers"
	"github.com/ligne-app/ligne/selfcare"
)

// TestCheckSyncReachesSippActingAsThePhone: sipp plays the phone and
// accepts the NOTIFY only with the right Event header (its scenario checks
// it; sipp exits 0 only if it matched).
func TestCheckSyncReachesSippActingAsThePhone(t *testing.T) {
	phone := peers.StartSipp(t, "testdata/check-sync-phone.xml", "-m", "1")
	n := &Notifier{Now: func() time.Time { return time.Date(2026, 11, 25, 15, 0, 0, 0, time.UTC) }}
	res, err := n.CheckSync(t.Context(), phone.Addr(), "4021")
	if err != nil {
		t.Fatalf("check-sync: %v", err)
	}
	if !res.OK() || res.Status != 200 || res.Target != phone.Addr() || res.At.IsZero() {
		t.Fatalf("result %+v", res)
	}
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	if r := phone.Wait(ctx); r.ExitCode != 0 || r.Successful != 1 {
		t.Fatalf("sipp (the phone) did not accept the NOTIFY: exit %d, %d ok:\n%s", r.ExitCode, r.Successful, r.Log)
	}
}

// TestSippRefusesAWrongEvent proves the scenario can fail: a NOTIFY asking
// for a reboot is not what the phone expects.
func TestSippRefusesAWrongEvent(t *testing.T) {
	phone := peers.StartSipp(t, "testdata/check-sync-phone.xml", "-m", "1")
	n := &Notifier{Timeout: 3 * time.Second}
	_, _ = n.send(t.Context(), phone.Addr(), "4021", "check-sync;reboot=true")
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	if r := phone.Wait(ctx); r.ExitCode == 0 || r.Failed == 0 {
		t.Fatalf("sipp accepted a wrong Event: exit %d:\n%s", r.ExitCode, r.Log)
	}
}

func TestCheckSyncWithoutPhone(t *testing.T) {
	port := peers.FreePort(t) // nothing listens there
	n := &Notifier{Timeout: 2 * time.Second}
	res, err := n.CheckSync(t.Context(), peers.HostPort(port), "4021")
	if selfcare.ErrorCode(err) != selfcare.CodeSyncNoAnswer || res.Status != 0 || res.Reason != string(selfcare.CodeSyncNoAnswer) {
		t.Fatalf("no phone: %+v %v", res, err)
	}
	if msg := selfcare.ErrorMessage(err, "fr"); !strings.Contains(msg, "n'a pas répondu") || !strings.Contains(msg, peers.HostPort(port)) {
		t.Fatalf("message %q", msg)
	}
	if _, err := n.CheckSync(t.Context(), "bad host:port:x", "4021"); selfcare.ErrorCode(err) != selfcare.CodeHostPortInvalid {
		t.Fatalf("bad target: %v", err)
	}
}
