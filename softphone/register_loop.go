package softphone

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/emiago/sipgo/sip"
)

// outcome classes of a registration attempt.
type regClass int

const (
	regOK        regClass = iota
	regTransient          // network, timeout, 5xx: retry soon, probe meanwhile
	regPermanent          // auth refused, forbidden, not found: retry slowly
)

func classify(r regResult) regClass {
	switch {
	case r.err != nil:
		if errors.Is(r.err, ErrMalformed) {
			return regPermanent
		}
		return regTransient
	case r.code >= 200 && r.code < 300:
		return regOK
	case r.code == 401, r.code == 407, r.code == 403, r.code == 404:
		return regPermanent
	default:
		return regTransient
	}
}

// userReason turns an attempt's outcome into a reason a user can read.
func userReason(r regResult) string {
	switch {
	case r.err != nil && errors.Is(r.err, ErrTimeout), errors.Is(r.err, context.DeadlineExceeded):
		return "no answer from the server"
	case r.err != nil:
		return "cannot reach the server: " + r.err.Error()
	case r.code == 401 || r.code == 407 || r.code == 403:
		return fmt.Sprintf("authentication refused (%d %s): check the user name and password", r.code, r.reason)
	case r.code == 404:
		return fmt.Sprintf("unknown account (%d %s)", r.code, r.reason)
	default:
		return fmt.Sprintf("server answered %d %s", r.code, r.reason)
	}
}

// backoff is the delay before attempt n+1 after n consecutive failures:
// 1, 2, 4, 8 ... seconds, capped.
func backoff(failures int, limit time.Duration) time.Duration {
	d := time.Second
	for i := 1; i < failures && d < limit; i++ {
		d *= 2
	}
	return min(d, limit)
}

// refreshAfter is when to refresh a binding granted for d: halfway for
// short bindings, 30 s before expiry otherwise.
func refreshAfter(d time.Duration) time.Duration {
	if d <= 2*time.Minute {
		return d / 2
	}
	return d - 30*time.Second
}

// run keeps the account registered until ctx ends.
func (r *registrar) run(ctx context.Context) {
	failures := 0
	var last RegistrationEvent // the last failure, shown while trying again
	for ctx.Err() == nil {
		if r.state() != RegRegistered {
			// a new attempt after a failure keeps its reason: an attempt
			// can last 32 s (no answer on UDP), and "registering" alone
			// would hide why the line is down
			r.publish(RegistrationEvent{State: RegRegistering, Reason: last.Reason, Code: last.Code})
		}
		res := r.registerOnce(ctx, r.p.acct.Expiry)
		if ctx.Err() != nil {
			return
		}
		switch classify(res) {
		case regOK:
			failures, last = 0, RegistrationEvent{}
			r.publish(RegistrationEvent{State: RegRegistered, Expires: res.granted, Code: res.code,
				Contact: hostPortString(res.contact)})
			r.waitRegistered(ctx, res.granted)
		case regPermanent:
			failures++
			delay := r.p.opts.RetryMax
			last = RegistrationEvent{State: RegFailed, Reason: userReason(res), Code: res.code, RetryIn: delay}
			r.publish(last)
			r.waitRetry(ctx, delay, false)
		default:
			failures++
			delay := backoff(failures, r.p.opts.RetryMax)
			last = RegistrationEvent{State: RegRetrying, Reason: userReason(res), Code: res.code, RetryIn: delay}
			r.publish(last)
			r.waitRetry(ctx, delay, true)
		}
	}
}

// waitRegistered returns when the binding must be refreshed, the
// keep-alive fails, or the network or the clock changed.
func (r *registrar) waitRegistered(ctx context.Context, granted time.Duration) {
	refresh := time.NewTimer(refreshAfter(granted))
	defer refresh.Stop()
	keep := newTicker(r.p.acct.KeepAlive)
	defer keep.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-refresh.C:
			return
		case reason := <-r.kickCh:
			r.p.log.Info("registering again", "reason", reason)
			return
		case <-keep.C:
			if err := r.keepAlive(ctx); err != nil {
				r.p.log.Warn("keep-alive failed, registering again", "error", err)
				r.publish(RegistrationEvent{State: RegRetrying, Reason: "connection to the server lost"})
				return
			}
		}
	}
}

// waitRetry waits delay before the next attempt; with probe, an OPTIONS
// is sent every ProbeInterval and the first answer cuts the wait short, so
// a registrar that comes back is used within one probe interval.
func (r *registrar) waitRetry(ctx context.Context, delay time.Duration, probe bool) {
	retry := time.NewTimer(delay)
	defer retry.Stop()
	var probes <-chan time.Time
	if probe && r.p.opts.ProbeInterval < delay {
		t := time.NewTicker(r.p.opts.ProbeInterval)
		defer t.Stop()
		probes = t.C
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-retry.C:
			return
		case reason := <-r.kickCh:
			r.p.log.Info("registering again", "reason", reason)
			return
		case <-probes:
			if r.probe(ctx) == nil {
				r.p.log.Info("registrar answers again, registering")
				return
			}
		}
	}
}

// keepAlive refreshes NAT bindings and checks the server is there: CRLF on
// TCP/TLS (and the connection must still be open), OPTIONS on UDP.
func (r *registrar) keepAlive(ctx context.Context) error {
	if r.p.tp.network != "udp" {
		return r.p.tp.pingCRLF()
	}
	return r.probe(ctx)
}

// probe sends OPTIONS to the next hop; any answer means it is alive.
func (r *registrar) probe(ctx context.Context) error {
	timeout := min(max(r.p.acct.KeepAlive, 2*time.Second), 8*time.Second)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if err := r.p.tp.connect(ctx); err != nil {
		return err
	}
	uri := r.p.acct.registrarURI()
	req := r.p.newRequest(sip.OPTIONS, uri, uri)
	tx, err := r.p.send(ctx, req)
	if err != nil {
		return err
	}
	defer tx.Terminate()
	_, err = waitFinal(ctx, tx, nil)
	return err
}

func (r *registrar) state() RegistrationState {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.status.State
}

// Status returns the last registration state.
func (r *registrar) current() RegistrationEvent {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.status
}

// publish records and emits a registration event.
func (r *registrar) publish(ev RegistrationEvent) {
	ev.Time, ev.AOR = r.p.now(), r.p.acct.AOR()
	r.mu.Lock()
	r.status = ev
	r.mu.Unlock()
	r.p.log.Info("registration", "state", ev.State, "reason", ev.Reason, "retry_in", ev.RetryIn)
	r.p.emit(ev)
}

// Registration returns the current registration state, reason and retry
// delay, as last reported.
func (p *Phone) Registration() RegistrationEvent {
	if p.reg == nil {
		return RegistrationEvent{AOR: p.acct.AOR(), State: RegUnregistered}
	}
	return p.reg.current()
}

// newTicker returns a ticker, or a stopped one that never fires for d <= 0.
func newTicker(d time.Duration) *time.Ticker {
	if d <= 0 {
		t := time.NewTicker(time.Hour)
		t.Stop()
		return t
	}
	return time.NewTicker(d)
}

// String is the status line a user reads: "registered", "failed:
// REASON (retrying in 30 s)", "retrying in 4 s: REASON", "registering
// (last attempt: REASON)".
func (e RegistrationEvent) String() string {
	retry := ""
	if e.RetryIn > 0 {
		retry = fmt.Sprintf("retrying in %d s", int(e.RetryIn.Round(time.Second).Seconds()))
	}
	switch {
	case e.State == RegFailed && retry != "":
		return fmt.Sprintf("failed: %s (%s)", e.Reason, retry)
	case e.State == RegFailed || (e.State == RegRetrying && retry == ""):
		return fmt.Sprintf("%s: %s", e.State, e.Reason)
	case e.State == RegRetrying:
		return fmt.Sprintf("%s: %s", retry, e.Reason)
	case e.State == RegRegistering && e.Reason != "":
		return fmt.Sprintf("%s (last attempt: %s)", e.State, e.Reason)
	}
	return string(e.State)
}
