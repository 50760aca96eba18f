package ui_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/ligne-app/ligne/internal/demo"
	"github.com/ligne-app/ligne/internal/engine"
	"github.com/ligne-app/ligne/internal/i18n"
	"github.com/ligne-app/ligne/secrets"
	"github.com/ligne-app/ligne/selfcare"
	"github.com/ligne-app/ligne/store"
	"github.com/ligne-app/ligne/ui"
)

var now = time.Date(2026, 11, 25, 15, 0, 0, 0, time.FixedZone("CET", 3600))

type harness struct {
	t       *testing.T
	mu      sync.Mutex
	queued  []func()
	db      *store.DB
	app     *ui.App
	eng     *engine.Engine
	secrets *secrets.Memory
}

// newHarness opens a store (seeded with the demo when seed is set), sets the
// language and starts the window on the test driver.
func newHarness(t *testing.T, seed bool, lang string) *harness {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if seed {
		if err := demo.Seed(ctx, db, now); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.SetSetting(ctx, selfcare.SettingLanguage, lang); err != nil {
		t.Fatal(err)
	}
	a := test.NewTempApp(t)
	h := &harness{t: t, db: db, secrets: &secrets.Memory{}}
	h.app = ui.New(a, ui.Deps{Services: db, Secrets: h.secrets, Now: func() time.Time { return now },
		SeedDemo: func(ctx context.Context) error { return demo.Seed(ctx, db, now) }, Dispatch: h.enqueue})
	t.Cleanup(h.app.Close)
	h.app.Window().Resize(fyne.NewSize(ui.WindowWidth, ui.WindowHeight))
	h.app.Start()
	h.settle()
	return h
}

// enqueue is the window's dispatcher in tests: functions meant for the
// Fyne goroutine wait here until the test goroutine runs them in settle,
// so widgets are only ever touched by one goroutine.
func (h *harness) enqueue(fn func()) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.queued = append(h.queued, fn)
}

// settle runs queued UI work until no load is pending.
func (h *harness) settle() {
	for {
		h.app.Settle()
		h.mu.Lock()
		fns := h.queued
		h.queued = nil
		h.mu.Unlock()
		if len(fns) == 0 {
			return
		}
		for _, fn := range fns {
			fn()
		}
	}
}

// objects returns everything laid out in the window and its dialogs.
func (h *harness) objects() []fyne.CanvasObject {
	c := h.app.Window().Canvas()
	objs := test.LaidOutObjects(c.Content())
	for _, o := range c.Overlays().List() {
		objs = append(objs, test.LaidOutObjects(o)...)
	}
	return objs
}

// texts returns every text shown in the window and its dialogs.
func (h *harness) texts() []string {
	var out []string
	for _, o := range h.objects() {
		switch w := o.(type) {
		case *widget.Label:
			out = append(out, w.Text)
		case *widget.Button:
			out = append(out, w.Text)
		case *widget.Card:
			out = append(out, w.Title, w.Subtitle)
		case *canvas.Text:
			out = append(out, w.Text)
		case *widget.RadioGroup:
			out = append(out, w.Options...)
		case *widget.Select:
			out = append(out, w.Selected)
		case *widget.Entry:
			out = append(out, w.Text, w.PlaceHolder)
		}
	}
	return out
}

// shows reports whether some text on screen contains s.
func (h *harness) shows(s string) bool {
	for _, t := range h.texts() {
		if strings.Contains(t, s) {
			return true
		}
	}
	return false
}

func (h *harness) mustShow(ctx string, want ...string) {
	h.t.Helper()
	for _, w := range want {
		if !h.shows(w) {
			h.t.Errorf("%s: %q not on screen; texts: %q", ctx, w, h.texts())
		}
	}
}

// button finds a button by its text.
func (h *harness) button(text string) *widget.Button {
	h.t.Helper()
	for _, o := range test.LaidOutObjects(h.app.Window().Content()) {
		if b, ok := o.(*widget.Button); ok && b.Text == text {
			return b
		}
	}
	h.t.Fatalf("no button %q", text)
	return nil
}

// catalogKeys are the translation keys: one shown as such is untranslated.
var catalogKeys = func() map[string]bool {
	m := map[string]bool{}
	for _, k := range i18n.Keys("fr") {
		m[k] = true
	}
	return m
}()

// sectionTexts are strings each section must show, from the demo data.
var sectionTexts = map[string]map[string][]string{
	"fr": {
		ui.SectionDashboard:   {"Mes téléphones", "Conso forfait", "3 nouveaux messages", "Renvoi sur non-réponse → Messagerie vocale après 20 s", "Espace de démonstration : pas de ligne"},
		ui.SectionPhones:      {"Poste principal", "4021", "04 72 10 40 21", "T46U", "Salle de réunion Rhône", "Sophie (accueil)"},
		ui.SectionDocs:        {"Guides utilisateurs", "Guide utilisateur Yealink T46U", "Tutoriel"},
		ui.SectionForwarding:  {"Renvoi immédiat", "Renvoi sur occupation", "Ligne mobile avancée", "Tout le temps"},
		ui.SectionCallLog:     {"Émis", "Manqués", "Novembre 2026"},
		ui.SectionVoicemail:   {"Grégoire Pellet", "Non lu", "Enregistrement des messages"},
		ui.SectionConsumption: {"Rappel forfait : Forfait fixe Pro", "Top 5 des appels sortants", "Data consommée"},
		ui.SectionContacts:    {"Contacts internes (annuaire)", "Contacts externes"},
		ui.SectionDialog:      {"Messagerie vocale visuelle", "rapprocher de votre administrateur"},
	},
	"en": {
		ui.SectionDashboard:   {"My phones", "Plan usage", "3 new messages"},
		ui.SectionPhones:      {"Main extension", "4021", "T46U"},
		ui.SectionDocs:        {"User guides", "Tutorial"},
		ui.SectionForwarding:  {"Immediate forwarding", "Forward on busy (Do Not Disturb)", "All the time"},
		ui.SectionCallLog:     {"Outgoing", "Missed", "November 2026"},
		ui.SectionVoicemail:   {"Grégoire Pellet", "Unread", "Message recording"},
		ui.SectionConsumption: {"Top 5 outgoing calls", "Data used"},
		ui.SectionContacts:    {"Internal contacts (directory)", "External contacts"},
		ui.SectionDialog:      {"Visual voicemail", "contact your administrator"},
	},
}

func TestEverySectionInBothLanguages(t *testing.T) {
	for _, lang := range []string{"fr", "en"} {
		t.Run(lang, func(t *testing.T) {
			h := newHarness(t, true, lang)
			for _, id := range ui.SectionIDs() {
				h.app.Open(id)
				h.settle()
				if h.app.CurrentSection() != id {
					t.Fatalf("section %s did not open", id)
				}
				h.mustShow(lang+"/"+id, sectionTexts[lang][id]...)
				for _, s := range h.texts() {
					if catalogKeys[s] {
						t.Errorf("%s/%s shows an untranslated key %q", lang, id, s)
					}
				}
				if w := h.app.Window().Content().MinSize().Width; w > ui.WindowWidth {
					t.Errorf("%s/%s needs %.0f units of width, the window has %d", lang, id, w, ui.WindowWidth)
				}
			}
		})
	}
}

func TestFirstRunOpensTheDemo(t *testing.T) {
	h := newHarness(t, false, "fr")
	h.mustShow("first run", "Bienvenue dans Ligne", "Ouvrir la démonstration", "Saisir mon compte")
	test.Tap(h.button("Ouvrir la démonstration"))
	h.settle()
	if h.app.CurrentSection() != ui.SectionDashboard {
		t.Fatal("the demo did not open on the dashboard")
	}
	h.mustShow("demo dashboard", "Lemoine Équipements SAS")
	if a, err := h.db.Account(context.Background()); err != nil || !a.Demo {
		t.Fatalf("demo account %+v %v", a, err)
	}
}

func TestFirstRunAccountForm(t *testing.T) {
	h := newHarness(t, false, "en")
	test.Tap(h.button("Enter my account"))
	entries := h.entries()
	fill := map[int]string{0: "Camille Durand", 1: "4021", 3: "s3cret-pass", 4: "bad domain!"}
	for i, v := range fill {
		test.Type(entries[i], v)
	}
	test.Tap(h.button("Save and continue"))
	h.mustShow("bad domain", "SIP domain: “bad domain!” is not a valid domain name.")
	if _, err := h.db.Account(context.Background()); selfcare.ErrorCode(err) != selfcare.CodeNoAccount {
		t.Fatal("an invalid account was saved")
	}
	if _, err := h.secrets.Get("sip:4021@bad domain!"); err == nil {
		t.Fatal("password stored for a refused account")
	}
	entries[4].SetText("sip.example.fr")
	h.selectOption("Automatic (with TLS)", "Required: refuse calls in clear")
	test.Tap(h.button("Save and continue"))
	h.settle()
	a, err := h.db.Account(context.Background())
	if err != nil || a.User != "4021" || a.Transport != selfcare.TransportTLS || a.SRTP != selfcare.SRTPRequired {
		t.Fatalf("account %+v %v", a, err)
	}
	if pw, _ := h.secrets.Get(a.SecretKey()); pw != "s3cret-pass" {
		t.Fatal("password not in the keyring")
	}
	if h.app.CurrentSection() != ui.SectionDashboard {
		t.Fatal("main window not shown after saving the account")
	}
}

// selectOption picks option in the select currently showing current.
func (h *harness) selectOption(current, option string) {
	h.t.Helper()
	for _, o := range test.LaidOutObjects(h.app.Window().Content()) {
		if s, ok := o.(*widget.Select); ok && s.Selected == current {
			s.SetSelected(option)
			return
		}
	}
	h.t.Fatalf("no select showing %q", current)
}

// entries returns the entries on screen in layout order.
func (h *harness) entries() []*widget.Entry {
	var out []*widget.Entry
	for _, o := range test.LaidOutObjects(h.app.Window().Content()) {
		if e, ok := o.(*widget.Entry); ok {
			out = append(out, e)
		}
	}
	return out
}

func TestLanguageSwitchKeepsTheSection(t *testing.T) {
	h := newHarness(t, true, "fr")
	h.app.Open(ui.SectionForwarding)
	h.settle()
	h.app.SetLanguage("en")
	h.settle()
	if h.app.CurrentSection() != ui.SectionForwarding {
		t.Fatalf("section after switch: %s", h.app.CurrentSection())
	}
	h.mustShow("english", "Call management", "Immediate forwarding", "Dashboard")
	if l, _ := h.db.Setting(context.Background(), selfcare.SettingLanguage); l != "en" {
		t.Fatalf("language not saved: %q", l)
	}
}

func TestDialValidatesTheNumber(t *testing.T) {
	h := newHarness(t, true, "fr")
	entry := h.entries()[0] // the softphone number field comes first in layout order? find by placeholder
	for _, e := range h.entries() {
		if e.PlaceHolder == "Numéro, poste ou sip:…" {
			entry = e
		}
	}
	test.Type(entry, "01 23 AB")
	test.Tap(h.button("Appeler"))
	h.mustShow("invalid number", "Numéro : « 01 23 AB » n'est pas un numéro valide.")
	entry.SetText("01 23 45 67 89")
	test.Tap(h.button("Appeler"))
	h.mustShow("demo", "Espace de démonstration : les appels réels demandent un compte SIP.")
}

func TestNumberFieldSuggestsAsYouType(t *testing.T) {
	h := newHarness(t, true, "fr")
	var entry *widget.Entry
	for _, e := range h.entries() {
		if e.PlaceHolder == "Numéro, poste ou sip:…" {
			entry = e
		}
	}
	test.Type(entry, "sophie")
	h.settle()
	h.mustShow("suggestion by name", "Sophie Girard · 4003")
	entry.SetText("")
	test.Type(entry, "06 98")
	h.settle()
	h.mustShow("suggestion by number", "Éric Bérard · 06 98 76 54 32")
}
