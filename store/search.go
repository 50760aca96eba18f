package store

import (
	"strings"
	"unicode"

	"github.com/ligne-app/ligne/selfcare"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// fold lower-cases s and strips accents: "Émilie" -> "emilie".
func fold(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		out = s
	}
	return strings.ToLower(out)
}

// searchText is what contact search matches: folded words, and every
// number in E.164 digits and French national form.
func searchText(c selfcare.Contact) string {
	parts := []string{fold(c.Name), fold(c.Company), fold(c.Department), strings.ToLower(c.Email), c.Extension}
	for _, n := range c.Numbers {
		parts = append(parts, numberForms(n.Number)...)
	}
	return strings.Join(parts, " ")
}

// numberForms returns the digit strings a user may type for n.
func numberForms(n string) []string {
	digits := strings.TrimPrefix(n, "+")
	forms := []string{digits}
	if strings.HasPrefix(n, "+33") {
		forms = append(forms, "0"+n[3:])
	}
	return forms
}

// searchTerms splits a query into folded words; a query that is a number
// written with separators becomes its digits.
func searchTerms(q string) []string {
	q = strings.TrimSpace(q)
	if q == "" {
		return nil
	}
	if digits := onlyDigits(q); digits != "" {
		return []string{digits}
	}
	return strings.Fields(fold(q))
}

// onlyDigits returns the digits of q when q holds nothing else than digits
// and number separators, "" otherwise.
func onlyDigits(q string) string {
	var b strings.Builder
	for _, r := range q {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case strings.ContainsRune(" .-+()", r):
		default:
			return ""
		}
	}
	return b.String()
}

// escapeLike escapes LIKE wildcards.
func escapeLike(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s)
}
