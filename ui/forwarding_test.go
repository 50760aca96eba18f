package ui_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/ligne-app/ligne/selfcare"
	"github.com/ligne-app/ligne/ui"
)

// ruleCard returns the objects of the card titled title (first line's).
func (h *harness) ruleCard(title string) []fyne.CanvasObject {
	h.t.Helper()
	for _, o := range h.objects() {
		if c, ok := o.(*widget.Card); ok && c.Title == title {
			return test.LaidOutObjects(c)
		}
	}
	h.t.Fatalf("no card %q", title)
	return nil
}

func cardCheck(objs []fyne.CanvasObject, text string) *widget.Check {
	for _, o := range objs {
		if c, ok := o.(*widget.Check); ok && c.Text == text {
			return c
		}
	}
	return nil
}

func cardTexts(objs []fyne.CanvasObject) string {
	var b strings.Builder
	for _, o := range objs {
		if l, ok := o.(*widget.Label); ok {
			b.WriteString(l.Text + "\n")
		}
	}
	return b.String()
}

func (h *harness) rule(kind selfcare.ForwardKind) selfcare.ForwardRule {
	h.t.Helper()
	rules, err := h.db.ForwardRules(context.Background(), selfcare.LineFixed)
	if err != nil {
		h.t.Fatal(err)
	}
	r, _ := selfcare.FindRule(rules, kind)
	return r
}

func TestForwardingScreenRules(t *testing.T) {
	h := newHarness(t, true, "fr") // the demo has no-answer, not-reachable and busy active
	h.app.Open(ui.SectionForwarding)
	h.settle()

	t.Run("immediate cannot be turned on while others are", func(t *testing.T) {
		card := h.ruleCard("Renvoi immédiat")
		test.Tap(cardCheck(card, "Activé"))
		h.settle()
		card = h.ruleCard("Renvoi immédiat")
		if !strings.Contains(cardTexts(card), "Le renvoi immédiat prend le pas sur tous les renvois") {
			t.Fatalf("no inline error in the guide's words:\n%s", cardTexts(card))
		}
		if cardCheck(card, "Activé").Checked || h.rule(selfcare.ForwardImmediate).Active {
			t.Fatal("immediate forwarding was turned on")
		}
	})

	t.Run("the delay list is 10 s to 1 min 30 s in 5 s steps", func(t *testing.T) {
		var sel *widget.Select
		for _, o := range h.ruleCard("Renvoi sur non-réponse") {
			if s, ok := o.(*widget.Select); ok {
				sel = s
			}
		}
		if sel == nil || len(sel.Options) != 17 || sel.Options[0] != "10 s" || sel.Options[16] != "1 min 30 s" {
			t.Fatalf("delays %v", sel.Options)
		}
		sel.SetSelected("35 s")
		h.settle()
		if got := h.rule(selfcare.ForwardNoAnswer).Delay; got != 35*time.Second {
			t.Fatalf("saved delay %v", got)
		}
		if !strings.Contains(cardTexts(h.ruleCard("Renvoi sur non-réponse")), "Enregistré ✓") {
			t.Fatal("no confirmation")
		}
	})

	t.Run("a bad number is refused and nothing changes", func(t *testing.T) {
		before := h.rule(selfcare.ForwardNotReachable)
		var entry *widget.Entry
		for _, o := range h.ruleCard("Renvoi sur non-connexion") {
			if e, ok := o.(*widget.Entry); ok {
				entry = e
			}
		}
		entry.SetText("06 12 AB")
		entry.OnSubmitted(entry.Text)
		h.settle()
		if !strings.Contains(cardTexts(h.ruleCard("Renvoi sur non-connexion")), "n'est pas un numéro valide") {
			t.Fatal("no inline error")
		}
		if after := h.rule(selfcare.ForwardNotReachable); after.Number != before.Number || after.Active != before.Active {
			t.Fatalf("rule changed: %+v -> %+v", before, after)
		}
		if entry.Text != "06 71 23 45 67" {
			t.Fatalf("the field should show the saved number again, shows %q", entry.Text)
		}
	})

	t.Run("turning others off lets immediate on with a period", func(t *testing.T) {
		for _, title := range []string{"Renvoi sur non-réponse", "Renvoi sur non-connexion", "Renvoi sur occupation"} {
			if c := cardCheck(h.ruleCard(title), "Activé"); c.Checked {
				test.Tap(c)
				h.settle()
			}
		}
		test.Tap(cardCheck(h.ruleCard("Renvoi immédiat"), "Activé"))
		h.settle()
		if r := h.rule(selfcare.ForwardImmediate); !r.Active || r.Target != selfcare.TargetVoicemail {
			t.Fatalf("immediate %+v", r)
		}
	})
}
