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

// consentWindow opens a window whose secret store has no keyring (the
// session bus does not exist) and asks for the consent.
func consentWindow(t *testing.T) (*ui.App, *secrets.Store, *bool) {
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
	app := ui.New(test.NewTempApp(t), ui.Deps{Services: db, Secrets: st, Dispatch: func(f func()) { f() }})
	t.Cleanup(app.Close)
	app.Window().Resize(fyne.NewSize(ui.WindowWidth, ui.WindowHeight))
	done := false
	app.AskSecretsConsent(func() { done = true })
	return app, st, &done
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
