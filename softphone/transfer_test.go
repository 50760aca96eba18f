package softphone

import (
	"testing"
	"time"

	"github.com/ligne-app/ligne/internal/peers"
)

// TestTransfers: alice is Ligne, bob (440 Hz) and carol (880 Hz) are
// baresip, dave is a second Ligne. Every transfer ends with the right two
// parties hearing each other's tone.
func TestTransfers(t *testing.T) {
	k := peers.StartKamailio(t, peers.KamailioOptions{Users: regUsers, CallAuth: true})
	bob := startBaresip(t, k, "bob", 440, true)
	carol := startBaresip(t, k, "carol", 880, true)
	alice, _ := testPhone(t, kamailioAccount(k, "alice", regUsers["alice"], TransportUDP), Options{})
	waitRegistered(t, alice)

	t.Run("blind transfer connects bob and carol", func(t *testing.T) {
		forget(bob, carol)
		c := dialAndTalk(t, alice, "bob")
		if err := c.BlindTransfer(bctx(t), "carol"); err != nil {
			t.Fatal(err)
		}
		if e := waitEnded(t, c); e.Reason != EndTransferred {
			t.Fatalf("alice's call ended %+v", e)
		}
		bobAndCarolTalk(t, bob, carol)
	})

	t.Run("attended transfer connects dave and carol", func(t *testing.T) {
		forget(bob, carol)
		_, drec := testPhone(t, kamailioAccount(k, "dave", regUsers["dave"], TransportUDP), Options{AutoAnswer: true})
		drec.phone(t)
		c1 := dialAndTalk(t, alice, "dave")
		daveOld := drec.next(func(ev Event) bool { _, ok := ev.(CallAnsweredEvent); return ok }).(CallAnsweredEvent)
		if err := c1.Hold(bctx(t)); err != nil {
			t.Fatal(err)
		}
		c2 := dialAndTalk(t, alice, "carol")
		if err := c1.AttendedTransfer(bctx(t), c2); err != nil {
			t.Fatal(err)
		}
		if e := waitEnded(t, c1); e.Reason != EndTransferred {
			t.Fatalf("call to dave ended %+v", e)
		}
		if e := waitEnded(t, c2); e.Reason != EndTransferred && e.Reason != EndRemoteHangup {
			t.Fatalf("consultation call ended %+v", e)
		}
		daveNew := drec.next(func(ev Event) bool {
			e, ok := ev.(CallAnsweredEvent)
			return ok && e.CallID != daveOld.CallID
		}).(CallAnsweredEvent)
		heard := playTone(t, daveNew.Call, 660)
		listen(2 * time.Second)
		assertHears(t, "dave talking with carol", heard.wav(), 880)
		_ = daveNew.Call.Hangup(bctx(t))
		if _, err := carol.WaitEvent(bctx(t), "CALL_CLOSED"); err != nil {
			t.Fatal(err)
		}
		assertBaresipHeard(t, carol, 660)
	})

	t.Run("ligne follows a REFER from baresip", func(t *testing.T) {
		forget(bob, carol)
		_, rec := testPhone(t, kamailioAccount(k, "dave", regUsers["dave"], TransportUDP), Options{})
		dave := rec.phone(t)
		first := dialAndTalk(t, dave, "bob")
		if _, err := bob.Command(bctx(t), "transfer", "sip:carol@"+k.Domain); err != nil {
			t.Fatal(err)
		}
		ans := rec.next(func(ev Event) bool {
			e, ok := ev.(CallAnsweredEvent)
			return ok && e.CallID != first.ID()
		}).(CallAnsweredEvent)
		heard := playTone(t, ans.Call, 660)
		listen(2 * time.Second)
		assertHears(t, "dave after transfer", heard.wav(), 880)
		waitEnded(t, first)
		_ = ans.Call.Hangup(bctx(t))
		if _, err := carol.WaitEvent(bctx(t), "CALL_CLOSED"); err != nil {
			t.Fatal(err)
		}
		assertBaresipHeard(t, carol, 660)
	})

	t.Run("ligne replaces a call on INVITE with Replaces", func(t *testing.T) {
		_, drec := testPhone(t, kamailioAccount(k, "dave", regUsers["dave"], TransportUDP), Options{AutoAnswer: true})
		_, erec := testPhone(t, kamailioAccount(k, "erin", regUsers["erin"], TransportUDP), Options{AutoAnswer: true})
		drec.phone(t)
		erin := erec.phone(t)
		c1 := dialAndTalk(t, alice, "dave")
		c2 := dialAndTalk(t, alice, "erin")
		erinOld := erec.next(func(ev Event) bool { _, ok := ev.(CallAnsweredEvent); return ok }).(CallAnsweredEvent)
		daveOld := drec.next(func(ev Event) bool { _, ok := ev.(CallAnsweredEvent); return ok }).(CallAnsweredEvent)
		if err := c1.AttendedTransfer(bctx(t), c2); err != nil {
			t.Fatal(err)
		}
		if e := waitEnded(t, erinOld.Call); e.Reason != EndReplaced {
			t.Fatalf("erin's call from alice ended %+v, want replaced", e)
		}
		waitEnded(t, c2)
		daveNew := drec.next(func(ev Event) bool {
			e, ok := ev.(CallAnsweredEvent)
			return ok && e.CallID != daveOld.CallID
		}).(CallAnsweredEvent)
		calls := erin.Calls()
		if len(calls) != 1 {
			t.Fatalf("erin has %d calls", len(calls))
		}
		daveHears := playTone(t, daveNew.Call, 660)
		erinHears := playTone(t, calls[0], 550)
		listen(2 * time.Second)
		assertHears(t, "dave", daveHears.wav(), 550)
		assertHears(t, "erin", erinHears.wav(), 660)
		_ = calls[0].Hangup(bctx(t))
		waitEnded(t, daveNew.Call)
	})
}

func forget(bs ...*peers.Baresip) {
	for _, b := range bs {
		b.ForgetEvents()
	}
}

// dialAndTalk calls target, waits for the answer and lets a second of
// audio flow (so each baresip recording gets its own file name).
func dialAndTalk(t *testing.T, p *Phone, target string) *Call {
	t.Helper()
	c, err := p.Dial(bctx(t), target, DialOptions{})
	if err != nil {
		t.Fatal(err)
	}
	waitAnswered(t, c)
	playTone(t, c, 660)
	listen(1100 * time.Millisecond)
	return c
}

// bobAndCarolTalk checks that bob and carol are connected to each other.
func bobAndCarolTalk(t *testing.T, bob, carol *peers.Baresip) {
	t.Helper()
	if _, err := carol.WaitEvent(bctx(t), "CALL_ESTABLISHED"); err != nil {
		t.Fatal(err)
	}
	listen(2 * time.Second)
	if err := bob.Hangup(bctx(t)); err != nil {
		t.Fatal(err)
	}
	if _, err := carol.WaitEvent(bctx(t), "CALL_CLOSED"); err != nil {
		t.Fatal(err)
	}
	assertBaresipHeard(t, carol, 440)
	assertBaresipHeard(t, bob, 880)
}

func waitRegistered(t *testing.T, p *Phone) {
	t.Helper()
	deadline := time.Now().Add(guard)
	for p.Registration().State != RegRegistered {
		if time.Now().After(deadline) {
			t.Fatalf("not registered: %+v", p.Registration())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// phone waits until the recorder's phone is registered and returns it.
func (r *recorder) phone(t *testing.T) *Phone {
	t.Helper()
	r.reg(RegRegistered)
	return r.p
}
