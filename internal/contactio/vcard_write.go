package contactio

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/emersion/go-vcard"
	"github.com/ligne-app/ligne/selfcare"
)

// vCard versions Ligne writes.
const (
	VCard3 = "3.0" // read by Google Contacts, Outlook and Thunderbird alike
	VCard4 = "4.0" // RFC 6350, what Thunderbird itself exports
)

// WriteVCard writes cs as vCard cards of version VCard3 or VCard4, lines
// folded at 75 octets as RFC 6350 asks.
func WriteVCard(w io.Writer, cs []selfcare.Contact, version string) error {
	if version != VCard3 && version != VCard4 {
		return selfcare.Errorf(selfcare.CodeChoiceInvalid, "version", version)
	}
	fw := &foldWriter{w: w}
	enc := vcard.NewEncoder(fw)
	for _, c := range cs {
		if err := enc.Encode(toCard(c, version)); err != nil {
			return fmt.Errorf("write vcard %s: %w", c.ID, err)
		}
	}
	return fw.err
}

// toCard builds the card of a contact.
func toCard(c selfcare.Contact, version string) vcard.Card {
	card := vcard.Card{}
	card.SetValue(vcard.FieldVersion, version)
	card.SetValue(vcard.FieldProductID, "-//Ligne//Ligne//FR")
	card.SetValue(vcard.FieldFormattedName, c.Name)
	card.SetName(splitName(c.Name))
	if org := orgValue(c); org != "" {
		card.Set(vcard.FieldOrganization, &vcard.Field{Value: org})
	}
	for _, n := range c.Numbers {
		card.Add(vcard.FieldTelephone, telField(n, version))
	}
	if c.Email != "" {
		f := &vcard.Field{Value: c.Email, Params: vcard.Params{}}
		if version == VCard3 {
			f.Params.Set(vcard.ParamType, "INTERNET")
		}
		card.Add(vcard.FieldEmail, f)
	}
	if c.Notes != "" {
		card.SetValue(vcard.FieldNote, c.Notes)
	}
	if version == VCard4 {
		card.SetKind(vcard.KindIndividual)
	}
	return card
}

// splitName makes N from a full name: the last word is the family name.
func splitName(name string) *vcard.Name {
	words := strings.Fields(name)
	if len(words) < 2 {
		return &vcard.Name{FamilyName: name}
	}
	return &vcard.Name{FamilyName: words[len(words)-1], GivenName: strings.Join(words[:len(words)-1], " ")}
}

// orgValue is ORG: the company, then the department, without semicolons
// of their own (they separate the parts).
func orgValue(c selfcare.Contact) string {
	clean := func(s string) string { return strings.ReplaceAll(s, ";", ",") }
	if c.Department == "" {
		return clean(c.Company)
	}
	return clean(c.Company) + ";" + clean(c.Department)
}

// telField writes a number: TYPE=CELL and the number as text in 3.0, a
// tel: URI with a lower-case type in 4.0.
func telField(n selfcare.TypedNumber, version string) *vcard.Field {
	t := map[selfcare.NumberType]string{selfcare.NumberMobile: "cell", selfcare.NumberHome: "home",
		selfcare.NumberWork: "work", selfcare.NumberOther: "other"}[n.Type]
	if t == "" {
		t = "voice"
	}
	f := &vcard.Field{Value: n.Number, Params: vcard.Params{}}
	if version == VCard3 {
		f.Params.Set(vcard.ParamType, strings.ToUpper(t))
		return f
	}
	f.Params.Set(vcard.ParamType, t)
	f.Params.Set(vcard.ParamValue, "uri")
	if !strings.HasPrefix(n.Number, "sip:") && !strings.HasPrefix(n.Number, "sips:") {
		f.Value = "tel:" + n.Number
	}
	return f
}

// foldWriter folds lines longer than 75 octets (CRLF and a space), cutting
// between characters, never inside one.
type foldWriter struct {
	w   io.Writer
	buf bytes.Buffer
	err error
}

// Write buffers p and writes every complete line, folded.
func (f *foldWriter) Write(p []byte) (int, error) {
	f.buf.Write(p)
	for f.err == nil {
		i := bytes.Index(f.buf.Bytes(), []byte("\r\n"))
		if i < 0 {
			break
		}
		line := string(f.buf.Next(i + 2)[:i])
		_, f.err = io.WriteString(f.w, fold(line))
	}
	return len(p), f.err
}

// fold cuts line into pieces of at most 75 octets.
func fold(line string) string {
	var sb strings.Builder
	limit := 75
	for len(line) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(line[cut]) {
			cut--
		}
		sb.WriteString(line[:cut] + "\r\n ")
		line, limit = line[cut:], 74
	}
	sb.WriteString(line + "\r\n")
	return sb.String()
}
