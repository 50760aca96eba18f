package softphone

import (
	"strings"
	"testing"
	"time"

	"github.com/ligne-app/ligne/internal/peers"
)

// TestCallsWithBaresip runs Ligne (alice) against baresip (bob, 880 Hz, auto
// answer) through one Kamailio that challenges calls with 407.
func TestCallsWithBaresip(t *testing.T) {
	k := peers.StartKamailio(t, peers.KamailioOptions{Users: regUsers, CallAuth: true})
	bob := startBaresip(t, k, "bob", 880, true)
	p, rec := testPhone(t, kamailioAccount(k, "alice", regUsers["alice"], TransportUDP), Options{})
	rec.reg(RegRegistered)

	t.Run("ligne calls baresip and both hear the other's tone", func(t *testing.T) {
		rec.bind(t)
		bob.ForgetEvents()
		c, err := p.Dial(bctx(t), "bob", DialOptions{})
		if err != nil {
			t.Fatal(err)
		}
		waitAnswered(t, c)
		heard := playTone(t, c, 440)
		listen(2 * time.Second)
		assertHears(t, "ligne", heard.wav(), 880)
		if err := c.Hangup(bctx(t)); err != nil {
			t.Fatal(err)
		}
		if e := waitEnded(t, c); e.Reason != EndLocalHangup {
			t.Fatalf("ended %+v", e)
		}
		if _, err := bob.WaitEvent(bctx(t), "CALL_CLOSED"); err != nil {
			t.Fatal(err)
		}
		assertBaresipHeard(t, bob, 440)
	})

	t.Run("dtmf both ways and hold/resume keep audio", func(t *testing.T) {
		rec.bind(t)
		bob.ForgetEvents()
		c, err := p.Dial(bctx(t), "bob", DialOptions{})
		if err != nil {
			t.Fatal(err)
		}
		waitAnswered(t, c)
		heard := playTone(t, c, 440)
		if err := c.SendDTMF("19#", 120*time.Millisecond); err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"1", "9", "#"} {
			ev, err := bob.WaitEvent(bctx(t), "CALL_DTMF_START")
			if err != nil {
				t.Fatal(err)
			}
			if ev.Param != want {
				t.Fatalf("baresip got DTMF %q, want %q", ev.Param, want)
			}
		}
		if err := bob.SendDTMF(bctx(t), "7*"); err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"7", "*"} {
			ev := rec.next(func(ev Event) bool { _, ok := ev.(DTMFEvent); return ok }).(DTMFEvent)
			if ev.Digit != want || ev.Via != "rfc4733" {
				t.Fatalf("ligne got DTMF %+v, want %q", ev, want)
			}
		}
		if err := c.Hold(bctx(t)); err != nil {
			t.Fatal(err)
		}
		if local, _ := c.OnHold(); !local {
			t.Fatal("call not on hold after Hold")
		}
		listen(time.Second)
		heard.reset()
		listen(time.Second)
		if tone := peers.DominantTone(heard.wav()); tone.Seconds > 0.1 {
			t.Fatalf("still hearing the peer while on hold: %+v", tone)
		}
		if err := c.Resume(bctx(t)); err != nil {
			t.Fatal(err)
		}
		listen(1500 * time.Millisecond) // baresip restarts its source after the re-INVITE
		heard.reset()
		listen(1500 * time.Millisecond)
		assertHears(t, "ligne after resume", heard.wav(), 880)
		if err := c.Hangup(bctx(t)); err != nil {
			t.Fatal(err)
		}
		if _, err := bob.WaitEvent(bctx(t), "CALL_CLOSED"); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("anonymous presentation hides the caller", func(t *testing.T) {
		rec.bind(t)
		bob.ForgetEvents()
		c, err := p.Dial(bctx(t), "bob", DialOptions{Identity: &Identity{Anonymous: true}})
		if err != nil {
			t.Fatal(err)
		}
		waitAnswered(t, c)
		ev, err := bob.WaitEvent(bctx(t), "CALL_ESTABLISHED")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(ev.PeerURI, "anonymous@anonymous.invalid") {
			t.Fatalf("baresip sees caller %q", ev.PeerURI)
		}
		_ = c.Hangup(bctx(t))
		if _, err := bob.WaitEvent(bctx(t), "CALL_CLOSED"); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("presented number is the chosen one", func(t *testing.T) {
		rec.bind(t)
		bob.ForgetEvents()
		c, err := p.Dial(bctx(t), "bob", DialOptions{Identity: &Identity{Number: "0123456789"}})
		if err != nil {
			t.Fatal(err)
		}
		waitAnswered(t, c)
		ev, err := bob.WaitEvent(bctx(t), "CALL_ESTABLISHED")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(ev.PeerURI, "sip:0123456789@") {
			t.Fatalf("baresip sees caller %q", ev.PeerURI)
		}
		_ = c.Hangup(bctx(t))
		if _, err := bob.WaitEvent(bctx(t), "CALL_CLOSED"); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("unknown number ends with not found", func(t *testing.T) {
		rec.bind(t)
		bob.ForgetEvents()
		c, err := p.Dial(bctx(t), "0999999999", DialOptions{})
		if err != nil {
			t.Fatal(err)
		}
		e := waitEnded(t, c)
		if e.Reason != EndNotFound || e.Code != 404 || !strings.Contains(e.Message, "not found") {
			t.Fatalf("ended %+v", e)
		}
	})
}

// TestBaresipCallsLigne: baresip (bob, 440 Hz) calls Ligne (alice), which
// rings, is answered, and sends 660 Hz back.
func TestBaresipCallsLigne(t *testing.T) {
	k := peers.StartKamailio(t, peers.KamailioOptions{Users: regUsers, CallAuth: true})
	bob := startBaresip(t, k, "bob", 440, false)
	_, rec := testPhone(t, kamailioAccount(k, "alice", regUsers["alice"], TransportUDP), Options{})
	rec.reg(RegRegistered)

	t.Run("answered call carries tones both ways", func(t *testing.T) {
		rec.bind(t)
		bob.ForgetEvents()
		if err := bob.Dial(bctx(t), "sip:alice@"+k.Domain); err != nil {
			t.Fatal(err)
		}
		in := rec.next(func(ev Event) bool { _, ok := ev.(CallIncomingEvent); return ok }).(CallIncomingEvent)
		if in.From.User != "bob" {
			t.Fatalf("incoming from %+v", in.From)
		}
		if err := in.Call.Answer(bctx(t)); err != nil {
			t.Fatal(err)
		}
		heard := playTone(t, in.Call, 660)
		listen(2 * time.Second)
		assertHears(t, "ligne", heard.wav(), 440)
		if err := bob.Hangup(bctx(t)); err != nil {
			t.Fatal(err)
		}
		if e := waitEnded(t, in.Call); e.Reason != EndRemoteHangup {
			t.Fatalf("ended %+v", e)
		}
		assertBaresipHeard(t, bob, 660)
	})

	t.Run("rejected call is busy for the caller", func(t *testing.T) {
		rec.bind(t)
		bob.ForgetEvents()
		if err := bob.Dial(bctx(t), "sip:alice@"+k.Domain); err != nil {
			t.Fatal(err)
		}
		in := rec.next(func(ev Event) bool { _, ok := ev.(CallIncomingEvent); return ok }).(CallIncomingEvent)
		if err := in.Call.Reject(bctx(t), 486); err != nil {
			t.Fatal(err)
		}
		ev, err := bob.WaitEvent(bctx(t), "CALL_CLOSED")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(ev.Param, "486") {
			t.Fatalf("baresip closed with %q, want 486", ev.Param)
		}
	})

	t.Run("caller hangs up while ringing", func(t *testing.T) {
		rec.bind(t)
		bob.ForgetEvents()
		if err := bob.Dial(bctx(t), "sip:alice@"+k.Domain); err != nil {
			t.Fatal(err)
		}
		in := rec.next(func(ev Event) bool { _, ok := ev.(CallIncomingEvent); return ok }).(CallIncomingEvent)
		if err := bob.Hangup(bctx(t)); err != nil {
			t.Fatal(err)
		}
		if e := waitEnded(t, in.Call); e.Reason != EndCancelled {
			t.Fatalf("ended %+v", e)
		}
	})

	t.Run("peer hold and resume are reported", func(t *testing.T) {
		rec.bind(t)
		bob.ForgetEvents()
		if err := bob.Dial(bctx(t), "sip:alice@"+k.Domain); err != nil {
			t.Fatal(err)
		}
		in := rec.next(func(ev Event) bool { _, ok := ev.(CallIncomingEvent); return ok }).(CallIncomingEvent)
		if err := in.Call.Answer(bctx(t)); err != nil {
			t.Fatal(err)
		}
		if _, err := bob.WaitEvent(bctx(t), "CALL_ESTABLISHED"); err != nil {
			t.Fatal(err)
		}
		if _, err := bob.Command(bctx(t), "hold", ""); err != nil {
			t.Fatal(err)
		}
		held := rec.next(func(ev Event) bool { e, ok := ev.(CallHoldEvent); return ok && e.RemoteHold }).(CallHoldEvent)
		if held.CallID != in.CallID {
			t.Fatalf("hold event for %s", held.CallID)
		}
		if _, err := bob.Command(bctx(t), "resume", ""); err != nil {
			t.Fatal(err)
		}
		rec.next(func(ev Event) bool { e, ok := ev.(CallHoldEvent); return ok && !e.RemoteHold })
		_ = in.Call.Hangup(bctx(t))
		if _, err := bob.WaitEvent(bctx(t), "CALL_CLOSED"); err != nil {
			t.Fatal(err)
		}
	})
}

// TestCallWaitingAndSwap: alice talks with bob (440 Hz); carol (880 Hz)
// calls; alice holds bob, answers carol, then swaps back to bob.
func TestCallWaitingAndSwap(t *testing.T) {
	k := peers.StartKamailio(t, peers.KamailioOptions{Users: regUsers, CallAuth: true})
	_ = startBaresip(t, k, "bob", 440, true)
	carol := startBaresip(t, k, "carol", 880, false)
	alice, rec := testPhone(t, kamailioAccount(k, "alice", regUsers["alice"], TransportUDP), Options{})
	rec.reg(RegRegistered)
	toBob, err := alice.Dial(bctx(t), "bob", DialOptions{})
	if err != nil {
		t.Fatal(err)
	}
	waitAnswered(t, toBob)
	hearBob := playTone(t, toBob, 660)
	if err := carol.Dial(bctx(t), "sip:alice@"+k.Domain); err != nil {
		t.Fatal(err)
	}
	waiting := rec.next(func(ev Event) bool { _, ok := ev.(CallIncomingEvent); return ok }).(CallIncomingEvent)
	if len(alice.Calls()) != 2 || toBob.State() != StateActive {
		t.Fatalf("calls during call waiting: %d, first %s", len(alice.Calls()), toBob.State())
	}
	if err := toBob.Hold(bctx(t)); err != nil {
		t.Fatal(err)
	}
	if err := waiting.Call.Answer(bctx(t)); err != nil {
		t.Fatal(err)
	}
	hearCarol := playTone(t, waiting.Call, 550)
	listen(1500 * time.Millisecond)
	assertHears(t, "alice with carol", hearCarol.wav(), 880)
	if err := waiting.Call.Hold(bctx(t)); err != nil {
		t.Fatal(err)
	}
	if err := toBob.Resume(bctx(t)); err != nil {
		t.Fatal(err)
	}
	listen(500 * time.Millisecond)
	hearBob.reset()
	listen(1500 * time.Millisecond)
	assertHears(t, "alice back with bob", hearBob.wav(), 440)
	_ = toBob.Hangup(bctx(t))
	_ = waiting.Call.Hangup(bctx(t))
	waitEnded(t, toBob)
	waitEnded(t, waiting.Call)
}

// TestCallsOverTCPAndTLS: Ligne registered over TCP receives a call from
// baresip (UDP) on its registration connection; Ligne over TLS calls
// baresip. Kamailio bridges the transports; audio is checked both times.
func TestCallsOverTCPAndTLS(t *testing.T) {
	k := peers.StartKamailio(t, peers.KamailioOptions{Users: regUsers, CallAuth: true, TLS: true})
	bob := startBaresip(t, k, "bob", 440, true)
	_, rec := testPhone(t, kamailioAccount(k, "alice", regUsers["alice"], TransportTCP), Options{})
	rec.reg(RegRegistered)
	tlsAcct := kamailioAccount(k, "dave", regUsers["dave"], TransportTLS)
	tlsAcct.TLSPinSHA256 = certPin(t, k.TLSCertFile)
	dave, drec := testPhone(t, tlsAcct, Options{})
	drec.reg(RegRegistered)

	t.Run("incoming over tcp", func(t *testing.T) {
		rec.bind(t)
		bob.ForgetEvents()
		if err := bob.Dial(bctx(t), "sip:alice@"+k.Domain); err != nil {
			t.Fatal(err)
		}
		in := rec.next(func(ev Event) bool { _, ok := ev.(CallIncomingEvent); return ok }).(CallIncomingEvent)
		if err := in.Call.Answer(bctx(t)); err != nil {
			t.Fatal(err)
		}
		heard := playTone(t, in.Call, 660)
		listen(2 * time.Second)
		assertHears(t, "alice over tcp", heard.wav(), 440)
		_ = in.Call.Hangup(bctx(t))
		assertBaresipHeard(t, bob, 660)
	})

	t.Run("outgoing over tls", func(t *testing.T) {
		drec.bind(t)
		bob.ForgetEvents()
		c, err := dave.Dial(bctx(t), "bob", DialOptions{})
		if err != nil {
			t.Fatal(err)
		}
		waitAnswered(t, c)
		heard := playTone(t, c, 550)
		listen(2 * time.Second)
		assertHears(t, "dave over tls", heard.wav(), 440)
		_ = c.Hangup(bctx(t))
		assertBaresipHeard(t, bob, 550)
	})
}
