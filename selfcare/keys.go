package selfcare

import "strings"

// KeyKind is the kind of a programmable function key.
type KeyKind string

// Function key kinds of the guide.
const (
	KeySupervision KeyKind = "supervision" // BLF: watch and pick up an internal colleague
	KeyShortcut    KeyKind = "shortcut"    // speed dial towards an external contact
)

// FunctionKey is one programmable key, in display order (Position 1 first).
type FunctionKey struct {
	Position  int
	Kind      KeyKind
	ContactID string // the internal directory id or the external contact id
	Label     string
	Number    string // what the key dials or supervises (extension or number)
}

// Rights are what the administrator lets the user configure.
type Rights struct {
	SupervisionKeys bool `json:"supervision_keys"`
	ShortcutKeys    bool `json:"shortcut_keys"`
	MaxSupervised   int  `json:"max_supervised"` // 0: no limit beyond the model
	ExternalContact bool `json:"external_contacts"`
}

// ValidateKeys checks a whole key set against the contacts, the rights and
// the capacity of the smallest model among the user's devices (capacity 0
// means no device limits the set). It returns the first violation.
func ValidateKeys(keys []FunctionKey, contacts ContactIndex, r Rights, capacity int, modelName string) error {
	if capacity > 0 && len(keys) > capacity {
		return Errorf(CodeKeysOverCapacity, "keys", modelName, capacity)
	}
	supervised := 0
	seen := map[int]bool{}
	for i, k := range keys {
		if k.Position < 1 || seen[k.Position] {
			return Errorf(CodeKeyPositionInvalid, keyField(i), k.Position)
		}
		seen[k.Position] = true
		if err := validateKey(i, k, contacts, r); err != nil {
			return err
		}
		if k.Kind == KeySupervision {
			supervised++
		}
	}
	if r.MaxSupervised > 0 && supervised > r.MaxSupervised {
		return Errorf(CodeSupervisionLimit, "keys", r.MaxSupervised)
	}
	return nil
}

// validateKey checks one key: its kind is granted and matches the contact.
func validateKey(i int, k FunctionKey, contacts ContactIndex, r Rights) error {
	field := keyField(i)
	if len([]rune(k.Label)) > 20 {
		return Errorf(CodeTooLong, field+".label", 20)
	}
	c, ok := contacts.Contact(k.ContactID)
	if !ok {
		return Errorf(CodeContactUnknown, field, k.ContactID)
	}
	switch k.Kind {
	case KeySupervision:
		if !r.SupervisionKeys {
			return Errorf(CodeRightDenied, field)
		}
		if c.Kind != ContactInternal {
			return Errorf(CodeSupervisionInternalOnly, field)
		}
	case KeyShortcut:
		if !r.ShortcutKeys {
			return Errorf(CodeRightDenied, field)
		}
		if c.Kind != ContactExternal {
			return Errorf(CodeShortcutExternalOnly, field)
		}
	default:
		return Errorf(CodeChoiceInvalid, field, string(k.Kind))
	}
	return nil
}

func keyField(i int) string { return "keys." + itoa(i+1) }

// KeyLabel returns the label a key shows: its own, or the contact's name
// cut to the width of a desk phone's key.
func KeyLabel(k FunctionKey, c Contact) string {
	l := strings.TrimSpace(k.Label)
	if l == "" {
		l = c.Name
	}
	if r := []rune(l); len(r) > 20 {
		l = string(r[:20])
	}
	return l
}
