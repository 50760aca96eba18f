package contactio

import (
	"regexp"
	"strings"
	"unicode"

	"github.com/ligne-app/ligne/selfcare"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// headerKey folds a column title: lower case, no accents, words of letters
// and digits separated by one space ("Téléphone (bureau)" ->
// "telephone bureau", "E-mail Address" -> "e mail address").
func headerKey(h string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	folded, _, err := transform.String(t, h)
	if err != nil {
		folded = h
	}
	words := strings.FieldsFunc(strings.ToLower(folded), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	return strings.Join(words, " ")
}

// Column titles of the exports Ligne reads, folded by headerKey: Google
// Contacts (old and new CSV), Outlook (English and French), Thunderbird,
// and plain name/number tables.
var (
	nameTitles       = titles("name", "display name", "full name", "nom complet", "nom affiche", "contact")
	firstTitles      = titles("first name", "given name", "prenom")
	middleTitles     = titles("middle name", "additional name", "deuxieme prenom")
	lastTitles       = titles("last name", "family name", "surname", "nom de famille")
	companyTitles    = titles("company", "organization", "organisation", "organization name", "organization 1 name", "societe", "entreprise")
	departmentTitles = titles("department", "organization department", "organization 1 department", "service", "departement")
	emailTitles      = titles("e mail address", "email", "e mail", "email address", "primary email", "e mail 1 value",
		"adresse de messagerie", "adresse e mail", "courriel", "mail")
	notesTitles = titles("notes", "note", "remarques", "commentaire", "commentaires")
	phoneTitles = map[string]selfcare.NumberType{
		"business phone": selfcare.NumberWork, "business phone 2": selfcare.NumberWork, "company main phone": selfcare.NumberWork,
		"work phone": selfcare.NumberWork, "telephone bureau": selfcare.NumberWork, "telephone bureau 2": selfcare.NumberWork,
		"telephone 2 bureau": selfcare.NumberWork,
		"tel bureau":         selfcare.NumberWork, "telephone societe": selfcare.NumberWork, "phone": selfcare.NumberWork,
		"telephone": selfcare.NumberWork, "numero": selfcare.NumberWork, "number": selfcare.NumberWork, "work": selfcare.NumberWork,
		"mobile phone": selfcare.NumberMobile, "mobile number": selfcare.NumberMobile, "mobile": selfcare.NumberMobile,
		"cell": selfcare.NumberMobile, "tel mobile": selfcare.NumberMobile, "telephone mobile": selfcare.NumberMobile,
		"portable":   selfcare.NumberMobile,
		"home phone": selfcare.NumberHome, "home phone 2": selfcare.NumberHome, "telephone domicile": selfcare.NumberHome,
		"telephone domicile 2": selfcare.NumberHome,
		"telephone 2 domicile": selfcare.NumberHome, "domicile": selfcare.NumberHome, "home": selfcare.NumberHome,
		"other phone": selfcare.NumberOther, "primary phone": selfcare.NumberOther, "autre telephone": selfcare.NumberOther,
		"telephone principal": selfcare.NumberOther, "car phone": selfcare.NumberOther,
		"telephone autre": selfcare.NumberOther, "telephone voiture": selfcare.NumberOther,
	}
	googlePhone = regexp.MustCompile(`^phone (\d+) value$`)
)

func titles(ts ...string) map[string]bool {
	m := map[string]bool{}
	for _, t := range ts {
		m[t] = true
	}
	return m
}

// mapColumns reads the header row. "Nom" is the last name when the table
// has a first-name column (Outlook in French), the whole name otherwise.
func mapColumns(header []string) columns {
	keys := make([]string, len(header))
	for i, h := range header {
		keys[i] = headerKey(h)
	}
	var c columns
	hasFirst := false
	for _, k := range keys {
		hasFirst = hasFirst || firstTitles[k]
	}
	for i, k := range keys {
		c.add(i, k, keys, hasFirst)
	}
	return c
}

// add files column i under what its title k says.
func (c *columns) add(i int, k string, keys []string, hasFirst bool) {
	switch {
	case k == "nom" && hasFirst:
		c.last = append(c.last, i)
	case k == "nom" || nameTitles[k]:
		c.name = append(c.name, i)
	case firstTitles[k]:
		c.first = append(c.first, i)
	case middleTitles[k]:
		c.middle = append(c.middle, i)
	case lastTitles[k]:
		c.last = append(c.last, i)
	case companyTitles[k]:
		c.company = append(c.company, i)
	case departmentTitles[k]:
		c.department = append(c.department, i)
	case emailTitles[k]:
		c.email = append(c.email, i)
	case notesTitles[k]:
		c.notes = append(c.notes, i)
	case googlePhone.MatchString(k):
		n := googlePhone.FindStringSubmatch(k)[1]
		c.phones = append(c.phones, phoneColumn{col: i, labelCol: indexOf(keys, "phone "+n+" label", "phone "+n+" type")})
	default:
		if t, ok := phoneTitles[k]; ok {
			c.phones = append(c.phones, phoneColumn{col: i, labelCol: -1, kind: t})
		}
	}
}

// indexOf returns the index of the first key among want, or -1.
func indexOf(keys []string, want ...string) int {
	for i, k := range keys {
		for _, w := range want {
			if k == w {
				return i
			}
		}
	}
	return -1
}
