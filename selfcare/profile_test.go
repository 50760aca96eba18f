package selfcare

import (
	"errors"
	"os"
	"strings"
	"testing"
)

func testProfile() Profile {
	return Profile{
		Schema:  ProfileSchema,
		Company: Company{Name: "Test SA", SIPDomain: "sip.test.fr", TimeZone: "Europe/Paris"},
		User: ProfileUser{ID: "u42", Name: "Camille", Lines: []ProfileLine{
			{Kind: LineFixed, Extension: "4021", Numbers: []string{"+33144556677", "+33144556678"}},
			{Kind: LineMobile, Numbers: []string{"+33612345678"}},
		}},
		Rights:             Rights{SupervisionKeys: true, ShortcutKeys: true},
		CallGroups:         []CallGroup{{ID: "g1", Name: "Accueil", Number: "+33144550000", Members: []string{"u42"}}, {ID: "g2", Name: "Compta", Number: "+33144551111", Members: []string{"u7"}}},
		PresentableNumbers: []PresentableNumber{{Number: "+33144559999", Label: "Standard"}},
	}
}

func TestDemoProfileIsValid(t *testing.T) {
	f, err := os.Open("../assets/demo/profile.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	p, err := ParseProfile(f)
	if err != nil {
		t.Fatalf("demo profile: %v", err)
	}
	if len(p.Directory) < 24 || len(p.User.Devices) != 2 || len(p.CallGroups) == 0 || len(p.Documents) == 0 || len(p.DialogOptions) == 0 {
		t.Fatalf("demo profile too thin: %d colleagues, %d devices", len(p.Directory), len(p.User.Devices))
	}
	models := map[string]bool{}
	for _, d := range p.User.Devices {
		models[d.Model] = true
	}
	if !models["T46U"] || !models["VVX 450"] {
		t.Fatalf("demo devices %v", models)
	}
}

func TestParseProfileErrors(t *testing.T) {
	cases := []struct {
		name, json string
		code       Code
		field      string
	}{
		{"not json", `{"schema": `, CodeProfileSyntax, ""},
		{"wrong schema", `{"schema":"other/2"}`, CodeProfileSchema, "schema"},
		{"unknown field", `{"schema":"ligne.profile/1","compagny":{}}`, CodeProfileSyntax, ""},
		{"bad did", `{"schema":"ligne.profile/1","company":{"name":"A","sip_domain":"a.fr"},"user":{"id":"u","name":"U","lines":[{"kind":"fixed","numbers":["12ab"]}]}}`, CodeNumberInvalid, "user.lines[0].numbers[0]"},
		{"bad mac", `{"schema":"ligne.profile/1","company":{"name":"A","sip_domain":"a.fr"},"user":{"id":"u","name":"U","lines":[{"kind":"fixed"}],"devices":[{"model":"T46U","mac":"xyz"}]}}`, CodeMACInvalid, "user.devices[0].mac"},
		{"duplicate colleague", `{"schema":"ligne.profile/1","company":{"name":"A","sip_domain":"a.fr"},"user":{"id":"u","name":"U","lines":[{"kind":"fixed"}]},"directory":[{"id":"a","name":"A","extension":"4001"},{"id":"a","name":"B","extension":"4002"}]}`, CodeDuplicate, "directory[1].id"},
		{"document both sources", `{"schema":"ligne.profile/1","company":{"name":"A","sip_domain":"a.fr"},"user":{"id":"u","name":"U","lines":[{"kind":"fixed"}]},"documents":[{"id":"d","title":"T","kind":"video","url":"https://x.fr/v","bundled":"a.pdf"}]}`, CodeDocumentSource, "documents[0]"},
		{"document traversal", `{"schema":"ligne.profile/1","company":{"name":"A","sip_domain":"a.fr"},"user":{"id":"u","name":"U","lines":[{"kind":"fixed"}]},"documents":[{"id":"d","title":"T","kind":"solution","bundled":"../../etc/passwd"}]}`, CodePathInvalid, "documents[0].bundled"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseProfile(strings.NewReader(c.json))
			var e *Error
			if !errors.As(err, &e) || !hasError(err, c.code, c.field) {
				t.Fatalf("got %v, want %s at %q", err, c.code, c.field)
			}
		})
	}
}

// hasError reports whether the joined err holds an *Error with code at field.
func hasError(err error, code Code, field string) bool {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			if hasError(e, code, field) {
				return true
			}
		}
		return false
	}
	var e *Error
	return errors.As(err, &e) && e.Code == code && e.Field == field
}

func TestParseProfileTooLarge(t *testing.T) {
	big := strings.NewReader(`{"schema":"` + strings.Repeat(" ", MaxProfileSize) + `"}`)
	if _, err := ParseProfile(big); ErrorCode(err) != CodeProfileTooLarge {
		t.Fatal(err)
	}
}
