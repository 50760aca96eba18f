package engine

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/ligne-app/ligne/internal/peers"
	"github.com/ligne-app/ligne/selfcare"
	"github.com/ligne-app/ligne/softphone"
	"github.com/ligne-app/ligne/store"
)

// line is one registered engine whose calls are recorded in its own store.
type line struct {
	phone *softphone.Phone
	db    *store.DB
	done  chan struct{}
}

// startLine registers user on k and records its calls.
func startLine(t *testing.T, k *peers.Kamailio, user string, opts softphone.Options) *line {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	opts.ListenAddr, opts.MediaIP = "127.0.0.1:0", "127.0.0.1"
	opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	acct := softphone.Account{User: user, Password: "pw-" + user, Domain: k.Domain, OutboundProxy: k.Addr(), Expiry: time.Minute}
	p, err := softphone.New(acct, opts)
	if err != nil {
		t.Fatal(err)
	}
	subCtx, cancel := context.WithCancel(ctx)
	l := &line{phone: p, db: db, done: make(chan struct{})}
	rec := &Recorder{Log: db, Line: selfcare.LineFixed}
	events := p.Subscribe(subCtx)
	go func() { defer close(l.done); rec.Run(subCtx, events) }()
	if err := p.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		sctx, scancel := context.WithTimeout(ctx, 10*time.Second)
		defer scancel()
		p.Shutdown(sctx)
		cancel()
		<-l.done
		db.Close()
	})
	waitFor(t, "registration of "+user, func() bool { return p.Registration().State == softphone.RegRegistered })
	return l
}

// waitFor polls cond (a failure guard, not a speed assertion).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// lastCall waits until l has n records and returns the newest.
func (l *line) lastCall(t *testing.T, n int) selfcare.CallRecord {
	t.Helper()
	var recs []selfcare.CallRecord
	waitFor(t, "call record", func() bool {
		var total int
		recs, total, _ = l.db.Calls(context.Background(), selfcare.CallFilter{Limit: 1})
		return total >= n
	})
	return recs[0]
}

func TestEveryCallIsRecorded(t *testing.T) {
	users := map[string]string{"alice": "pw-alice", "bob": "pw-bob"}
	k := peers.StartKamailio(t, peers.KamailioOptions{Users: users})
	alice := startLine(t, k, "alice", softphone.Options{})
	bob := startLine(t, k, "bob", softphone.Options{})
	ctx := context.Background()
	if _, err := bob.db.AddContact(ctx, selfcare.Contact{Kind: selfcare.ContactExternal, Name: "Alice Martin",
		Numbers: []selfcare.TypedNumber{{Number: "sip:alice@" + k.Domain}}}); err != nil {
		t.Fatal(err)
	}

	t.Run("answered", func(t *testing.T) {
		call, err := alice.phone.Dial(ctx, "bob", softphone.DialOptions{})
		if err != nil {
			t.Fatal(err)
		}
		in := waitIncoming(t, bob.phone)
		if err := in.Answer(ctx); err != nil {
			t.Fatal(err)
		}
		<-call.Answered()
		time.Sleep(1200 * time.Millisecond) // some talk time, so the duration is measurable
		call.Hangup(ctx)
		out := alice.lastCall(t, 1)
		got := bob.lastCall(t, 1)
		if out.Direction != selfcare.DirectionOut || out.Outcome != selfcare.OutcomeAnswered || out.Remote != "bob" && out.Remote != "sip:bob@"+k.Domain {
			t.Errorf("alice's record %+v", out)
		}
		if out.Duration() < time.Second || out.Answer.Before(out.Start) {
			t.Errorf("alice's durations: start %v answer %v end %v", out.Start, out.Answer, out.End)
		}
		if got.Direction != selfcare.DirectionIn || got.Outcome != selfcare.OutcomeAnswered || got.RemoteName != "Alice Martin" {
			t.Errorf("bob's record %+v", got)
		}
	})

	t.Run("missed when the caller gives up", func(t *testing.T) {
		call, err := alice.phone.Dial(ctx, "bob", softphone.DialOptions{})
		if err != nil {
			t.Fatal(err)
		}
		waitIncoming(t, bob.phone)
		call.Hangup(ctx)
		if got := bob.lastCall(t, 2); got.Outcome != selfcare.OutcomeMissed || got.Direction != selfcare.DirectionIn {
			t.Errorf("bob's record %+v", got)
		}
		if out := alice.lastCall(t, 2); out.Outcome != selfcare.OutcomeFailed || out.Reason == "" {
			t.Errorf("alice's record %+v", out)
		}
	})

	t.Run("rejected by the callee", func(t *testing.T) {
		if _, err := alice.phone.Dial(ctx, "bob", softphone.DialOptions{}); err != nil {
			t.Fatal(err)
		}
		in := waitIncoming(t, bob.phone)
		in.Reject(ctx, 486)
		if got := bob.lastCall(t, 3); got.Outcome != selfcare.OutcomeRejected {
			t.Errorf("bob's record %+v", got)
		}
		if out := alice.lastCall(t, 3); out.Outcome != selfcare.OutcomeFailed || out.Reason != string(softphone.EndBusy) {
			t.Errorf("alice's record %+v", out)
		}
	})
}

// waitIncoming returns the phone's ringing incoming call.
func waitIncoming(t *testing.T, p *softphone.Phone) *softphone.Call {
	t.Helper()
	var in *softphone.Call
	waitFor(t, "incoming call", func() bool {
		for _, c := range p.Calls() {
			if c.Direction() == softphone.Incoming && c.State() == softphone.StateRinging {
				in = c
				return true
			}
		}
		return false
	})
	return in
}
