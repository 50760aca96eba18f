package dialplan

import (
	"testing"

	"github.com/ligne-app/ligne/selfcare"
)

func TestNormalize(t *testing.T) {
	cases := []struct{ typed, region, want string }{
		{"+33 1 23 45 67 89", "FR", "+33123456789"},
		{"01 23 45 67 89", "FR", "+33123456789"},
		{"06.12.34.56.78", "FR", "+33612345678"},
		{"4021", "FR", "4021"},
		{"112", "FR", "112"},
		{"sip:alice@example.fr", "FR", "sip:alice@example.fr"},
		{"02 513 89 40", "BE", "+3225138940"},    // a Brussels number for a Belgian user
		{"044 668 18 00", "CH", "+41446681800"},  // Zurich
		{"(415) 555-2671", "US", "+14155552671"}, // San Francisco
		{"+44 20 7946 0958", "FR", "+442079460958"},
	}
	for _, c := range cases {
		got, err := Normalize(c.typed, c.region)
		if err != nil || got != c.want {
			t.Errorf("%q in %s -> %q %v, want %q", c.typed, c.region, got, err, c.want)
		}
	}
	for _, bad := range []string{"01 23 45", "abc", "+33 1 23", "0123456789012345"} {
		if _, err := Normalize(bad, "FR"); selfcare.ErrorCode(err) != selfcare.CodeNumberInvalid {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

func TestDisplay(t *testing.T) {
	if got := Display("+33123456789", "FR"); got != "01 23 45 67 89" {
		t.Error(got)
	}
	if got := Display("+33123456789", "BE"); got != "+33 1 23 45 67 89" {
		t.Error(got)
	}
	if got := Display("4021", "FR"); got != "4021" {
		t.Error(got)
	}
}
