package contactio

import (
	"bytes"
	"reflect"
	"testing"
	"unicode/utf8"

	"github.com/ligne-app/ligne/selfcare"
)

// FuzzReadContacts feeds any bytes to the contacts importer (vCard or
// CSV, told apart by content; what the Contacts screen and `lignectl
// contacts import` read). It must never panic; every problem is reported
// in the user's words; every contact kept is one the store accepts as is,
// and our own vCard export of them (3.0 and 4.0) reads back the same.
// Seeds: testdata/fuzz/FuzzReadContacts (Google, Outlook, Thunderbird
// exports, a directory CSV, a broken vCard).
func FuzzReadContacts(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		rep, err := Read(bytes.NewReader(data))
		if err != nil {
			if selfcare.ErrorCode(err) == selfcare.CodeInternal {
				t.Fatalf("refused with an internal error: %v", err)
			}
			return
		}
		for _, p := range rep.Problems {
			if selfcare.ErrorCode(p.Err) == selfcare.CodeInternal || p.Line < 1 {
				t.Fatalf("problem without a user message: %+v", p)
			}
		}
		cs := rep.Contacts()
		for _, c := range cs {
			checkContact(t, c)
		}
		for _, version := range []string{"3.0", "4.0"} {
			roundTrip(t, cs, version)
		}
	})
}

// checkContact holds a kept contact to be valid and already normalized.
func checkContact(t *testing.T, c selfcare.Contact) {
	t.Helper()
	n, err := selfcare.NormalizeContact(c)
	if err != nil || !reflect.DeepEqual(n, c) {
		t.Fatalf("kept contact is not valid as is (%v):\n%+v\n%+v", err, c, n)
	}
	for _, s := range []string{c.Name, c.Company, c.Department, c.Email, c.Notes} {
		if !utf8.ValidString(s) {
			t.Fatalf("kept contact has invalid UTF-8: %q", s)
		}
	}
}

// roundTrip exports contacts as vCard and reads them back.
func roundTrip(t *testing.T, cs []selfcare.Contact, version string) {
	t.Helper()
	if len(cs) == 0 {
		return
	}
	var buf bytes.Buffer
	if err := WriteVCard(&buf, cs, version); err != nil {
		t.Fatalf("export vCard %s: %v", version, err)
	}
	back, err := Read(&buf)
	if err != nil || back.Refused() != 0 || len(back.Entries) != len(cs) {
		t.Fatalf("our vCard %s export reads back as %d contacts, %d refused (%v):\n%s", version, len(back.Entries), back.Refused(), err, buf.String())
	}
	for i, c := range back.Contacts() {
		if c.Name != cs[i].Name || !reflect.DeepEqual(c.Numbers, cs[i].Numbers) {
			t.Fatalf("contact %d changed through vCard %s:\n%+v\n%+v", i, version, cs[i], c)
		}
	}
}
