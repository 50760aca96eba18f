package softphone

import (
	"strings"
	"testing"
	"time"

	"github.com/ligne-app/ligne/internal/peers"
)

// TestBLFAndMWIThroughKamailioPresence: alice (Ligne) supervises bob
// (baresip) while carol (baresip) calls him; Kamailio's presence server
// turns the call's dialog states into NOTIFYs. Then an MWI publish reaches
// alice. Delays from the peer's event to Ligne's are logged (the 1 s
// figure is a benchmark in docs/PERFORMANCE.md, not a timed assertion).
func TestBLFAndMWIThroughKamailioPresence(t *testing.T) {
	k := peers.StartKamailio(t, peers.KamailioOptions{Users: regUsers, CallAuth: true, Presence: true})
	bob := startBaresip(t, k, "bob", 440, false)
	carol := startBaresip(t, k, "carol", 880, true)
	alice, rec := testPhone(t, kamailioAccount(k, "alice", regUsers["alice"], TransportUDP), Options{})
	rec.reg(RegRegistered)
	blf := func(s ColleagueState) BLFEvent {
		return rec.next(func(ev Event) bool { e, ok := ev.(BLFEvent); return ok && e.State == s }).(BLFEvent)
	}

	t.Run("colleague states follow the call", func(t *testing.T) {
		rec.bind(t)
		if err := alice.Supervise("bob"); err != nil {
			t.Fatal(err)
		}
		blf(ColleagueIdle)
		since := time.Now()
		if err := carol.Dial(bctx(t), "sip:bob@"+k.Domain); err != nil {
			t.Fatal(err)
		}
		ringing := blf(ColleagueRinging)
		t.Logf("ringing reached Ligne %v after carol dialled", ringing.Time.Sub(since))
		if ringing.Caller.User != "carol" || ringing.Dialog.CallID == "" {
			t.Fatalf("ringing %+v, want caller carol and the dialog for pickup", ringing)
		}
		if err := bob.Accept(bctx(t)); err != nil {
			t.Fatal(err)
		}
		blf(ColleagueInCall)
		if err := bob.Hangup(bctx(t)); err != nil {
			t.Fatal(err)
		}
		blf(ColleagueIdle)
		if got := alice.Colleague("bob"); got.State != ColleagueIdle {
			t.Fatalf("Colleague(bob) = %+v", got)
		}
	})

	t.Run("message waiting counts", func(t *testing.T) {
		rec.bind(t)
		if err := alice.WatchMWI(); err != nil {
			t.Fatal(err)
		}
		mwi := func(match func(MWIEvent) bool) MWIEvent {
			return rec.next(func(ev Event) bool { e, ok := ev.(MWIEvent); return ok && match(e) }).(MWIEvent)
		}
		// A publication before the subscription is set up still arrives:
		// the first NOTIFY carries the stored state.
		publish := func(n, o int) {
			if err := k.PublishMWI("alice", n, o); err != nil {
				t.Fatal(err)
			}
		}
		publish(2, 5)
		ev := mwi(func(e MWIEvent) bool { return e.New == 2 })
		if !ev.Waiting || ev.Old != 5 {
			t.Fatalf("mwi %+v, want 2 new 5 old waiting", ev)
		}
		publish(0, 7)
		ev = mwi(func(e MWIEvent) bool { return e.Old == 7 })
		if ev.Waiting || ev.New != 0 {
			t.Fatalf("mwi %+v, want 0 new 7 old not waiting", ev)
		}
	})
}

// TestPickupOfARingingColleague: alice (Ligne) calls bob (baresip, who
// lets it ring); dave (Ligne) supervises bob and picks the call up with
// an INVITE with Replaces sent to alice, who hands the call over to dave.
func TestPickupOfARingingColleague(t *testing.T) {
	k := peers.StartKamailio(t, peers.KamailioOptions{Users: regUsers, CallAuth: true, Presence: true})
	bob := startBaresip(t, k, "bob", 440, false)
	alice, arec := testPhone(t, kamailioAccount(k, "alice", regUsers["alice"], TransportUDP), Options{})
	dave, drec := testPhone(t, kamailioAccount(k, "dave", regUsers["dave"], TransportUDP), Options{})
	arec.reg(RegRegistered)
	drec.reg(RegRegistered)
	if err := dave.Supervise("bob"); err != nil {
		t.Fatal(err)
	}
	toBob, err := alice.Dial(bctx(t), "bob", DialOptions{})
	if err != nil {
		t.Fatal(err)
	}
	drec.next(func(ev Event) bool { e, ok := ev.(BLFEvent); return ok && e.State == ColleagueRinging })
	picked, err := dave.Pickup(bctx(t), "bob")
	if err != nil {
		t.Fatal(err)
	}
	waitAnswered(t, picked)
	if e := waitEnded(t, toBob); e.Reason != EndReplaced {
		t.Fatalf("alice's call to bob ended %+v, want replaced", e)
	}
	if _, err := bob.WaitEvent(bctx(t), "CALL_CLOSED"); err != nil {
		t.Fatal(err)
	}
	calls := alice.Calls()
	if len(calls) != 1 {
		t.Fatalf("alice has %d calls", len(calls))
	}
	daveHears := playTone(t, picked, 660)
	aliceHears := playTone(t, calls[0], 550)
	listen(2 * time.Second)
	assertHears(t, "dave", daveHears.wav(), 550)
	assertHears(t, "alice", aliceHears.wav(), 660)
	_ = picked.Hangup(bctx(t))
	waitEnded(t, calls[0])
}

// TestSubscriptionRefreshAndRecovery: a short subscription is refreshed
// in its dialog; while Kamailio is down the colleague becomes "unknown";
// when it is back Ligne subscribes again and still sees bob ring.
func TestSubscriptionRefreshAndRecovery(t *testing.T) {
	k := peers.StartKamailio(t, peers.KamailioOptions{Users: regUsers, CallAuth: true, Presence: true})
	trace := &syncBuffer{}
	alice, arec := testPhone(t, kamailioAccount(k, "alice", regUsers["alice"], TransportUDP),
		Options{Trace: trace, SubscribeExpiry: 4 * time.Second})
	_, brec := testPhone(t, kamailioAccount(k, "bob", regUsers["bob"], TransportUDP), Options{})
	carol, crec := testPhone(t, kamailioAccount(k, "carol", regUsers["carol"], TransportUDP), Options{})
	for _, r := range []*recorder{arec, brec, crec} {
		r.reg(RegRegistered)
	}
	if err := alice.Supervise("bob"); err != nil {
		t.Fatal(err)
	}
	blf := func(s ColleagueState) {
		arec.next(func(ev Event) bool { e, ok := ev.(BLFEvent); return ok && e.State == s })
	}
	blf(ColleagueIdle)
	blf(ColleagueIdle) // the refresh's NOTIFY, 2 s later
	if n := strings.Count(trace.String(), "SUBSCRIBE sip:"); n < 2 {
		t.Fatalf("%d SUBSCRIBE sent, want a refresh", n)
	}
	k.Stop()
	blf(ColleagueUnknown)
	brec.reg(RegRetrying)
	k.Start()
	blf(ColleagueIdle)
	brec.reg(RegRegistered)
	c, err := carol.Dial(bctx(t), "bob", DialOptions{})
	if err != nil {
		t.Fatal(err)
	}
	blf(ColleagueRinging)
	_ = c.Hangup(bctx(t))
	blf(ColleagueIdle)
}

func TestParseDialogInfoAndMessageSummary(t *testing.T) {
	body := `<?xml version="1.0"?><dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" version="3" state="full" entity="sip:bob@x">
<dialog id="a" call-id="c1" local-tag="l1" remote-tag="r1" direction="recipient"><state>early</state>
<remote><identity display="Carol">sip:carol@x</identity><target uri="sip:carol@127.0.0.1:5070"/></remote></dialog></dialog-info>`
	ev, err := parseDialogInfo([]byte(body))
	if err != nil || ev.State != ColleagueRinging || ev.Caller.User != "carol" || ev.Dialog.RemoteTag != "r1" {
		t.Fatalf("dialog-info parsed as %+v, %v", ev, err)
	}
	if _, err := parseDialogInfo([]byte("<dialog-info")); err == nil {
		t.Fatal("truncated XML accepted")
	}
	m, err := parseMessageSummary("Messages-Waiting: yes\r\nMessage-Account: sip:alice@x\r\nVoice-Message: 3/9 (1/2)\r\n")
	if err != nil || !m.Waiting || m.New != 3 || m.Old != 9 || m.UrgentNew != 1 || m.UrgentOld != 2 {
		t.Fatalf("message-summary parsed as %+v, %v", m, err)
	}
	if _, err := parseMessageSummary("Voice-Message: 1/1"); err == nil {
		t.Fatal("summary without Messages-Waiting accepted")
	}
}
