package faulttest

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ligne-app/ligne/internal/faultnet"
	"github.com/ligne-app/ligne/internal/peers"
	"github.com/ligne-app/ligne/softphone"
)

// outage is how long the registrar disappears (issue 12: 60 s).
const outage = 60 * time.Second

// sent is one SIP message the phone sent towards the registrar.
type sent struct {
	at        time.Time
	method    string
	forwarded bool
}

// sentLog keeps what the relay saw going to the registrar.
type sentLog struct {
	mu   sync.Mutex
	msgs []sent
}

func (l *sentLog) watch(dir faultnet.Direction, b []byte, forwarded bool) {
	if dir != faultnet.ToServer {
		return
	}
	method, _, _ := strings.Cut(string(b), " ")
	l.mu.Lock()
	defer l.mu.Unlock()
	l.msgs = append(l.msgs, sent{at: time.Now(), method: method, forwarded: forwarded})
}

// between returns the messages sent in [from, to).
func (l *sentLog) between(from, to time.Time) []sent {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []sent
	for _, m := range l.msgs {
		if !m.at.Before(from) && m.at.Before(to) {
			out = append(out, m)
		}
	}
	return out
}

// TestRegistrarGoneForAMinute: the registrar (Kamailio, behind a relay)
// disappears for 60 s. The status must say so (retrying, with a reason),
// the retries must back off (growing delays), the phone must keep trying
// all along (a probe or a retransmission at least every probe interval,
// 4 s), and once the registrar is back the phone must register again
// after at most one probe: the first message that gets through is
// answered and leads straight to the REGISTER. The probe interval (4 s)
// is what keeps it under 5 s; the time it took is logged.
func TestRegistrarGoneForAMinute(t *testing.T) {
	k := peers.StartKamailio(t, peers.KamailioOptions{Users: map[string]string{"alice": "Al1ce-pw"}})
	relay, err := faultnet.ListenUDP(k.Addr())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { relay.Close() })
	log := &sentLog{}
	relay.SetWatch(log.watch)
	p, ev := phone(t, softphone.Account{User: "alice", Password: "Al1ce-pw", Domain: k.Domain,
		OutboundProxy: relay.Addr().String(), KeepAlive: 5 * time.Second, Expiry: 10 * time.Minute}, softphone.Options{})
	ev.wait(t, time.Time{}, "registration", isReg(softphone.RegRegistered))

	gone := time.Now()
	relay.SetMode(faultnet.Drop)
	ev.wait(t, gone, "a retrying status", isReg(softphone.RegRetrying))
	time.Sleep(outage - time.Since(gone))
	status := p.Registration()
	back := time.Now()
	relay.SetMode(faultnet.Pass)
	registered := ev.wait(t, back, "registration after the return", isReg(softphone.RegRegistered))

	checkStatusDuringOutage(t, status, ev.since(gone))
	checkKeptTrying(t, log.between(gone, back))
	checkRecoveredAtOnce(t, log.between(back, registered.at))
	t.Logf("registered again %v after the registrar came back (60 s outage)", registered.at.Sub(back).Round(10*time.Millisecond))
}

// checkStatusDuringOutage: the user saw "retrying: REASON", and the retry
// delays grew.
func checkStatusDuringOutage(t *testing.T, status softphone.RegistrationEvent, evs []timed) {
	t.Helper()
	if status.State == softphone.RegRegistered || status.Reason == "" || !strings.Contains(status.String(), status.Reason) {
		t.Fatalf("status at the end of the outage: %q (%+v)", status.String(), status)
	}
	var delays []time.Duration
	for _, x := range evs {
		if r, ok := x.ev.(softphone.RegistrationEvent); ok && r.State == softphone.RegRetrying && r.RetryIn > 0 {
			delays = append(delays, r.RetryIn)
		}
	}
	for i := 1; i < len(delays); i++ {
		if delays[i] < delays[i-1] {
			t.Fatalf("retry delays do not back off: %v", delays)
		}
	}
	if len(delays) < 3 || delays[len(delays)-1] < 4*time.Second {
		t.Fatalf("retry delays %v: want at least three, growing to 4 s or more", delays)
	}
	t.Logf("status %q; retry delays %v", status.String(), delays)
}

// checkKeptTrying: the phone sent something to the registrar every probe
// interval or so (OPTIONS probes, REGISTER retransmissions).
func checkKeptTrying(t *testing.T, msgs []sent) {
	t.Helper()
	if n := len(msgs); n < int(outage/(4*time.Second))/2 {
		t.Fatalf("only %d messages towards the registrar in %v: the phone stopped trying", n, outage)
	}
}

// checkRecoveredAtOnce: from the return to the registration, at most one
// probe went out before the REGISTER that succeeded.
func checkRecoveredAtOnce(t *testing.T, msgs []sent) {
	t.Helper()
	probes := 0
	for _, m := range msgs {
		if m.method == "OPTIONS" {
			probes++
		}
	}
	if probes > 1 {
		t.Fatalf("%d probes after the return before registering (%v): the return was not used at once", probes, msgs)
	}
}
