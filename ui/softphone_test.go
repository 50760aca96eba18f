package ui_test

import (
	"context"
	"io"
	"log/slog"
	"math"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/ligne-app/ligne/internal/engine"
	"github.com/ligne-app/ligne/internal/peers"
	"github.com/ligne-app/ligne/secrets"
	"github.com/ligne-app/ligne/selfcare"
	"github.com/ligne-app/ligne/softphone"
	"github.com/ligne-app/ligne/store"
	"github.com/ligne-app/ligne/ui"
)

// Users of the softphone tests: Ligne is 4021; baresips are 4022 and 4023.
var lineUsers = map[string]string{"4021": "pw-4021", "4022": "pw-4022", "4023": "pw-4023"}

// lineProfile is a small organization where 4022 is a colleague.
func lineProfile(k *peers.Kamailio) selfcare.Profile {
	return selfcare.Profile{
		Schema:  selfcare.ProfileSchema,
		Company: selfcare.Company{Name: "Test SA", SIPDomain: k.Domain, TimeZone: "Europe/Paris"},
		User:    selfcare.ProfileUser{ID: "u-4021", Name: "Camille", Lines: []selfcare.ProfileLine{{Kind: selfcare.LineFixed, Extension: "4021"}}},
		Rights:  selfcare.Rights{SupervisionKeys: true, ShortcutKeys: true},
		Directory: []selfcare.DirectoryEntry{
			{ID: "u-4022", Name: "Bob Martin", Extension: "4022", Supervisable: true},
			{ID: "u-4023", Name: "Carole Petit", Extension: "4023", Supervisable: true},
		},
	}
}

// newLineHarness starts the window on a real engine registered as 4021.
func newLineHarness(t *testing.T, k *peers.Kamailio, keys []selfcare.FunctionKey) *harness {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	must(t, db.ApplyProfile(ctx, lineProfile(k)))
	must(t, db.SetKeys(ctx, keys))
	acct := selfcare.Account{DisplayName: "Camille", User: "4021", Domain: k.Domain, OutboundProxy: k.Addr(), Transport: selfcare.TransportUDP}
	must(t, db.SetAccount(ctx, acct))
	sec := &secrets.Memory{}
	sec.Set(acct.SecretKey(), lineUsers["4021"])
	eng, err := engine.Start(ctx, engine.Config{Store: db, Secrets: sec,
		Options: softphone.Options{ListenAddr: "127.0.0.1:0", MediaIP: "127.0.0.1"},
		Logger:  slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Close(ctx) })
	supervised := 0
	for _, k := range keys {
		if k.Kind == selfcare.KeySupervision {
			supervised++
		}
	}
	engineSettled(t, eng, supervised)
	h := &harness{t: t, db: db, secrets: sec, eng: eng}
	h.app = ui.New(test.NewTempApp(t), ui.Deps{Services: db, Secrets: sec, Engine: eng, Dispatch: h.enqueue,
		Now: time.Now})
	t.Cleanup(h.app.Close)
	h.app.Window().Resize(fyne.NewSize(ui.WindowWidth, ui.WindowHeight))
	h.app.Start()
	h.waitFor("registered", func() bool { return h.shows("En ligne : prêt à appeler") })
	return h
}

// engineSettled waits until the line is registered and the supervised
// colleagues' first states have arrived, so the window always opens after
// them: it must show what came before it (as when Ligne starts and the
// window is slow to draw).
func engineSettled(t *testing.T, eng *engine.Engine, supervised int) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		known := 0
		for _, ev := range eng.Phone.Colleagues() {
			if ev.State != softphone.ColleagueUnknown {
				known++
			}
		}
		if eng.Phone.Registration().State == softphone.RegRegistered && known >= supervised {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the line did not settle: %+v, colleagues %+v", eng.Phone.Registration(), eng.Phone.Colleagues())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// waitFor runs the window's queued work until cond holds (a failure guard,
// not a speed assertion).
func (h *harness) waitFor(what string, cond func() bool) {
	h.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		h.settle()
		if cond() {
			return
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("timed out waiting for %s; on screen: %q", what, h.texts())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// tap taps the button with text once it is on screen.
func (h *harness) tap(text string) {
	h.t.Helper()
	h.waitFor("button "+text, func() bool { return h.findButton(text) != nil })
	test.Tap(h.findButton(text))
	h.settle()
}

func (h *harness) findButton(text string) *widget.Button {
	for _, o := range h.objects() {
		if b, ok := o.(*widget.Button); ok && b.Text == text && !b.Disabled() {
			return b
		}
	}
	return nil
}

// dialFromPanel types number in the softphone's field and presses Enter.
func (h *harness) dialFromPanel(number string) {
	h.t.Helper()
	for _, e := range h.entries() {
		if e.PlaceHolder == "Numéro, poste ou sip:…" {
			e.SetText(number)
			e.OnSubmitted(number)
			return
		}
	}
	h.t.Fatal("no number field")
}

func (h *harness) calls() []*softphone.Call { return h.eng.Phone.Calls() }

func baresip(t *testing.T, k *peers.Kamailio, user string, hz int, auto bool) *peers.Baresip {
	t.Helper()
	b := peers.StartBaresip(t, peers.BaresipOptions{User: user, Password: lineUsers[user], Domain: k.Domain,
		Proxy: k.URI() + ";transport=udp", AutoAnswer: auto, ToneHz: hz})
	if err := b.WaitRegistered(context.Background()); err != nil {
		t.Fatal(err)
	}
	return b
}

func TestWindowPlacesAndTakesCalls(t *testing.T) {
	k := peers.StartKamailio(t, peers.KamailioOptions{Users: lineUsers})
	bob := baresip(t, k, "4022", 440, true)
	h := newLineHarness(t, k, nil)
	ctx := context.Background()

	t.Run("dial, hang up, call again", func(t *testing.T) {
		for round := 0; round < 2; round++ {
			h.dialFromPanel("4022")
			h.waitFor("call answered", func() bool { return h.shows("En communication") })
			if _, err := bob.WaitEvent(ctx, "CALL_ESTABLISHED"); err != nil {
				t.Fatal(err)
			}
			h.tap("Raccrocher")
			h.waitFor("call ended", func() bool { return len(h.calls()) == 0 && !h.shows("En communication") })
			if _, err := bob.WaitEvent(ctx, "CALL_CLOSED"); err != nil {
				t.Fatal(err)
			}
		}
	})

	t.Run("hold, resume and DTMF from the dial pad", func(t *testing.T) {
		bob.ForgetEvents()
		h.dialFromPanel("4022")
		h.waitFor("call answered", func() bool { return h.shows("En communication") })
		h.tap("5")
		ev, err := bob.WaitEvent(ctx, "CALL_DTMF_START")
		if err != nil || ev.Param != "5" {
			t.Fatalf("baresip got DTMF %+v %v, want 5", ev, err)
		}
		h.tap("Attente")
		h.waitFor("held", func() bool { return h.shows("En attente") })
		if local, _ := h.calls()[0].OnHold(); !local {
			t.Fatal("the engine's call is not on hold")
		}
		h.tap("Reprendre")
		h.waitFor("resumed", func() bool { return h.shows("En communication") })
		h.tap("Muet")
		h.waitFor("muted", func() bool { return h.findButton("Réactiver le micro") != nil })
		h.tap("Raccrocher")
		h.waitFor("call ended", func() bool { return len(h.calls()) == 0 })
	})

	t.Run("incoming call: banner, answer, then reject", func(t *testing.T) {
		caller := baresip(t, k, "4023", 660, false)
		if err := caller.Dial(ctx, "sip:4021@"+k.Domain); err != nil {
			t.Fatal(err)
		}
		h.waitFor("banner", func() bool { return h.shows("Appel entrant : Carole Petit") })
		h.tap("Répondre")
		h.waitFor("answered", func() bool { return h.shows("En communication") && !h.shows("Appel entrant :") })
		caller.Hangup(ctx)
		h.waitFor("ended", func() bool { return len(h.calls()) == 0 })
		caller.ForgetEvents()
		if err := caller.Dial(ctx, "sip:4021@"+k.Domain); err != nil {
			t.Fatal(err)
		}
		h.waitFor("banner again", func() bool { return h.shows("Appel entrant : Carole Petit") })
		h.tap("Refuser")
		ev, err := caller.WaitEvent(ctx, "CALL_CLOSED")
		if err != nil || !strings.Contains(ev.Param, "486") {
			t.Fatalf("caller's call closed with %+v %v, want 486", ev, err)
		}
		h.waitFor("no call", func() bool { return len(h.calls()) == 0 && !h.shows("Appel entrant :") })
	})

	t.Run("incoming call sent to voicemail when there is none: told why, still ringing", func(t *testing.T) {
		caller := baresip(t, k, "4023", 660, false)
		if err := caller.Dial(ctx, "sip:4021@"+k.Domain); err != nil {
			t.Fatal(err)
		}
		h.waitFor("banner", func() bool { return h.shows("Appel entrant : Carole Petit") })
		h.tap("Messagerie")
		h.waitFor("error dialog", func() bool { return h.shows("Aucune messagerie ne peut prendre cet appel") })
		if len(h.calls()) != 1 || h.calls()[0].State() != softphone.StateRinging {
			t.Fatal("the call stopped ringing")
		}
		h.tap("Refuser")
		h.waitFor("no call", func() bool { return len(h.calls()) == 0 })
	})

	t.Run("incoming call sent to the company's voicemail number", func(t *testing.T) {
		prof := lineProfile(k)
		prof.Company.VoicemailNumber = "4022" // bob answers at once: he plays the company's voicemail
		must(t, h.db.ApplyProfile(ctx, prof))
		bob.ForgetEvents()
		caller := baresip(t, k, "4023", 660, false)
		if err := caller.Dial(ctx, "sip:4021@"+k.Domain); err != nil {
			t.Fatal(err)
		}
		h.waitFor("banner", func() bool { return h.shows("Appel entrant : Carole Petit") })
		h.tap("Messagerie")
		h.waitFor("no call", func() bool { return len(h.calls()) == 0 && !h.shows("Appel entrant :") })
		ev, err := bob.WaitEvent(ctx, "CALL_ESTABLISHED")
		if err != nil || !strings.Contains(ev.PeerURI, "4023") {
			t.Fatalf("the voicemail number did not get the caller: %+v %v", ev, err)
		}
		caller.Hangup(ctx)
	})
}

func TestWindowAttendedTransfer(t *testing.T) {
	k := peers.StartKamailio(t, peers.KamailioOptions{Users: lineUsers, CallAuth: false})
	bob := baresip(t, k, "4022", 440, true)
	carol := baresip(t, k, "4023", 880, true)
	h := newLineHarness(t, k, nil)
	ctx := context.Background()
	h.dialFromPanel("4022")
	h.waitFor("call with bob", func() bool { return h.shows("En communication") })
	h.tap("Transférer")
	var target *widget.Entry
	for _, o := range test.LaidOutObjects(h.app.Window().Canvas().Overlays().Top()) {
		if e, ok := o.(*widget.Entry); ok {
			target = e
		}
	}
	if target == nil {
		t.Fatal("the transfer dialog has no number field")
	}
	target.SetText("4023")
	h.tap("Parler d'abord")
	h.waitFor("consulting carol", func() bool { return h.shows("Consultation") && h.shows("En attente") })
	h.tap("Transférer maintenant")
	h.waitFor("transfer done", func() bool { return len(h.calls()) == 0 })
	if _, err := carol.WaitEvent(ctx, "CALL_ESTABLISHED"); err != nil { // the consultation
		t.Fatal(err)
	}
	time.Sleep(2 * time.Second) // bob and carol talk; their recordings need audio
	bob.Hangup(ctx)
	carol.WaitAllClosed(ctx)
	assertHeard(t, carol, 440) // carol ends up hearing bob
}

// assertHeard checks that the last recording of b (what b heard) holds hz.
func assertHeard(t *testing.T, b *peers.Baresip, hz float64) {
	t.Helper()
	files := b.Recordings("dec")
	if len(files) == 0 {
		t.Fatal("no recording")
	}
	w, err := peers.ReadWAV(files[len(files)-1])
	if err != nil {
		t.Fatal(err)
	}
	if got := peers.DominantTone(w); math.Abs(got.Hz-hz) > 15 {
		t.Fatalf("heard %.0f Hz, want %.0f Hz", got.Hz, hz)
	}
}

func TestSupervisionKeyFollowsTheColleague(t *testing.T) {
	k := peers.StartKamailio(t, peers.KamailioOptions{Users: lineUsers, Presence: true})
	bob := baresip(t, k, "4022", 440, false)
	carol := baresip(t, k, "4023", 880, true)
	h := newLineHarness(t, k, []selfcare.FunctionKey{{Position: 1, Kind: selfcare.KeySupervision, ContactID: "dir:u-4022"}})
	ctx := context.Background()
	key := func() *widget.Button {
		for _, o := range test.LaidOutObjects(h.app.Window().Content()) {
			if b, ok := o.(*widget.Button); ok && strings.HasPrefix(b.Text, "Bob Martin · ") {
				return b
			}
		}
		return nil
	}
	h.waitFor("idle", func() bool { return key() != nil && key().Text == "Bob Martin · Disponible" })
	assertObjectMarkup(t, "blf_idle.xml", key())

	carol.Dial(ctx, "sip:4022@"+k.Domain)
	h.waitFor("ringing", func() bool { return key() != nil && strings.HasPrefix(key().Text, "Bob Martin · Sonne : ") })
	if !strings.Contains(key().Text, "Carole Petit") && !strings.Contains(key().Text, "4023") {
		t.Fatalf("the ringing key does not say who calls: %q", key().Text)
	}
	bob.Accept(ctx)
	h.waitFor("in call", func() bool { return key() != nil && key().Text == "Bob Martin · En communication" })
	assertObjectMarkup(t, "blf_incall.xml", key())
	carol.Hangup(ctx)
	h.waitFor("idle again", func() bool { return key() != nil && key().Text == "Bob Martin · Disponible" })
}
