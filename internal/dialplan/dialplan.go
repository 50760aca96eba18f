// Package dialplan reads what a user types in the number field: public
// numbers in any written form of their region (through
// github.com/nyaruka/phonenumbers), company extensions, short service
// numbers and SIP addresses.
package dialplan

import (
	"strings"

	"github.com/nyaruka/phonenumbers"

	"github.com/ligne-app/ligne/selfcare"
)

// DefaultRegion is the region numbers are read in unless the user chose
// another (ISO 3166 code).
const DefaultRegion = "FR"

// Regions are the regions offered in the settings.
var regions = []string{"FR", "BE", "CH", "LU", "MC", "CA", "GB", "DE", "ES", "IT", "US"}

// Regions returns the regions offered in the settings.
func Regions() []string { return append([]string(nil), regions...) }

// Normalize returns the canonical form of what was typed: E.164 for a
// public number of region (or any number written with +), the digits of an
// extension or service number, the URI of a SIP address. An invalid input
// is an *selfcare.Error CodeNumberInvalid on field "number".
func Normalize(typed, region string) (string, error) {
	s := strings.TrimSpace(typed)
	if n, kind, err := selfcare.NormalizeNumber("number", s); err == nil && kind != selfcare.NumberE164 {
		return n, nil // extension, service number or SIP URI
	}
	if region == "" {
		region = DefaultRegion
	}
	num, err := phonenumbers.Parse(s, strings.ToUpper(region))
	if err != nil || !phonenumbers.IsValidNumber(num) {
		if s == "" {
			return "", selfcare.Errorf(selfcare.CodeRequired, "number")
		}
		return "", selfcare.Errorf(selfcare.CodeNumberInvalid, "number", typed)
	}
	return phonenumbers.Format(num, phonenumbers.E164), nil
}

// Display formats a canonical number for region: national form for a
// number of the region, international form otherwise.
func Display(canonical, region string) string {
	if !strings.HasPrefix(canonical, "+") {
		return canonical
	}
	num, err := phonenumbers.Parse(canonical, "")
	if err != nil {
		return canonical
	}
	if phonenumbers.GetRegionCodeForNumber(num) == strings.ToUpper(region) {
		return phonenumbers.Format(num, phonenumbers.NATIONAL)
	}
	return phonenumbers.Format(num, phonenumbers.INTERNATIONAL)
}
