package directory

import (
	"strings"

	"github.com/go-ldap/ldap/v3"
	"github.com/ligne-app/ligne/selfcare"
)

// toContacts turns entries into internal contacts; entries without a name
// or without any number are left out and counted.
func toContacts(entries []*ldap.Entry, m Mapping) Result {
	var r Result
	for _, e := range entries {
		if c, ok := toContact(e, m); ok {
			r.Contacts = append(r.Contacts, c)
		} else {
			r.Skipped++
		}
	}
	return r
}

// toContact reads one entry. Its id is "ldap:" and the DN. Numbers that
// are not numbers are dropped; an extension comes from the extension
// attribute, or from a work number that is a short internal number.
func toContact(e *ldap.Entry, m Mapping) (selfcare.Contact, bool) {
	c := selfcare.Contact{ID: "ldap:" + strings.ToLower(e.DN), Kind: selfcare.ContactInternal, Source: Source,
		Name: value(e, m.Name), Company: value(e, m.Company), Department: value(e, m.Department)}
	if c.Name == "" {
		return c, false
	}
	if mail := value(e, m.Email); selfcare.ValidateEmail("email", mail) == nil {
		c.Email = mail
	}
	for _, raw := range values(e, m.Extension) {
		if n, kind, err := selfcare.NormalizeNumber("", raw); err == nil && kind == selfcare.NumberExtension && c.Extension == "" {
			c.Extension = n
		}
	}
	add := func(t selfcare.NumberType, attr string) {
		for _, raw := range values(e, attr) {
			addNumber(&c, t, raw)
		}
	}
	add(selfcare.NumberWork, m.Work)
	add(selfcare.NumberMobile, m.Mobile)
	add(selfcare.NumberHome, m.Home)
	return c, c.Extension != "" || len(c.Numbers) > 0
}

// value returns the first value of attr, trimmed ("" without attr).
func value(e *ldap.Entry, attr string) string {
	if attr == "" {
		return ""
	}
	return strings.TrimSpace(e.GetEqualFoldAttributeValue(attr))
}

func values(e *ldap.Entry, attr string) []string {
	if attr == "" {
		return nil
	}
	return e.GetEqualFoldAttributeValues(attr)
}

// addNumber adds raw to c once normalized; a short internal number given
// as a work number becomes the extension when c has none.
func addNumber(c *selfcare.Contact, t selfcare.NumberType, raw string) {
	n, kind, err := selfcare.NormalizeNumber("", raw)
	if err != nil {
		return
	}
	if kind == selfcare.NumberExtension {
		if c.Extension == "" && t == selfcare.NumberWork {
			c.Extension = n
		}
		return
	}
	for _, have := range c.Numbers {
		if have.Number == n {
			return
		}
	}
	c.Numbers = append(c.Numbers, selfcare.TypedNumber{Type: t, Number: n})
}
