package ui_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/ligne-app/ligne/internal/peers"
	"github.com/ligne-app/ligne/selfcare"
	"github.com/ligne-app/ligne/ui"
)

// openVoicemail shows the voicemail section.
func (h *harness) openVoicemail() {
	h.app.Open(ui.SectionVoicemail)
	h.settle()
}

// entryWithPlaceholder finds an entry by its placeholder.
func (h *harness) entryWithPlaceholder(p string) *widget.Entry {
	h.t.Helper()
	for _, o := range h.objects() {
		if e, ok := o.(*widget.Entry); ok && e.PlaceHolder == p {
			return e
		}
	}
	h.t.Fatalf("no entry %q; on screen: %q", p, h.texts())
	return nil
}

// tapDialog taps a button of the dialog on top of the window.
func (h *harness) tapDialog(text string) {
	h.t.Helper()
	for _, o := range h.app.Window().Canvas().Overlays().List() {
		for _, w := range test.LaidOutObjects(o) {
			if b, ok := w.(*widget.Button); ok && b.Text == text && !b.Disabled() {
				test.Tap(b)
				h.settle()
				return
			}
		}
	}
	h.t.Fatalf("no button %q in a dialog; on screen: %q", text, h.texts())
}

// messagesOf reads the fixed line's listed messages.
func (h *harness) messagesOf() []selfcare.VoicemailMessage {
	ms, err := h.db.Messages(context.Background(), selfcare.LineFixed)
	must(h.t, err)
	return ms
}

// TestVoicemailListReadDeleteUndo: unread messages are highlighted with
// the caller's name; "mark as read" changes the message; delete removes
// it with an undo that brings it back.
func TestVoicemailListReadDeleteUndo(t *testing.T) {
	h := newHarness(t, true, "fr")
	h.openVoicemail()
	h.mustShow("messages", "Grégoire Pellet", "Non lu", "Rappeler", "Ajouter aux contacts")
	before := h.messagesOf()
	first := before[0]
	if first.Read {
		t.Fatalf("the demo's newest message should be unread: %+v", first)
	}
	h.tap("Marquer comme lu")
	h.waitFor("message read", func() bool { return h.messagesOf()[0].Read })
	h.tap("Supprimer")
	h.waitFor("message deleted", func() bool { return len(h.messagesOf()) == len(before)-1 })
	h.mustShow("undo bar", "Message supprimé.")
	h.tap("Annuler")
	h.waitFor("message restored", func() bool { return len(h.messagesOf()) == len(before) })
}

// TestVoicemailPlayerProgressAndSeek: a message plays with a moving
// progress bar, can be paused and moved; listening marks it read.
func TestVoicemailPlayerProgressAndSeek(t *testing.T) {
	h := newHarness(t, true, "fr")
	rel := "voicemail/tone.wav"
	must(t, os.MkdirAll(filepath.Join(h.db.Dir(), "voicemail"), 0o700))
	must(t, peers.WriteWAV(h.db.Path(rel), 8000, peers.Sine(8000, 440, 0.3, 6)))
	_, err := h.db.AddMessage(context.Background(), selfcare.VoicemailMessage{Line: selfcare.LineFixed, Caller: "+33472104021",
		At: now, Duration: 6 * time.Second, Path: rel})
	must(t, err)
	h.openVoicemail()
	h.tap("Écouter")
	slider := h.slider()
	h.waitFor("progress", func() bool { return slider.Value > 0 })
	h.mustShow("player", "/ 0:06")
	h.waitFor("marked read", func() bool { return h.messagesOf()[0].Read })
	h.tap("Pause")
	slider.OnChangeEnded(0.5)
	h.settle()
	h.waitFor("moved to the middle", func() bool { return h.shows("0:03 / 0:06") })
	h.tap("Lecture")
	h.waitFor("playing on", func() bool { return slider.Value > 0.55 })
}

func (h *harness) slider() *widget.Slider {
	h.t.Helper()
	for _, o := range h.objects() {
		if s, ok := o.(*widget.Slider); ok && s.Visible() {
			return s
		}
	}
	h.t.Fatalf("no progress bar; on screen: %q", h.texts())
	return nil
}

// TestVoicemailGreetingUpload: a bad file is refused with a clear error
// and nothing changes; a WAV becomes the greeting in use.
func TestVoicemailGreetingUpload(t *testing.T) {
	h := newHarness(t, true, "fr")
	dir := t.TempDir()
	text := filepath.Join(dir, "annonce.mp3")
	must(t, os.WriteFile(text, []byte("pas du son\n"), 0o600))
	wav := filepath.Join(dir, "accueil.wav")
	must(t, peers.WriteWAV(wav, 44100, peers.Sine(44100, 440, 0.3, 2)))
	h.openVoicemail()
	h.mustShow("default greeting", "Annonce par défaut de Ligne.")
	upload(h, text, "Texte")
	h.waitFor("refusal", func() bool { return h.shows("Ce fichier n'est pas un MP3 / WAV lisible.") })
	if gs, _ := h.db.Greetings(context.Background(), selfcare.LineFixed); len(gs) != 0 {
		t.Fatalf("a refused file added a greeting: %+v", gs)
	}
	h.entryWithPlaceholder("Fichier MP3 ou WAV").SetText(wav)
	h.entryWithPlaceholder("Nom de l'annonce").SetText("Accueil")
	h.tapDialog("Confirmer")
	h.waitFor("greeting listed", func() bool { return h.shows("Accueil · 2 s") && h.shows("utilisée comme annonce") })
}

func upload(h *harness, file, name string) {
	h.tap("Uploader une annonce")
	h.entryWithPlaceholder("Fichier MP3 ou WAV").SetText(file)
	h.entryWithPlaceholder("Nom de l'annonce").SetText(name)
	h.tapDialog("Confirmer")
}

// TestVoicemailRecordGreetingSilentMicrophone: the microphone dialog
// records with a level meter and plays the recording back; with no sound
// coming in (the null device of
// this machine) it says the recording is silent and saves nothing.
func TestVoicemailRecordGreetingSilentMicrophone(t *testing.T) {
	h := newHarness(t, true, "en")
	h.openVoicemail()
	h.tap("Record with the microphone")
	h.tapDialog("Record")
	h.waitFor("a second recorded", func() bool { return h.shows("0:01") })
	h.tapDialog("Stop")
	h.tapDialog("Listen") // plays the recording back
	h.entryWithPlaceholder("Greeting name").SetText("Micro")
	h.tapDialog("Confirm")
	h.waitFor("silent refusal", func() bool { return h.shows("The recording is silent") })
	if gs, _ := h.db.Greetings(context.Background(), selfcare.LineFixed); len(gs) != 0 {
		t.Fatalf("a silent recording was saved: %+v", gs)
	}
}

// TestVoicemailSettingsRefuseBadPIN: a PIN of two digits is refused with
// the rule, and the saved settings do not change; a good one is saved.
func TestVoicemailSettingsRefuseBadPIN(t *testing.T) {
	h := newHarness(t, true, "fr")
	h.openVoicemail()
	before, _ := h.db.VoicemailSettings(context.Background(), selfcare.LineFixed)
	pin := h.entryWithPlaceholder("Code PIN (4 à 8 chiffres)")
	pin.SetText("12")
	test.Tap(h.findButton("Confirmer"))
	h.waitFor("PIN refused", func() bool { return h.shows("Le code doit comporter de 4 à 8 chiffres.") })
	if after, _ := h.db.VoicemailSettings(context.Background(), selfcare.LineFixed); after.PIN != before.PIN {
		t.Fatalf("refused PIN saved: %q", after.PIN)
	}
	pin.SetText("24680")
	test.Tap(h.findButton("Confirmer"))
	h.waitFor("saved", func() bool {
		s, _ := h.db.VoicemailSettings(context.Background(), selfcare.LineFixed)
		return s.PIN == "24680"
	})
	if !strings.Contains(strings.Join(h.texts(), "|"), "Enregistré") {
		t.Fatalf("no saved note: %q", h.texts())
	}
}

// TestVoicemailAddCallerToContacts: "add to contacts" opens the contact
// form filled with the caller's number; "call back" puts the number in
// the softphone (the demo has no line, so the call itself is refused).
func TestVoicemailAddCallerToContacts(t *testing.T) {
	h := newHarness(t, true, "fr")
	h.openVoicemail()
	first := h.messagesOf()[0]
	h.tap("Ajouter aux contacts")
	h.waitFor("contact form", func() bool { return h.shows("Nouveau contact") })
	formatted := selfcare.FormatNumber(first.Caller)
	found := false
	for _, o := range h.objects() {
		if e, ok := o.(*widget.Entry); ok && (e.Text == first.Caller || e.Text == formatted) {
			found = true
		}
	}
	if !found {
		t.Fatalf("the contact form lacks the caller's number %s; on screen: %q", first.Caller, h.texts())
	}
	h.tapDialog("Annuler")
	h.tap("Rappeler")
	if got := h.entryWithPlaceholder("Numéro, poste ou sip:…").Text; got != first.Caller {
		t.Fatalf("call back put %q in the number field, want %q", got, first.Caller)
	}
}

// TestOwnVoicemailCountShowsInTheStatusBar: the count Ligne's own
// voicemail reports is what the status bar says, summed over the lines,
// and it goes away once the messages are heard.
func TestOwnVoicemailCountShowsInTheStatusBar(t *testing.T) {
	h := newHarness(t, true, "fr")
	h.app.SetVoicemailCount(selfcare.LineFixed, 5)
	h.app.SetVoicemailCount(selfcare.LineMobile, 2)
	h.settle()
	if !h.shows("7 nouveaux messages") {
		t.Fatalf("status bar does not show 7 new messages: %q", h.texts())
	}
	h.app.SetVoicemailCount(selfcare.LineFixed, 0)
	h.app.SetVoicemailCount(selfcare.LineMobile, 0)
	h.settle()
	for _, s := range h.texts() {
		if strings.Contains(s, "7 nouveaux") || strings.Contains(s, "5 nouveaux") {
			t.Fatalf("status bar still shows %q once every message is heard", s)
		}
	}
}
