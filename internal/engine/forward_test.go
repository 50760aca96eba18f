package engine

import (
	"context"
	"io"
	"log/slog"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/ligne-app/ligne/internal/peers"
	"github.com/ligne-app/ligne/media"
	"github.com/ligne-app/ligne/secrets"
	"github.com/ligne-app/ligne/selfcare"
	"github.com/ligne-app/ligne/softphone"
	"github.com/ligne-app/ligne/store"
)

var fwdUsers = map[string]string{"4021": "pw-4021", "4022": "pw-4022", "4023": "pw-4023"}

// ruleEngine starts the engine as 4021 with rule saved in its store.
func ruleEngine(t *testing.T, k *peers.Kamailio, vm Voicemail, rules ...selfcare.ForwardRule) (*Engine, *store.DB) {
	return ruleEngineWith(t, k, vm, nil, rules...)
}

// ruleEngineWith is ruleEngine with a sound card.
func ruleEngineWith(t *testing.T, k *peers.Kamailio, vm Voicemail, audio media.AudioBackend, rules ...selfcare.ForwardRule) (*Engine, *store.DB) {
	t.Helper()
	return ruleEngineOpts(t, k, Config{Voicemail: vm, Audio: audio}, rules...)
}

// ruleEngineTraced is ruleEngine without a voicemail, writing its SIP
// trace to trace.
func ruleEngineTraced(t *testing.T, k *peers.Kamailio, trace io.Writer) (*Engine, *store.DB) {
	t.Helper()
	return ruleEngineOpts(t, k, Config{Options: softphone.Options{Trace: trace}})
}

// ruleEngineOpts starts the engine as 4021 with cfg's voicemail, sound
// card and trace.
func ruleEngineOpts(t *testing.T, k *peers.Kamailio, cfg Config, rules ...selfcare.ForwardRule) (*Engine, *store.DB) {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, t.TempDir(), store.Options{})
	must(t, err)
	t.Cleanup(func() { db.Close() })
	acct := selfcare.Account{User: "4021", Domain: k.Domain, OutboundProxy: k.Addr(), Transport: selfcare.TransportUDP}
	must(t, db.SetAccount(ctx, acct))
	for _, r := range rules {
		_, err := db.SetForwardRule(ctx, r)
		must(t, err)
	}
	sec := &secrets.Memory{}
	sec.Set(acct.SecretKey(), fwdUsers["4021"])
	cfg.Store, cfg.Secrets, cfg.Logger = db, sec, slog.New(slog.NewTextHandler(io.Discard, nil))
	cfg.Options.ListenAddr, cfg.Options.MediaIP = "127.0.0.1:0", "127.0.0.1"
	e, err := Start(ctx, cfg)
	must(t, err)
	t.Cleanup(func() { e.Close(ctx) })
	waitFor(t, "registration", func() bool { return e.Phone.Registration().State == softphone.RegRegistered })
	return e, db
}

func fwdBaresip(t *testing.T, k *peers.Kamailio, user string, hz int, auto bool) *peers.Baresip {
	t.Helper()
	b := peers.StartBaresip(t, peers.BaresipOptions{User: user, Password: fwdUsers[user], Domain: k.Domain,
		Proxy: k.URI() + ";transport=udp", AutoAnswer: auto, ToneHz: hz})
	must(t, b.WaitRegistered(context.Background()))
	return b
}

// heard is the dominant tone of what b heard in its last call.
func heard(t *testing.T, b *peers.Baresip) float64 {
	t.Helper()
	files := b.Recordings("dec")
	if len(files) == 0 {
		t.Fatal("no recording")
	}
	w, err := peers.ReadWAV(files[len(files)-1])
	must(t, err)
	return peers.DominantTone(w).Hz
}

func TestSimultaneousRingBridgesTheFirstToAnswer(t *testing.T) {
	k := peers.StartKamailio(t, peers.KamailioOptions{Users: fwdUsers})
	mobile := fwdBaresip(t, k, "4022", 440, true) // the user's mobile answers first
	caller := fwdBaresip(t, k, "4023", 660, false)
	ligne, db := ruleEngine(t, k, nil, selfcare.ForwardRule{Line: selfcare.LineFixed, Kind: selfcare.ForwardSimultaneous,
		Active: true, Target: selfcare.TargetNumber, Number: "4022"})
	ctx := context.Background()
	events := ligne.Phone.Subscribe(ctx)
	must(t, caller.Dial(ctx, "sip:4021@"+k.Domain))
	if _, err := mobile.WaitEvent(ctx, "CALL_ESTABLISHED"); err != nil {
		t.Fatal(err)
	}
	// Ligne answers the caller to bridge it to the mobile: its own ringing stops
	waitEvent(t, events, func(ev softphone.Event) bool { _, ok := ev.(softphone.CallAnsweredEvent); return ok })
	time.Sleep(4 * time.Second) // long enough for the bridged tone to dominate the caller's recording on a loaded machine
	caller.Hangup(ctx)
	caller.WaitAllClosed(ctx)
	if hz := heard(t, caller); math.Abs(hz-440) > 15 {
		t.Fatalf("the caller hears %.0f Hz, want the mobile's 440 Hz", hz)
	}
	// one record: the caller's call, answered on the mobile (Ligne's own
	// call to the mobile is not the user's)
	waitFor(t, "call log", func() bool {
		recs, _, _ := db.Calls(ctx, selfcare.CallFilter{Limit: 10})
		return len(recs) >= 1 && recs[0].Outcome == selfcare.OutcomeAnswered
	})
	time.Sleep(500 * time.Millisecond) // a second record would come with the mobile leg's end
	recs, _, err := db.Calls(ctx, selfcare.CallFilter{Limit: 10})
	must(t, err)
	if len(recs) != 1 || recs[0].Direction != selfcare.DirectionIn || recs[0].ForwardedTo != "4022" || !strings.Contains(recs[0].Remote, "4023") {
		t.Fatalf("call log %+v, want one incoming call from 4023 answered on 4022", recs)
	}
}

func TestSimultaneousRingCancelsTheMobileWhenLigneAnswers(t *testing.T) {
	k := peers.StartKamailio(t, peers.KamailioOptions{Users: fwdUsers})
	mobile := fwdBaresip(t, k, "4022", 440, false)
	caller := fwdBaresip(t, k, "4023", 660, false)
	ligne, _ := ruleEngine(t, k, nil, selfcare.ForwardRule{Line: selfcare.LineFixed, Kind: selfcare.ForwardSimultaneous,
		Active: true, Target: selfcare.TargetNumber, Number: "4022"})
	ctx := context.Background()
	must(t, caller.Dial(ctx, "sip:4021@"+k.Domain))
	if _, err := mobile.WaitEvent(ctx, "CALL_INCOMING"); err != nil {
		t.Fatal(err)
	}
	var in *softphone.Call
	waitFor(t, "Ligne ringing", func() bool {
		for _, c := range ligne.Phone.Calls() {
			if c.Direction() == softphone.Incoming && c.State() == softphone.StateRinging {
				in = c
			}
		}
		return in != nil
	})
	must(t, in.Answer(ctx))
	if _, err := mobile.WaitEvent(ctx, "CALL_CLOSED"); err != nil {
		t.Fatalf("the mobile leg was not cancelled: %v", err)
	}
	for _, ev := range mobile.Events() {
		if ev.Type == "CALL_ESTABLISHED" {
			t.Fatal("the mobile leg was answered although Ligne answered first")
		}
	}
}

// waitEvent reads events until match (a failure guard of 20 s).
func waitEvent(t *testing.T, events <-chan softphone.Event, match func(softphone.Event) bool) softphone.Event {
	t.Helper()
	timeout := time.After(20 * time.Second)
	for {
		select {
		case ev := <-events:
			if match(ev) {
				return ev
			}
		case <-timeout:
			t.Fatal("timed out waiting for an engine event")
		}
	}
}

// toneVoicemail is a stand-in answering machine for this test (the real
// one is internal/voicemail): it plays a 1 kHz tone for two seconds.
type toneVoicemail struct{ deposits chan string }

func (v toneVoicemail) Deposit(ctx context.Context, c *softphone.Call, line selfcare.LineKind) {
	c.Media().SetSource(media.NewToneReaderFor(media.Tone{Name: "greeting", Freqs: []float64{1000}, Level: 0.3}, 8000, 2*time.Second), 8000)
	v.deposits <- c.ID()
	select {
	case <-ctx.Done():
	case <-time.After(2500 * time.Millisecond):
	}
	c.Hangup(context.WithoutCancel(ctx))
}

func (v toneVoicemail) Menu(context.Context, *softphone.Call, selfcare.LineKind) {}

func TestRulesSendCallsToTheLocalVoicemail(t *testing.T) {
	k := peers.StartKamailio(t, peers.KamailioOptions{Users: fwdUsers})
	caller := fwdBaresip(t, k, "4023", 660, false)
	vm := toneVoicemail{deposits: make(chan string, 1)}
	_, db := ruleEngine(t, k, vm, selfcare.ForwardRule{Line: selfcare.LineFixed, Kind: selfcare.ForwardImmediate,
		Active: true, Target: selfcare.TargetVoicemail})
	ctx := context.Background()
	must(t, caller.Dial(ctx, "sip:4021@"+k.Domain))
	select {
	case <-vm.deposits:
	case <-time.After(20 * time.Second):
		t.Fatal("the voicemail never got the call")
	}
	if _, err := caller.WaitEvent(ctx, "CALL_CLOSED"); err != nil {
		t.Fatal(err)
	}
	if hz := heard(t, caller); math.Abs(hz-1000) > 15 {
		t.Fatalf("the caller hears %.0f Hz, want the greeting's 1000 Hz", hz)
	}
	waitFor(t, "call log", func() bool {
		recs, _, _ := db.Calls(ctx, selfcare.CallFilter{Limit: 1})
		return len(recs) == 1 && recs[0].Outcome == selfcare.OutcomeVoicemail
	})
}

func TestTheVoicemailsCallsNeverGetTheSoundCard(t *testing.T) {
	k := peers.StartKamailio(t, peers.KamailioOptions{Users: fwdUsers})
	caller := fwdBaresip(t, k, "4023", 660, false)
	tape := &tapeBackend{}
	vm := toneVoicemail{deposits: make(chan string, 1)}
	ligne, _ := ruleEngineWith(t, k, vm, tape, selfcare.ForwardRule{Line: selfcare.LineFixed, Kind: selfcare.ForwardImmediate,
		Active: true, Target: selfcare.TargetVoicemail})
	ctx := context.Background()
	must(t, caller.Dial(ctx, "sip:4021@"+k.Domain))
	<-vm.deposits
	time.Sleep(time.Second)
	if c := ligne.Audio.Current(); c != nil {
		t.Fatalf("the voicemail's call %s has the microphone and loudspeaker", c.ID())
	}
	if l := loudness(tape.heard("speaker", time.Second, deviceRate)); l > 0.001 {
		t.Fatalf("the caller is heard on the loudspeaker (rms %.4f)", l)
	}
	if hz := heardNow(t, caller); hz != 0 && math.Abs(hz-1000) > 15 {
		t.Fatalf("the caller hears %.0f Hz instead of the greeting", hz)
	}
}

// heardNow waits for the caller's call to end and returns what it heard.
func heardNow(t *testing.T, b *peers.Baresip) float64 {
	t.Helper()
	if _, err := b.WaitEvent(context.Background(), "CALL_CLOSED"); err != nil {
		t.Fatal(err)
	}
	return heard(t, b)
}
