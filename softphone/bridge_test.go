package softphone

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ligne-app/ligne/internal/peers"
)

// TestSimultaneousRing: bob (baresip, 440 Hz) calls alice (Ligne) whose
// rule rings carol (baresip, 880 Hz, auto-answer) at the same time; carol
// answers first, so Ligne answers bob and bridges the two: each baresip
// hears the other's tone through Ligne. Then a rule ringing dave (Ligne)
// in parallel is cancelled when alice answers herself.
func TestSimultaneousRing(t *testing.T) {
	k := peers.StartKamailio(t, peers.KamailioOptions{Users: regUsers, CallAuth: true})
	bob := startBaresip(t, k, "bob", 440, false)
	carol := startBaresip(t, k, "carol", 880, true)
	var target atomic.Value
	target.Store("carol")
	policy := func(ctx context.Context, in IncomingCall) Disposition {
		return Disposition{Action: ActionRing, Simultaneous: target.Load().(string)}
	}
	_, rec := testPhone(t, kamailioAccount(k, "alice", regUsers["alice"], TransportUDP), Options{Incoming: policy})
	rec.reg(RegRegistered)

	t.Run("the parallel leg answers first and is bridged", func(t *testing.T) {
		rec.bind(t)
		if err := bob.Dial(bctx(t), "sip:alice@"+k.Domain); err != nil {
			t.Fatal(err)
		}
		fwd := rec.next(func(ev Event) bool { _, ok := ev.(CallForwardedEvent); return ok }).(CallForwardedEvent)
		if fwd.Code != 200 || fwd.From.User != "bob" {
			t.Fatalf("forwarded %+v", fwd)
		}
		if _, err := bob.WaitEvent(bctx(t), "CALL_ESTABLISHED"); err != nil {
			t.Fatal(err)
		}
		listen(2 * time.Second)
		if err := bob.Hangup(bctx(t)); err != nil {
			t.Fatal(err)
		}
		waitEnded(t, fwd.Call)
		assertBaresipHeard(t, carol, 440)
		assertBaresipHeard(t, bob, 880)
	})

	t.Run("ligne answers first and the parallel leg is cancelled", func(t *testing.T) {
		rec.bind(t)
		forget(bob, carol)
		_, drec := testPhone(t, kamailioAccount(k, "dave", regUsers["dave"], TransportUDP), Options{})
		drec.reg(RegRegistered)
		target.Store("dave")
		if err := bob.Dial(bctx(t), "sip:alice@"+k.Domain); err != nil {
			t.Fatal(err)
		}
		in := rec.next(func(ev Event) bool { _, ok := ev.(CallIncomingEvent); return ok }).(CallIncomingEvent)
		daveRings := drec.next(func(ev Event) bool { _, ok := ev.(CallIncomingEvent); return ok }).(CallIncomingEvent)
		if err := in.Call.Answer(bctx(t)); err != nil {
			t.Fatal(err)
		}
		if e := waitEnded(t, daveRings.Call); e.Reason != EndCancelled {
			t.Fatalf("dave's parallel call ended %+v, want cancelled", e)
		}
		heard := playTone(t, in.Call, 660)
		listen(1500 * time.Millisecond)
		assertHears(t, "alice", heard.wav(), 440)
		_ = in.Call.Hangup(bctx(t))
		if _, err := bob.WaitEvent(bctx(t), "CALL_CLOSED"); err != nil {
			t.Fatal(err)
		}
	})
}
