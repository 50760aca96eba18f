package provision

import "github.com/ligne-app/ligne/selfcare"

// slotKind is what a physical key does.
type slotKind int

// Key functions Ligne programs.
const (
	slotNone      slotKind = iota // unused: cleared so no old key lingers
	slotLine                      // the user's line
	slotBLF                       // supervision: busy lamp field, press to pick up
	slotSpeedDial                 // shortcut: dials a number
)

// slot is one physical key: on the phone (Module 0) or on an expansion
// module (Module 1..n), Index counting from 1 on each.
type slot struct {
	Module int
	Index  int
	Kind   slotKind
	Label  string
	Value  string // extension supervised or number dialled
	Pickup string // Yealink BLF: the directed pickup code + extension
}

// layout places the line key and then the function keys on the model's
// keys, phone first then expansion modules, filling the rest with unused
// keys. More keys than the model holds is an error naming its limit.
func layout(in Input) ([]slot, error) {
	m := in.Model
	if len(in.Keys) > m.FunctionKeyCapacity() {
		return nil, selfcare.Errorf(selfcare.CodeKeysOverCapacity, "keys", m.Name, m.FunctionKeyCapacity())
	}
	out := make([]slot, 0, m.KeyCapacity())
	for i := range m.KeyCapacity() {
		s := position(m, i)
		switch {
		case i < selfcare.AccountLineKeys:
			s.Kind, s.Label = slotLine, lineLabel(in)
		case i-selfcare.AccountLineKeys < len(in.Keys):
			fillKey(&s, in.Keys[i-selfcare.AccountLineKeys], in.Company.PickupPrefix)
		}
		out = append(out, s)
	}
	return out, nil
}

// position returns the module and index of the i-th key (from 0).
func position(m selfcare.Model, i int) slot {
	if i < m.LineKeys {
		return slot{Index: i + 1}
	}
	j := i - m.LineKeys
	return slot{Module: j/m.ExpansionKeys + 1, Index: j%m.ExpansionKeys + 1}
}

// fillKey turns a function key into what the phone's key does.
func fillKey(s *slot, k Key, pickupPrefix string) {
	s.Label, s.Value = k.Label, k.Number
	switch k.Kind {
	case selfcare.KeySupervision:
		s.Kind = slotBLF
		if pickupPrefix != "" {
			s.Pickup = pickupPrefix + k.Number
		}
	default:
		s.Kind = slotSpeedDial
	}
}

// lineLabel is what the line key shows: the extension, else the user.
func lineLabel(in Input) string {
	if in.Line.Extension != "" {
		return in.Line.Extension
	}
	return in.Account.User
}

// used returns the slots that do something, in order.
func used(slots []slot, k slotKind) []slot {
	var out []slot
	for _, s := range slots {
		if s.Kind == k {
			out = append(out, s)
		}
	}
	return out
}
