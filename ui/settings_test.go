package ui_test

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// TestSettingsSayWhichVersionRuns: the settings dialog's About line names
// the version running (here a test build: "dev") in the user's language.
func TestSettingsSayWhichVersionRuns(t *testing.T) {
	for lang, want := range map[string]string{"fr": "À propos", "en": "About"} {
		h := newHarness(t, true, lang)
		var settings *widget.Button
		for _, o := range test.LaidOutObjects(h.app.Window().Content()) {
			if b, ok := o.(*widget.Button); ok && b.Icon != nil && b.Icon.Name() == theme.SettingsIcon().Name() {
				settings = b
			}
		}
		if settings == nil {
			t.Fatal("no settings button")
		}
		test.Tap(settings)
		h.settle()
		if !h.shows(want) || !containsText(h.texts(), "Ligne dev.") {
			t.Fatalf("%s: the settings do not say the version: %q", lang, h.texts())
		}
	}
}

func containsText(texts []string, part string) bool {
	for _, s := range texts {
		if strings.Contains(s, part) {
			return true
		}
	}
	return false
}
