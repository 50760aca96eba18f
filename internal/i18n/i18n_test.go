package i18n

import (
	"testing"

	"github.com/ligne-app/ligne/selfcare"
)

func TestCatalogsHaveTheSameKeys(t *testing.T) {
	if _, err := load(); err != nil {
		t.Fatal(err)
	}
	fr, en := map[string]bool{}, map[string]bool{}
	for _, k := range Keys("fr") {
		fr[k] = true
	}
	for _, k := range Keys("en") {
		en[k] = true
		if !fr[k] {
			t.Errorf("%q is in English only", k)
		}
	}
	for k := range fr {
		if !en[k] {
			t.Errorf("%q is in French only", k)
		}
	}
	if len(fr) < 100 {
		t.Fatalf("only %d keys", len(fr))
	}
}

func TestTranslate(t *testing.T) {
	fr, en := New("fr"), New("en")
	if fr.T("nav.dashboard") != "Tableau de bord" || en.T("nav.dashboard") != "Dashboard" {
		t.Fatal(fr.T("nav.dashboard"), en.T("nav.dashboard"))
	}
	if New("de").Lang() != selfcare.LangFrench {
		t.Fatal("unknown languages fall back to French")
	}
	if got := en.T("calllog.count", 3); got != "3 calls" {
		t.Fatal(got)
	}
	if got := en.T("no.such.key"); got != "no.such.key" {
		t.Fatal(got)
	}
	if got := en.Err(selfcare.Errorf(selfcare.CodePINInvalid, "pin")); got != "The code must have 4 to 8 digits." {
		t.Fatal(got)
	}
}
