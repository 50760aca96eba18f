package selfcare

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"testing"
)

// FuzzParseProfile feeds any bytes to the organization-profile parser
// (what `lignectl profile load` and the window load from a file or an
// HTTPS URL). It must never panic; every refusal must be domain errors
// with a message in both languages; an accepted profile must be stable:
// normalizing it again, or saving it as JSON and loading that, gives the
// same profile.
// Seeds: testdata/fuzz/FuzzParseProfile (the demo profile, small valid
// and invalid profiles).
func FuzzParseProfile(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParseProfile(bytes.NewReader(data))
		if err != nil {
			checkUserErrors(t, err)
			return
		}
		again, err := p.Normalize()
		if err != nil || !reflect.DeepEqual(again, p) {
			t.Fatalf("normalizing an accepted profile again changed it or failed: %v", err)
		}
		saved, err := json.Marshal(p)
		if err != nil {
			t.Fatalf("an accepted profile cannot be saved: %v", err)
		}
		back, err := ParseProfile(bytes.NewReader(saved))
		if err != nil || !reflect.DeepEqual(back, p) {
			t.Fatalf("a saved profile does not load back the same: %v\n%s", err, saved)
		}
	})
}

// checkUserErrors holds every error joined in err to be a domain error
// the user can read in French and English.
func checkUserErrors(t *testing.T, err error) {
	t.Helper()
	errs := []error{err}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	}
	for _, e := range errs {
		var de *Error
		if !errors.As(e, &de) || de.Code == CodeInternal {
			t.Fatalf("refused with a non-user error: %v", e)
		}
		if _, ok := messages[de.Code]; !ok {
			t.Fatalf("code %q has no message", de.Code)
		}
	}
}
