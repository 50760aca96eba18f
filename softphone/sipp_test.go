package softphone

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ligne-app/ligne/internal/peers"
	"go.uber.org/goleak"
)

// sippCase is one scripted answer to Ligne's INVITE and what the user
// must see.
type sippCase struct {
	scenario string
	reason   EndReason
	code     int
	message  string // part of the call's end message
	hangup   bool   // Ligne hangs up while it rings
	protoErr bool   // a ProtocolErrorEvent is expected
}

var sippCases = []sippCase{
	{scenario: "busy", reason: EndBusy, code: 486, message: "busy"},
	{scenario: "unavailable", reason: EndUnavailable, code: 503, message: "unavailable"},
	{scenario: "redirect", reason: EndBusy, code: 486, message: "busy"},
	{scenario: "redirect_loop", reason: EndUnavailable, code: 302, message: "redirected to <sip:svc@"},
	{scenario: "auth_loop", reason: EndRejected, code: 407, message: "refused"},
	{scenario: "bad_sdp", reason: EndNoMedia, protoErr: true},
	{scenario: "no_codec", reason: EndNoMedia, protoErr: true},
	{scenario: "no_contact", reason: EndError, code: 200, protoErr: true},
	{scenario: "early_garbage", reason: EndBusy, code: 486},
	{scenario: "cancel", reason: EndCancelled, code: 487, hangup: true},
}

// TestMalformedAndUnexpectedReplies places 120 calls to sipp answering
// with failures, redirects, endless challenges, broken or missing SDP and
// a 200 without Contact. Each call must end with a clean event (no panic),
// and once the phone is shut down no goroutine may be left behind.
func TestMalformedAndUnexpectedReplies(t *testing.T) {
	before := goleak.IgnoreCurrent()
	const perScenario = 12
	acct := Account{User: "ligne", Domain: peers.Loopback, NoRegister: true, Password: "x"}
	p, rec := testPhone(t, acct, Options{})
	total := 0
	for _, sc := range sippCases {
		t.Run(sc.scenario, func(t *testing.T) {
			rec.bind(t)
			s := peers.StartSipp(t, "testdata/sipp/"+sc.scenario+".xml", "-m", strconv.Itoa(perScenario))
			for range perScenario {
				placeSippCall(t, p, rec, s, sc)
				total++
			}
			if r := s.Wait(bctx(t)); r.ExitCode != 0 || r.Successful != perScenario {
				t.Fatalf("sipp %s: exit %d, %d/%d scenarios completed\n%s", sc.scenario, r.ExitCode, r.Successful, perScenario, r.Log)
			}
		})
	}
	if err := p.Shutdown(bctx(t)); err != nil {
		t.Fatal(err)
	}
	goleak.VerifyNone(t, before)
	t.Logf("%d calls, no goroutine left", total)
}

func placeSippCall(t *testing.T, p *Phone, rec *recorder, s *peers.SippProcess, sc sippCase) {
	t.Helper()
	c, err := p.Dial(bctx(t), "sip:svc@"+s.Addr(), DialOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if sc.hangup {
		rec.next(func(ev Event) bool { e, ok := ev.(CallProgressEvent); return ok && e.CallID == c.ID() })
		if err := c.Hangup(bctx(t)); err != nil {
			t.Fatal(err)
		}
	}
	e := waitEnded(t, c)
	if e.Reason != sc.reason || (sc.code != 0 && e.Code != sc.code) || !strings.Contains(e.Message, sc.message) {
		t.Fatalf("%s: call ended %+v, want %s %d %q", sc.scenario, e, sc.reason, sc.code, sc.message)
	}
	if sc.protoErr {
		rec.next(func(ev Event) bool { _, ok := ev.(ProtocolErrorEvent); return ok })
	}
}

// TestPeerRequestsMidCall: sipp calls Ligne, sends an INFO digit, holds
// with UPDATE, resumes with a re-INVITE without SDP, and hangs up; then
// an offer without a common codec is refused with 488.
func TestPeerRequestsMidCall(t *testing.T) {
	p, rec := testPhone(t, Account{User: "alice", Domain: peers.Loopback, NoRegister: true}, Options{AutoAnswer: true})
	ligne := hostPortString(p.tp.currentContact())
	r := peers.Sipp(t, "testdata/sipp/uac_midcall.xml", ligne, "-s", "alice", "-m", "1")
	if r.ExitCode != 0 {
		t.Fatalf("sipp: exit %d\n%s", r.ExitCode, r.Log)
	}
	end := rec.next(func(ev Event) bool { _, ok := ev.(CallEndedEvent); return ok }).(CallEndedEvent)
	if end.Reason != EndRemoteHangup {
		t.Fatalf("ended %+v", end)
	}
	// Requests of one dialog are served concurrently: check each kind of
	// event on its own, in order within its kind.
	var digits, holds []string
	for _, ev := range rec.snapshot() {
		switch e := ev.(type) {
		case DTMFEvent:
			digits = append(digits, e.Digit+"/"+e.Via)
		case CallHoldEvent:
			holds = append(holds, strconv.FormatBool(e.RemoteHold))
		}
	}
	if strings.Join(digits, ",") != "5/info" || strings.Join(holds, ",") != "true,false" {
		t.Fatalf("digits %v, remote hold states %v; want 5 by INFO, held then resumed", digits, holds)
	}
	r = peers.Sipp(t, "testdata/sipp/uac_no_codec.xml", ligne, "-s", "alice", "-m", "1")
	if r.ExitCode != 0 {
		t.Fatalf("sipp: exit %d (no 488?)\n%s", r.ExitCode, r.Log)
	}
	rec.next(func(ev Event) bool { _, ok := ev.(ProtocolErrorEvent); return ok })
}

// TestEarlyMediaAndRetransmitted200: a 183 with SDP plays sipp's A-law
// audio to Ligne before a 486 (the user hears it); a 200 retransmitted as
// if our ACK were lost is acknowledged again.
func TestEarlyMediaAndRetransmitted200(t *testing.T) {
	p, rec := testPhone(t, Account{User: "alice", Domain: peers.Loopback, NoRegister: true}, Options{})
	s := peers.StartSipp(t, "testdata/sipp/early_media.xml", "-m", "1")
	c, err := p.Dial(bctx(t), "sip:svc@"+s.Addr(), DialOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ev := rec.next(func(ev Event) bool { _, ok := ev.(CallProgressEvent); return ok }).(CallProgressEvent)
	if ev.Code != 183 || !ev.EarlyMedia {
		t.Fatalf("progress %+v, want 183 with early media", ev)
	}
	heard := &pcmRecorder{}
	c.Media().SetSink(heard, 8000)
	if e := waitEnded(t, c); e.Reason != EndBusy {
		t.Fatalf("ended %+v", e)
	}
	if tone := peers.DominantTone(heard.wav()); tone.Seconds < 0.5 {
		t.Fatalf("early media not heard: %+v", tone)
	}
	if r := s.Wait(bctx(t)); r.ExitCode != 0 {
		t.Fatalf("sipp early_media: exit %d\n%s", r.ExitCode, r.Log)
	}

	s = peers.StartSipp(t, "testdata/sipp/retransmit_200.xml", "-m", "1")
	c, err = p.Dial(bctx(t), "sip:svc@"+s.Addr(), DialOptions{})
	if err != nil {
		t.Fatal(err)
	}
	waitAnswered(t, c)
	listen(time.Second) // the second 200 comes 200 ms after the first ACK
	if err := c.Hangup(bctx(t)); err != nil {
		t.Fatal(err)
	}
	if r := s.Wait(bctx(t)); r.ExitCode != 0 {
		t.Fatalf("sipp retransmit_200 (second ACK missing?): exit %d\n%s", r.ExitCode, r.Log)
	}
}

// TestReliableRingingForACallerThatRequiresIt: sipp's INVITE requires
// 100rel; Ligne's 180 carries Require: 100rel and an RSeq (sipp checks
// both), is resent until sipp's PRACK (sipp waits 1.2 s: at least one
// retransmission), and the PRACK naming it gets 200; then the user answers.
// A caller requiring extensions Ligne lacks gets 420 naming them.
func TestReliableRingingForACallerThatRequiresIt(t *testing.T) {
	trace := &syncBuffer{}
	p, rec := testPhone(t, Account{User: "alice", Domain: peers.Loopback, NoRegister: true}, Options{Trace: trace})
	ligne := hostPortString(p.tp.currentContact())
	s := peers.StartSipp(t, "testdata/sipp/uac_100rel.xml", ligne, "-s", "alice", "-m", "1")
	in := rec.next(func(ev Event) bool { _, ok := ev.(CallIncomingEvent); return ok }).(CallIncomingEvent)
	prackAnswered := func() bool {
		_, after, ok := strings.Cut(trace.String(), "\nPRACK sip:")
		return ok && strings.Contains(after, "\nSIP/2.0 200 OK\r\n")
	}
	for deadline := time.Now().Add(30 * time.Second); !prackAnswered(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no PRACK answered with 200 in 30 s; trace:\n%s", trace.String())
		}
	}
	if n := strings.Count(trace.String(), "SIP/2.0 180 Ringing"); n < 2 {
		t.Errorf("the reliable 180 was sent %d times before its PRACK, want it resent (sipp waited 1.2 s)", n)
	}
	call := p.Call(in.CallID)
	if call == nil {
		t.Fatal("the incoming call is gone")
	}
	if err := call.Answer(t.Context()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	if r := s.Wait(ctx); r.ExitCode != 0 {
		t.Fatalf("sipp: exit %d\n%s", r.ExitCode, r.Log)
	}
	if r := peers.Sipp(t, "testdata/sipp/uac_bad_extension.xml", ligne, "-s", "alice", "-m", "1"); r.ExitCode != 0 {
		t.Fatalf("sipp: exit %d (no 420 naming the extensions?)\n%s", r.ExitCode, r.Log)
	}
}
