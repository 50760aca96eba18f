package contactio

import (
	"strings"

	"github.com/emersion/go-vcard"
	"github.com/ligne-app/ligne/selfcare"
)

// fillFromCard reads a decoded card into the entry: name (FN, else N, else
// the organization), organization and department (ORG), every voice
// number (TEL), the preferred email and the note.
func fillFromCard(b *entryBuilder, card vcard.Card) {
	c := &b.contact
	if org := card.Value(vcard.FieldOrganization); org != "" {
		parts := structured(org)
		c.Company = parts[0]
		if len(parts) > 1 {
			c.Department = strings.Join(nonEmpty(parts[1:]), ", ")
		}
	}
	c.Name = cardName(card, c.Company)
	for _, f := range card[vcard.FieldTelephone] {
		if t, ok := telType(f, labelOf(card, f.Group)); ok {
			b.addNumber(t, telValue(f.Value))
		}
	}
	c.Email = textValue(card.PreferredValue(vcard.FieldEmail))
	c.Notes = textValue(card.Value(vcard.FieldNote))
}

// cardName is FN, else the parts of N, else the organization.
func cardName(card vcard.Card, company string) string {
	if fn := textValue(card.PreferredValue(vcard.FieldFormattedName)); fn != "" {
		return fn
	}
	if n := card.Get(vcard.FieldName); n != nil {
		p := append(structured(n.Value), "", "", "", "", "")
		if name := strings.Join(nonEmpty([]string{p[3], p[1], p[2], p[0], p[4]}), " "); name != "" {
			return name
		}
	}
	return company
}

// labelOf returns the X-ABLabel Google and Apple give a grouped property.
func labelOf(card vcard.Card, group string) string {
	if group == "" {
		return ""
	}
	for _, f := range card["X-ABLABEL"] {
		if strings.EqualFold(f.Group, group) {
			return textValue(f.Value)
		}
	}
	return ""
}

// telType maps the TYPE parameters (or a label) of a TEL to a number
// type. Fax and pager numbers are not voice numbers: ok is false.
func telType(f *vcard.Field, label string) (selfcare.NumberType, bool) {
	types := f.Params.Types()
	if label != "" {
		types = append(types, label)
	}
	return numberType(types)
}

// numberType maps type names or labels, in English or French, to a number
// type (work when none says); ok is false for fax and pager numbers.
func numberType(types []string) (selfcare.NumberType, bool) {
	t := selfcare.NumberType("")
	for _, raw := range types {
		switch v := strings.ToLower(strings.TrimSpace(raw)); v {
		case "fax", "pager", "x-fax", "télécopie", "telecopie":
			return "", false
		case "cell", "mobile", "iphone", "portable", "x-mobile":
			t = selfcare.NumberMobile
		case "home", "domicile", "maison", "personnel":
			t = firstType(t, selfcare.NumberHome)
		case "work", "main", "bureau", "travail", "standard", "company", "x-work":
			t = firstType(t, selfcare.NumberWork)
		case "other", "autre":
			t = firstType(t, selfcare.NumberOther)
		}
	}
	if t == "" {
		t = selfcare.NumberWork
	}
	return t, true
}

// firstType keeps a type already chosen; a mobile is never demoted.
func firstType(have, t selfcare.NumberType) selfcare.NumberType {
	if have != "" {
		return have
	}
	return t
}

// telValue returns the number of a TEL value: plain text, or a tel: URI
// whose parameters (;ext=, ;phone-context=) are dropped.
func telValue(v string) string {
	v = textValue(v)
	if strings.HasPrefix(strings.ToLower(v), "tel:") {
		v = v[4:]
		if i := strings.IndexByte(v, ';'); i >= 0 {
			v = v[:i]
		}
	}
	return v
}

// nonEmpty drops empty strings.
func nonEmpty(ss []string) []string {
	var out []string
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}
