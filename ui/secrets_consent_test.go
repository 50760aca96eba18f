package ui_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/ligne-app/ligne/secrets"
	"github.com/ligne-app/ligne/selfcare"
	"github.com/ligne-app/ligne/store"
	"github.com/ligne-app/ligne/ui"
)

// consentWindow opens a window whose secret store has no keyring and
// asks for the consent.
func consentWindow(t *testing.T) (*ui.App, *secrets.Store, *bool) {
	h, st := noKeyringWindow(t)
	app := h.app
	done := false
	app.AskSecretsConsent(func() { done = true })
	return app, st, &done
}

// noKeyringWindow opens a French window whose secret store has no keyring
// (the session bus does not exist); its Fyne work runs in h.settle.
func noKeyringWindow(t *testing.T) (*harness, *secrets.Store) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path="+filepath.Join(t.TempDir(), "no-bus"))
	ctx := context.Background()
	db, err := store.Open(ctx, t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.SetSetting(ctx, selfcare.SettingLanguage, selfcare.LangFrench); err != nil {
		t.Fatal(err)
	}
	st, err := secrets.Open(ctx, secrets.Options{Settings: db, Dir: db.Dir()})
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, db: db}
	h.app = ui.New(test.NewTempApp(t), ui.Deps{Services: db, Secrets: st, Dispatch: h.enqueue})
	t.Cleanup(h.app.Close)
	h.app.Window().Resize(fyne.NewSize(ui.WindowWidth, ui.WindowHeight))
	return h, st
}

// answer taps a button of the dialog on top and returns its text.
func answer(t *testing.T, app *ui.App, label string) string {
	t.Helper()
	var text string
	var button *widget.Button
	for _, o := range test.LaidOutObjects(app.Window().Canvas().Overlays().Top()) {
		switch w := o.(type) {
		case *widget.Label:
			text += w.Text
		case *widget.Button:
			if w.Text == label {
				button = w
			}
		}
	}
	if button == nil {
		t.Fatalf("no %q button in the consent dialog: %q", label, text)
	}
	test.Tap(button)
	return text
}

func TestConsentDialogExplainsAndKeepsTheAnswer(t *testing.T) {
	app, st, done := consentWindow(t)
	text := answer(t, app, "Oui")
	for _, want := range []string{"trousseau", "en clair", st.FilePath()} {
		if !strings.Contains(text, want) {
			t.Errorf("the question does not say %q: %s", want, text)
		}
	}
	if !*done || st.Mode() != secrets.ModeFile {
		t.Fatalf("after yes: next ran %v, mode %s", *done, st.Mode())
	}
}

func TestConsentRefusedKeepsNothing(t *testing.T) {
	app, st, done := consentWindow(t)
	answer(t, app, "Non")
	if !*done || !st.NeedsConsent() {
		t.Fatalf("after no: next ran %v, mode %s", *done, st.Mode())
	}
	if err := st.Set("sip:a@b", "pw"); selfcare.ErrorCode(err) != selfcare.CodeSecretConsent {
		t.Fatalf("a password was kept after a refusal: %v", err)
	}
}

// tapButton taps the button labelled text in the window's content.
func tapButton(t *testing.T, app *ui.App, text string) {
	t.Helper()
	for _, o := range test.LaidOutObjects(app.Window().Content()) {
		if b, ok := o.(*widget.Button); ok && b.Text == text {
			test.Tap(b)
			return
		}
	}
	t.Fatalf("no button %q", text)
}

// TestFirstRunWithoutKeyringAsksBeforeKeepingThePassword: on a machine
// with no keyring, saving the account asks first; once the user agrees,
// the password goes to the private file and the account is saved.
func TestFirstRunWithoutKeyringAsksBeforeKeepingThePassword(t *testing.T) {
	h, st := noKeyringWindow(t)
	app, db := h.app, h.db
	app.Start()
	h.settle()
	tapButton(t, app, "Saisir mon compte")
	var entries []*widget.Entry
	for _, o := range test.LaidOutObjects(app.Window().Content()) {
		if e, ok := o.(*widget.Entry); ok {
			entries = append(entries, e)
		}
	}
	for i, v := range map[int]string{0: "Camille Durand", 1: "4021", 3: "s3cret-pass", 4: "sip.example.fr"} {
		test.Type(entries[i], v)
	}
	tapButton(t, app, "Enregistrer et continuer")
	if _, err := db.Account(context.Background()); selfcare.ErrorCode(err) != selfcare.CodeNoAccount {
		t.Fatalf("the account was saved before the question was answered: %v", err)
	}
	if text := answer(t, app, "Oui"); !strings.Contains(text, "trousseau") {
		t.Fatalf("the question does not explain the missing keyring: %s", text)
	}
	h.settle()
	a, err := db.Account(context.Background())
	if err != nil || a.User != "4021" {
		t.Fatalf("account after yes: %+v %v", a, err)
	}
	if pw, err := st.Get(a.SecretKey()); pw != "s3cret-pass" || st.Mode() != secrets.ModeFile {
		t.Fatalf("password after yes: %q %v, mode %s", pw, err, st.Mode())
	}
}
