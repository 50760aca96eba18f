package selfcare

// PresentedKind says where a presentable number comes from.
type PresentedKind string

// Kinds of presentable numbers listed by the guide.
const (
	PresentDID       PresentedKind = "did"       // one of the user's SDA
	PresentMobile    PresentedKind = "mobile"    // the mobile line
	PresentGroup     PresentedKind = "group"     // a call group the user belongs to
	PresentAdmin     PresentedKind = "admin"     // a number the administrator lists
	PresentAnonymous PresentedKind = "anonymous" // hidden identity (mobile line only)
)

// PresentedOption is one choice in the presented-number list.
type PresentedOption struct {
	Kind   PresentedKind
	Number string // canonical number, empty for anonymous
	Label  string // DID, group name, or the administrator's label
}

// PresentedNumber is the user's choice for one line.
type PresentedNumber struct {
	Line   LineKind
	Kind   PresentedKind
	Number string
}

// Anonymous reports whether the choice hides the caller's identity.
func (p PresentedNumber) Anonymous() bool { return p.Kind == PresentAnonymous }

// PresentedOptions lists what the user may present on line, from their
// lines and the organization profile, in the guide's order: DIDs, mobile
// line, call groups, administrator numbers, then anonymous for the mobile
// line.
func PresentedOptions(line LineKind, lines []Line, p Profile) []PresentedOption {
	var out []PresentedOption
	if fixed, ok := FindLine(lines, LineFixed); ok {
		for _, n := range fixed.Numbers {
			out = append(out, PresentedOption{Kind: PresentDID, Number: n, Label: FormatNumber(n)})
		}
	}
	if mobile, ok := FindLine(lines, LineMobile); ok {
		for _, n := range mobile.Numbers {
			out = append(out, PresentedOption{Kind: PresentMobile, Number: n, Label: FormatNumber(n)})
		}
	}
	for _, g := range p.CallGroups {
		if g.HasMember(p.User.ID) {
			out = append(out, PresentedOption{Kind: PresentGroup, Number: g.Number, Label: g.Name})
		}
	}
	for _, n := range p.PresentableNumbers {
		out = append(out, PresentedOption{Kind: PresentAdmin, Number: n.Number, Label: n.Label})
	}
	if line == LineMobile {
		out = append(out, PresentedOption{Kind: PresentAnonymous})
	}
	return out
}

// ValidatePresented checks that choice is one of the options for its line.
func ValidatePresented(choice PresentedNumber, lines []Line, p Profile) error {
	if !choice.Line.Valid() {
		return Errorf(CodeLineInvalid, "line", string(choice.Line))
	}
	if choice.Kind == PresentAnonymous && choice.Line != LineMobile {
		return Errorf(CodeAnonymousMobileOnly, "presented")
	}
	for _, o := range PresentedOptions(choice.Line, lines, p) {
		if o.Kind == choice.Kind && SameNumber(o.Number, choice.Number) {
			return nil
		}
	}
	return Errorf(CodePresentedNotAllowed, "presented", FormatNumber(choice.Number))
}

// DefaultPresented is the first option for line, the line's own number.
func DefaultPresented(line LineKind, lines []Line, p Profile) PresentedNumber {
	opts := PresentedOptions(line, lines, p)
	if l, ok := FindLine(lines, line); ok && len(l.Numbers) > 0 {
		for _, o := range opts {
			if o.Number == l.Numbers[0] {
				return PresentedNumber{Line: line, Kind: o.Kind, Number: o.Number}
			}
		}
	}
	if len(opts) == 0 {
		return PresentedNumber{Line: line}
	}
	return PresentedNumber{Line: line, Kind: opts[0].Kind, Number: opts[0].Number}
}
