package selfcare

// LineKind tells the fixed line from the advanced mobile line.
type LineKind string

// Line kinds of the guide.
const (
	LineFixed  LineKind = "fixed"  // ligne fixe
	LineMobile LineKind = "mobile" // ligne mobile avancée
)

// Valid reports whether k is a known line kind.
func (k LineKind) Valid() bool { return k == LineFixed || k == LineMobile }

// Line is one of the user's lines with its numbers. For the fixed line,
// Extension is the main extension (poste principal) and Numbers are the DIDs
// (SDA) associated with it; for the mobile line, Numbers are its numbers.
type Line struct {
	Kind      LineKind
	Label     string
	Extension string
	Numbers   []string // canonical numbers (see NormalizeNumber)
}

// MainNumber returns the line's first number, or the extension when it has
// no public number.
func (l Line) MainNumber() string {
	if len(l.Numbers) > 0 {
		return l.Numbers[0]
	}
	return l.Extension
}

// FindLine returns the line of kind k among lines.
func FindLine(lines []Line, k LineKind) (Line, bool) {
	for _, l := range lines {
		if l.Kind == k {
			return l, true
		}
	}
	return Line{}, false
}

// HasMobile reports whether the user has the advanced mobile line.
func HasMobile(lines []Line) bool {
	_, ok := FindLine(lines, LineMobile)
	return ok
}
