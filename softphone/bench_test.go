package softphone

import (
	"context"
	"testing"
	"time"

	"github.com/ligne-app/ligne/internal/peers"
)

// BenchmarkCallSetupLoopback measures INVITE to 200 OK (answered and
// ACKed, media started) between two Ligne phones on loopback, the callee
// answering automatically. Each iteration also hangs up (not timed).
func BenchmarkCallSetupLoopback(b *testing.B) {
	callee, _ := testPhone(b, Account{User: "bob", Domain: peers.Loopback, NoRegister: true}, Options{AutoAnswer: true})
	caller, _ := testPhone(b, Account{User: "alice", Domain: peers.Loopback, NoRegister: true}, Options{})
	target := "sip:bob@" + hostPortString(callee.tp.currentContact())
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		c, err := caller.Dial(ctx, target, DialOptions{})
		if err != nil {
			b.Fatal(err)
		}
		select {
		case <-c.Answered():
		case <-c.Done():
			b.Fatalf("call ended: %+v", c.end)
		}
		b.StopTimer()
		if err := c.Hangup(ctx); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
}

// BenchmarkRegistrationsPerSecond measures REGISTER round trips with
// digest authentication (401 then 200) against Kamailio on loopback.
func BenchmarkRegistrationsPerSecond(b *testing.B) {
	k := peers.StartKamailio(b, peers.KamailioOptions{Users: regUsers})
	acct := kamailioAccount(k, "alice", regUsers["alice"], TransportUDP)
	acct.NoRegister = true
	p, _ := testPhone(b, acct, Options{})
	r := newRegistrar(p)
	ctx := context.Background()
	start := time.Now()
	b.ResetTimer()
	for b.Loop() {
		if res := r.registerOnce(ctx, time.Minute); res.code != 200 {
			b.Fatalf("register: %+v", res)
		}
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "registrations/s")
}

// BenchmarkBLFRingingLatency measures, through Kamailio's presence server,
// the time from carol's INVITE to bob until alice (supervising bob) has
// the "ringing" state. Each iteration then cancels the call and waits for
// "idle" (not timed).
func BenchmarkBLFRingingLatency(b *testing.B) {
	k := peers.StartKamailio(b, peers.KamailioOptions{Users: regUsers, CallAuth: true, Presence: true})
	_, brec := testPhone(b, kamailioAccount(k, "bob", regUsers["bob"], TransportUDP), Options{})
	carol, crec := testPhone(b, kamailioAccount(k, "carol", regUsers["carol"], TransportUDP), Options{})
	alice, arec := testPhone(b, kamailioAccount(k, "alice", regUsers["alice"], TransportUDP), Options{})
	for _, r := range []*recorder{brec, crec, arec} {
		r.reg(RegRegistered)
	}
	if err := alice.Supervise("bob"); err != nil {
		b.Fatal(err)
	}
	state := func(s ColleagueState) {
		arec.next(func(ev Event) bool { e, ok := ev.(BLFEvent); return ok && e.State == s })
	}
	state(ColleagueIdle)
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		c, err := carol.Dial(ctx, "bob", DialOptions{})
		if err != nil {
			b.Fatal(err)
		}
		state(ColleagueRinging)
		b.StopTimer()
		brec.next(func(ev Event) bool { _, ok := ev.(CallIncomingEvent); return ok })
		if err := c.Hangup(ctx); err != nil {
			b.Fatal(err)
		}
		state(ColleagueIdle)
		b.StartTimer()
	}
}
