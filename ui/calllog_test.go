package ui_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/ligne-app/ligne/selfcare"
	"github.com/ligne-app/ligne/ui"
)

// radio finds the radio group offering option.
func (h *harness) radio(option string) *widget.RadioGroup {
	h.t.Helper()
	for _, o := range test.LaidOutObjects(h.app.Window().Content()) {
		if r, ok := o.(*widget.RadioGroup); ok {
			for _, opt := range r.Options {
				if opt == option {
					return r
				}
			}
		}
	}
	h.t.Fatalf("no radio group with %q", option)
	return nil
}

// count asks the store how many calls match f.
func (h *harness) count(f selfcare.CallFilter) int {
	h.t.Helper()
	_, n, err := h.db.Calls(context.Background(), f)
	if err != nil {
		h.t.Fatal(err)
	}
	return n
}

func TestCallLogFiltersAndCallBack(t *testing.T) {
	h := newHarness(t, true, "fr")
	h.app.Open(ui.SectionCallLog)
	h.settle()
	h.mustShow("all", fmt.Sprintf("%d appels", h.count(selfcare.CallFilter{Month: now})))
	h.radio("Manqués").SetSelected("Manqués")
	h.settle()
	missed := h.count(selfcare.CallFilter{Month: now, MissedOnly: true})
	if missed == 0 || missed == h.count(selfcare.CallFilter{Month: now}) {
		t.Fatalf("the demo should have some but not only missed calls: %d", missed)
	}
	h.mustShow("missed", fmt.Sprintf("%d appels", missed))
	assertMarkup(t, "calllog_missed.xml", h.app.Window().Canvas())
	h.radio("Manqués").SetSelected("Émis")
	h.radio("Fixe et mobile").SetSelected("Mobile")
	h.settle()
	h.mustShow("outgoing mobile", fmt.Sprintf("%d appels", h.count(selfcare.CallFilter{Month: now, Direction: selfcare.DirectionOut, Line: selfcare.LineMobile})))
	var back *widget.Button
	for _, o := range test.LaidOutObjects(h.app.Window().Content()) {
		if b, ok := o.(*widget.Button); ok && b.Text == "" && b.OnTapped != nil && b.Icon != nil && strings.HasSuffix(b.Icon.Name(), "call.svg") {
			back = b
			break
		}
	}
	if back == nil {
		t.Fatal("no call-back button in the call log")
	}
	test.Tap(back) // the demo has no line: the number goes to the softphone, which explains
	var number string
	for _, e := range h.entries() {
		if e.PlaceHolder == "Numéro, poste ou sip:…" {
			number = e.Text
		}
	}
	if _, _, err := selfcare.NormalizeNumber("", number); err != nil {
		t.Fatalf("call back put %q in the number field", number)
	}
	h.mustShow("call back in the demo", "Espace de démonstration : les appels réels demandent un compte SIP.")
}

func TestCallLogImportRefusesABadFileAndExportsTheMonth(t *testing.T) {
	h := newHarness(t, true, "fr")
	f, err := os.Open("../internal/cdr/testdata/appels-mauvais.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	_, err = h.app.ImportCallsForTest(f)
	if err == nil || !strings.Contains(err.Error(), "Fichier refusé, rien n'a été importé : 6 lignes à corriger.") || !strings.Contains(err.Error(), "ligne 4 (sens)") {
		t.Fatalf("import of a bad file: %v", err)
	}
	var out strings.Builder
	msg, err := h.app.ExportCallsForTest(&out)
	n := h.count(selfcare.CallFilter{Month: now})
	if err != nil || msg != fmt.Sprintf("%d appels exportés.", n) || strings.Count(out.String(), "\n") != n+1 {
		t.Fatalf("export: %q %v (%d lines)", msg, err, strings.Count(out.String(), "\n"))
	}
}

func TestDashboardAndConsumptionGoldens(t *testing.T) {
	h := newHarness(t, true, "fr")
	assertMarkup(t, "dashboard.xml", h.app.Window().Canvas())
	h.app.Open(ui.SectionConsumption)
	h.settle()
	h.mustShow("consumption", "Appels sortants par jour", "Répartition par destination", "Fixes France")
	assertMarkup(t, "consumption.xml", h.app.Window().Canvas())
}

func TestCallLogAddsAnUnknownCallerToContacts(t *testing.T) {
	h := newHarness(t, true, "fr")
	h.app.Open(ui.SectionCallLog)
	h.settle()
	entry := h.entries()[0]
	for _, e := range h.entries() {
		if e.PlaceHolder == "Rechercher un nom ou un numéro" {
			entry = e
		}
	}
	entry.SetText("06 12 98") // a number the demo has no contact for
	h.settle()
	var add *widget.Button
	for _, o := range h.objects() {
		if b, ok := o.(*widget.Button); ok && b.Visible() && b.Text == "" && b.OnTapped != nil && b.Icon != nil && b.Icon.Name() == "foreground_content-add.svg" {
			add = b
		}
	}
	if add == nil {
		t.Fatal("no add-to-contacts button on the unknown caller's row")
	}
	test.Tap(add)
	h.settle()
	h.mustShow("pre-filled form", "06 12 98 76 54")
}

// TestCallLogSaysWhereASimultaneousRingWasAnswered: a call answered on the
// simultaneous ring's other number says so in the call log.
func TestCallLogSaysWhereASimultaneousRingWasAnswered(t *testing.T) {
	h := newHarness(t, true, "fr")
	at := now.Add(-time.Minute)
	_, err := h.db.AddCall(context.Background(), selfcare.CallRecord{Line: selfcare.LineFixed, Direction: selfcare.DirectionIn,
		Remote: "+33144556677", Start: at, Answer: at.Add(5 * time.Second), End: at.Add(40 * time.Second),
		Outcome: selfcare.OutcomeAnswered, ForwardedTo: "+33612345678", Source: selfcare.SourceLigne})
	if err != nil {
		t.Fatal(err)
	}
	h.app.Open(ui.SectionCallLog)
	h.settle()
	if !containsText(h.texts(), "Répondu sur le 06 12 34 56 78 (sonnerie simultanée)") {
		t.Fatalf("the call log does not say where the call was answered: %q", h.texts())
	}
}
