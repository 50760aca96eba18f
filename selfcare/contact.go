package selfcare

import (
	"net/mail"
	"strconv"
	"strings"
)

// ContactKind tells the company directory from the user's own contacts.
type ContactKind string

// Contact kinds of the guide: internal ones show in red, external in green.
const (
	ContactInternal ContactKind = "internal"
	ContactExternal ContactKind = "external"
)

// NumberType labels a contact's number.
type NumberType string

// Number types.
const (
	NumberWork   NumberType = "work"
	NumberMobile NumberType = "mobile"
	NumberHome   NumberType = "home"
	NumberOther  NumberType = "other"
)

// TypedNumber is one number of a contact.
type TypedNumber struct {
	Type   NumberType `json:"type"`
	Number string     `json:"number"`
}

// Contact is an internal (directory) or external (personal) contact.
// Internal IDs come from the directory ("dir:<id>" or "ldap:<dn>");
// external IDs are "ext:<n>" given by the store.
type Contact struct {
	ID         string
	Kind       ContactKind
	Name       string
	Company    string
	Department string
	Numbers    []TypedNumber
	Extension  string // internal only: the colleague's extension, the BLF target
	Email      string
	Notes      string
	Source     string // "profile", "ldap", "import", "user"
}

// Editable reports whether the user may change or delete the contact.
func (c Contact) Editable() bool { return c.Kind == ContactExternal }

// FirstNumber returns the number to call: extension first for colleagues.
func (c Contact) FirstNumber() string {
	if c.Extension != "" {
		return c.Extension
	}
	if len(c.Numbers) > 0 {
		return c.Numbers[0].Number
	}
	return ""
}

// ContactIndex finds contacts by ID; the store and in-memory lists
// implement it.
type ContactIndex interface {
	Contact(id string) (Contact, bool)
}

// ContactList is an in-memory ContactIndex.
type ContactList []Contact

// Contact returns the contact with id.
func (l ContactList) Contact(id string) (Contact, bool) {
	for _, c := range l {
		if c.ID == id {
			return c, true
		}
	}
	return Contact{}, false
}

// NormalizeContact validates an external contact written by the user and
// returns it with canonical numbers and trimmed fields.
func NormalizeContact(c Contact) (Contact, error) {
	if c.Kind != ContactExternal {
		return c, Errorf(CodeContactReadOnly, "kind")
	}
	c.Name = strings.TrimSpace(c.Name)
	if c.Name == "" {
		return c, Errorf(CodeRequired, "name")
	}
	if len([]rune(c.Name)) > 100 || len([]rune(c.Company)) > 100 {
		return c, Errorf(CodeTooLong, "name", 100)
	}
	if len(c.Notes) > 4000 {
		return c, Errorf(CodeTooLong, "notes", 4000)
	}
	if c.Email = strings.TrimSpace(c.Email); c.Email != "" {
		if err := ValidateEmail("email", c.Email); err != nil {
			return c, err
		}
	}
	if len(c.Numbers) == 0 {
		return c, Errorf(CodeContactNoNumber, "numbers")
	}
	for i := range c.Numbers {
		n, _, err := NormalizeNumber("numbers."+itoa(i+1), c.Numbers[i].Number)
		if err != nil {
			return c, err
		}
		c.Numbers[i].Number = n
		if c.Numbers[i].Type == "" {
			c.Numbers[i].Type = NumberWork
		}
	}
	return c, nil
}

// ValidateEmail checks a bare address (no display name).
func ValidateEmail(field, s string) error {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || !strings.Contains(s[strings.LastIndex(s, "@")+1:], ".") {
		return Errorf(CodeEmailInvalid, field, s)
	}
	return nil
}

func itoa(i int) string { return strconv.Itoa(i) }
