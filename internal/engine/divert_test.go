package engine

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/ligne-app/ligne/internal/peers"
	"github.com/ligne-app/ligne/internal/syncbuf"
	"github.com/ligne-app/ligne/selfcare"
	"github.com/ligne-app/ligne/softphone"
)

// TestTheUserSendsARingingCallToLignesVoicemail: while a call rings, the
// user picks "Voicemail": Ligne's voicemail answers it (the caller hears
// the greeting) and the call log says voicemail.
func TestTheUserSendsARingingCallToLignesVoicemail(t *testing.T) {
	k := peers.StartKamailio(t, peers.KamailioOptions{Users: fwdUsers})
	caller := fwdBaresip(t, k, "4023", 660, false)
	vm := toneVoicemail{deposits: make(chan string, 1)}
	ligne, db := ruleEngine(t, k, vm)
	ctx := context.Background()
	must(t, caller.Dial(ctx, "sip:4021@"+k.Domain))
	c := waitIncoming(t, ligne.Phone)
	must(t, ligne.SendToVoicemail(ctx, c))
	select {
	case id := <-vm.deposits:
		if id != c.ID() {
			t.Fatalf("the voicemail got call %s, want %s", id, c.ID())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the voicemail never got the call")
	}
	if hz := heardNow(t, caller); math.Abs(hz-1000) > 15 {
		t.Fatalf("the caller hears %.0f Hz, want the greeting's 1000 Hz", hz)
	}
	waitFor(t, "call log", func() bool {
		recs, _, _ := db.Calls(ctx, selfcare.CallFilter{Limit: 1})
		return len(recs) == 1 && recs[0].Outcome == selfcare.OutcomeVoicemail
	})
	if err := ligne.SendToVoicemail(ctx, c); !errors.Is(err, softphone.ErrCallState) {
		t.Fatalf("sending an ended call to voicemail: %v, want ErrCallState", err)
	}
}

// TestTheUserSendsARingingCallToThePlatformsVoicemail: without Ligne's
// voicemail the call is redirected (302) to the company's voicemail number
// with the Diversion reason "deflection"; with no number either, the user
// is told why and the call keeps ringing.
func TestTheUserSendsARingingCallToThePlatformsVoicemail(t *testing.T) {
	k := peers.StartKamailio(t, peers.KamailioOptions{Users: fwdUsers})
	caller := fwdBaresip(t, k, "4023", 660, false)
	trace := &syncbuf.Buffer{}
	ligne, db := ruleEngineTraced(t, k, trace)
	ctx := context.Background()

	must(t, caller.Dial(ctx, "sip:4021@"+k.Domain))
	c := waitIncoming(t, ligne.Phone)
	if err := ligne.SendToVoicemail(ctx, c); selfcare.ErrorCode(err) != selfcare.CodeNoVoicemail {
		t.Fatalf("without any voicemail: %v, want %s", err, selfcare.CodeNoVoicemail)
	}
	if c.State() != softphone.StateRinging {
		t.Fatalf("the call is %s, want still ringing", c.State())
	}
	must(t, caller.Hangup(ctx))
	waitFor(t, "the caller's cancel", func() bool { return c.State() == softphone.StateEnded })

	prof, err := selfcare.ParseProfile(strings.NewReader(`{"schema":"ligne.profile/1","company":{"name":"Test SA","sip_domain":"` + k.Domain +
		`","voicemail_number":"8500"},"user":{"id":"u","name":"Camille","lines":[{"kind":"fixed","extension":"4021"}]}}`))
	must(t, err)
	must(t, db.ApplyProfile(ctx, prof))
	must(t, caller.Dial(ctx, "sip:4021@"+k.Domain))
	c = waitIncoming(t, ligne.Phone)
	must(t, ligne.SendToVoicemail(ctx, c))
	res := trace.String()
	i := strings.Index(res, "SIP/2.0 302")
	if i < 0 {
		t.Fatalf("no 302 sent:\n%s", res)
	}
	res = res[i:]
	if !strings.Contains(res, "Contact: <sip:8500@") || !strings.Contains(res, "reason=deflection") {
		t.Fatalf("the 302 does not send the call to 8500 as a deflection:\n%s", res)
	}
}

// TestALigneCallerFollowsTheDeflection: one Ligne calls another, whose
// user sends the ringing call to the company's voicemail number (302);
// the calling Ligne follows the redirect through Kamailio and the
// voicemail (a baresip on 4022) answers it.
func TestALigneCallerFollowsTheDeflection(t *testing.T) {
	k := peers.StartKamailio(t, peers.KamailioOptions{Users: fwdUsers})
	voicemail := fwdBaresip(t, k, "4022", 660, true)
	callee, db := ruleEngineOpts(t, k, Config{})
	ctx := context.Background()
	prof, err := selfcare.ParseProfile(strings.NewReader(`{"schema":"ligne.profile/1","company":{"name":"Test SA","sip_domain":"` + k.Domain +
		`","voicemail_number":"4022"},"user":{"id":"u","name":"Camille","lines":[{"kind":"fixed","extension":"4021"}]}}`))
	must(t, err)
	must(t, db.ApplyProfile(ctx, prof))
	caller := startLine(t, k, "4023", softphone.Options{})

	out, err := caller.phone.Dial(ctx, "sip:4021@"+k.Domain, softphone.DialOptions{})
	must(t, err)
	must(t, callee.SendToVoicemail(ctx, waitIncoming(t, callee.Phone)))
	select {
	case <-out.Answered():
	case <-out.Done():
		end, _ := out.EndInfo()
		t.Fatalf("the call ended instead of following the redirect: %s %d %s", end.Reason, end.Code, end.Message)
	case <-time.After(20 * time.Second):
		t.Fatal("the redirected call was not answered within 20 s")
	}
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if _, err := voicemail.WaitEvent(wctx, "CALL_ESTABLISHED"); err != nil {
		t.Fatalf("the company's voicemail (4022) did not get the call: %v", err)
	}
	must(t, out.Hangup(ctx))
}
