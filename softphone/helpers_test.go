package softphone

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ligne-app/ligne/internal/peers"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// guard is the generous failure guard of every wait (not a speed
// assertion: speeds are benchmarks).
const guard = 30 * time.Second

// syncBuffer is a goroutine-safe bytes.Buffer for traces and logs.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// recorder collects a phone's events for the test.
type recorder struct {
	t      testing.TB
	p      *Phone
	mu     sync.Mutex
	events []Event
	seen   int
	wake   chan struct{}
}

// testPhone starts a phone on loopback, records its events, and shuts it
// down at the end of the test; its log and trace are shown on failure.
func testPhone(t testing.TB, acct Account, opts Options) (*Phone, *recorder) {
	t.Helper()
	logs := &syncBuffer{}
	trace := &syncBuffer{}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	if opts.ListenAddr == "" {
		opts.ListenAddr = "127.0.0.1:0"
	}
	if opts.Trace == nil {
		opts.Trace = trace
	}
	p, err := New(acct, opts)
	if err != nil {
		t.Fatalf("new phone: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	rec := &recorder{t: t, p: p, wake: make(chan struct{}, 1)}
	ch := p.Subscribe(ctx)
	done := make(chan struct{})
	go rec.collect(ch, done)
	if err := p.Start(t.Context()); err != nil {
		t.Fatalf("start phone: %v", err)
	}
	t.Cleanup(func() {
		sctx, scancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer scancel()
		_ = p.Shutdown(sctx)
		cancel()
		<-done
		if t.Failed() && os.Getenv("LIGNE_TEST_QUIET") == "" {
			t.Logf("----- %s log -----\n%s", acct.User, tail(logs.String(), 20000))
			t.Logf("----- %s SIP trace -----\n%s", acct.User, tail(trace.String(), 30000))
		}
	})
	return p, rec
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "...\n" + s[len(s)-n:]
}

func (r *recorder) collect(ch <-chan Event, done chan struct{}) {
	defer close(done)
	for ev := range ch {
		r.mu.Lock()
		r.events = append(r.events, ev)
		r.mu.Unlock()
		select {
		case r.wake <- struct{}{}:
		default:
		}
	}
}

// bind makes failures of later waits belong to t (a subtest).
func (r *recorder) bind(t testing.TB) *recorder {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.t = t
	return r
}

// next waits for the next event (after those already returned) matching.
func (r *recorder) next(match func(Event) bool) Event {
	r.t.Helper()
	deadline := time.NewTimer(guard)
	defer deadline.Stop()
	for {
		r.mu.Lock()
		for i := r.seen; i < len(r.events); i++ {
			if match(r.events[i]) {
				r.seen = i + 1
				ev := r.events[i]
				r.mu.Unlock()
				return ev
			}
		}
		r.seen = len(r.events)
		r.mu.Unlock()
		select {
		case <-r.wake:
		case <-deadline.C:
			r.t.Fatalf("no matching event within %v; events: %s", guard, r.dump())
			return nil
		}
	}
}

// snapshot returns every event received so far.
func (r *recorder) snapshot() []Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Event(nil), r.events...)
}

func (r *recorder) dump() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var sb strings.Builder
	for _, ev := range r.events {
		b, _ := MarshalEvent(ev)
		sb.WriteString("\n  ")
		sb.Write(b)
	}
	return sb.String()
}

// reg waits for a registration event in state s.
func (r *recorder) reg(s RegistrationState) RegistrationEvent {
	r.t.Helper()
	return r.next(func(ev Event) bool {
		e, ok := ev.(RegistrationEvent)
		return ok && e.State == s
	}).(RegistrationEvent)
}

// kamailioAccount is an account registering to k over transport.
func kamailioAccount(k *peers.Kamailio, user, password string, tr Transport) Account {
	hop := k.Addr()
	if tr == TransportTLS {
		hop = peers.HostPort(k.TLSPort)
	}
	return Account{User: user, Password: password, Domain: k.Domain, OutboundProxy: hop, Transport: tr,
		Expiry: time.Minute, KeepAlive: time.Second}
}
