package selfcare

import (
	"net/url"
	"strings"
)

// NumberKind says what a dialable string is.
type NumberKind int

// Kinds of dialable strings.
const (
	NumberInvalid   NumberKind = iota
	NumberE164                 // +33123456789
	NumberExtension            // an internal short number (2 to 6 digits, not starting with 0)
	NumberService              // a short public number (15, 17, 112, 3949...)
	NumberSIPURI               // sip:user@host
)

// NormalizeNumber turns what a user typed into a canonical form: E.164 for
// public numbers (French national numbers become +33...), the bare digits
// for extensions and short numbers, the URI for sip: addresses. Spaces, dots,
// dashes and parentheses are ignored. It reports the kind, or an *Error
// CodeNumberInvalid on field when the input is not a number.
func NormalizeNumber(field, s string) (string, NumberKind, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return "", NumberInvalid, Errorf(CodeRequired, field)
	}
	lower := strings.ToLower(t)
	if strings.HasPrefix(lower, "sip:") || strings.HasPrefix(lower, "sips:") {
		if validSIPURI(t) {
			return t, NumberSIPURI, nil
		}
		return "", NumberInvalid, Errorf(CodeNumberInvalid, field, s)
	}
	lower = strings.TrimPrefix(lower, "tel:")
	digits, plus, ok := stripNumber(lower)
	if !ok {
		return "", NumberInvalid, Errorf(CodeNumberInvalid, field, s)
	}
	n, kind := classifyDigits(digits, plus)
	if kind == NumberInvalid {
		return "", NumberInvalid, Errorf(CodeNumberInvalid, field, s)
	}
	return n, kind, nil
}

// stripNumber keeps the digits of s, dropping visual separators. It reports
// whether s started with + (or 00) and whether s held only allowed runes.
func stripNumber(s string) (digits string, plus bool, ok bool) {
	var b strings.Builder
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && i == 0:
			plus = true
		case r == ' ' || r == '.' || r == '-' || r == '(' || r == ')' || r == '/' || r == '\u00a0':
		default:
			return "", false, false
		}
	}
	d := b.String()
	if !plus && strings.HasPrefix(d, "00") {
		d, plus = d[2:], true
	}
	return d, plus, d != ""
}

// classifyDigits decides the kind of a digit string (without separators).
func classifyDigits(d string, plus bool) (string, NumberKind) {
	switch {
	case plus && len(d) >= 8 && len(d) <= 15 && d[0] != '0':
		return "+" + d, NumberE164
	case plus:
		return "", NumberInvalid
	case len(d) == 10 && d[0] == '0' && d[1] != '0':
		return "+33" + d[1:], NumberE164
	case len(d) >= 2 && len(d) <= 6 && d[0] != '0':
		if isServiceNumber(d) {
			return d, NumberService
		}
		return d, NumberExtension
	}
	return "", NumberInvalid
}

// isServiceNumber reports French emergency and short service numbers.
func isServiceNumber(d string) bool {
	switch d {
	case "15", "17", "18", "112", "114", "115", "119", "116000", "191", "196", "197":
		return true
	}
	return len(d) == 4 && d[0] == '3' // 3xxx short services (3949, 3631...)
}

// validSIPURI accepts sip:user@host[:port] and sip:host with a plain host.
func validSIPURI(s string) bool {
	rest := s[strings.Index(s, ":")+1:]
	if i := strings.IndexAny(rest, ";?"); i >= 0 {
		rest = rest[:i]
	}
	host := rest
	if at := strings.LastIndex(rest, "@"); at >= 0 {
		if at == 0 {
			return false
		}
		host = rest[at+1:]
	}
	if host == "" || strings.ContainsAny(host, " \t<>\"") {
		return false
	}
	return !strings.ContainsAny(rest, " \t<>\"")
}

// FormatNumber returns a French-style display of a canonical number:
// +33 1 23 45 67 89 for French E.164, the input unchanged otherwise.
func FormatNumber(n string) string {
	if strings.HasPrefix(n, "+33") && len(n) == 12 {
		d := "0" + n[3:]
		return d[0:2] + " " + d[2:4] + " " + d[4:6] + " " + d[6:8] + " " + d[8:10]
	}
	return n
}

// SameNumber reports whether a and b designate the same number once both
// are normalized. Unparsable inputs are compared as written.
func SameNumber(a, b string) bool {
	na, _, errA := NormalizeNumber("", a)
	nb, _, errB := NormalizeNumber("", b)
	if errA != nil || errB != nil {
		return strings.TrimSpace(a) == strings.TrimSpace(b)
	}
	return na == nb
}

// NumberFromURI reads what a tel:, sip:, sips: or callto: link asks to
// call (RFC 3966 tel: with visual separators and parameters, sip: with
// user@host, callto: with or without //) and returns it in canonical form.
func NumberFromURI(uri string) (string, error) {
	s := strings.TrimSpace(uri)
	lower := strings.ToLower(s)
	switch {
	case strings.HasPrefix(lower, "tel:"):
		s = s[4:]
	case strings.HasPrefix(lower, "callto:"):
		s = strings.TrimPrefix(s[7:], "//")
	case strings.HasPrefix(lower, "sip:") || strings.HasPrefix(lower, "sips:"):
		return sipTarget(s)
	default:
		return "", Errorf(CodeNumberInvalid, "uri", uri)
	}
	if i := strings.IndexAny(s, ";?"); i >= 0 {
		s = s[:i]
	}
	n, _, err := NormalizeNumber("uri", unescape(s))
	return n, err
}

// sipTarget keeps a sip: URI, or its user part when that is a number.
func sipTarget(uri string) (string, error) {
	if !validSIPURI(uri) {
		return "", Errorf(CodeNumberInvalid, "uri", uri)
	}
	scheme, rest, _ := strings.Cut(uri, ":")
	if i := strings.IndexAny(rest, ";?"); i >= 0 {
		rest = rest[:i]
	}
	user, _, _ := strings.Cut(rest, "@")
	if n, kind, err := NormalizeNumber("", unescape(user)); err == nil && kind == NumberE164 {
		return n, nil
	}
	return strings.ToLower(scheme) + ":" + rest, nil
}

// unescape decodes %XX escapes (a tel: link may carry %20).
func unescape(s string) string {
	if v, err := url.PathUnescape(s); err == nil {
		return v
	}
	return s
}
