package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/ligne-app/ligne/selfcare"
)

var (
	benchFirst     = []string{"Camille", "Émilie", "Jean", "Sophie", "Marc", "Hélène", "Lucas", "Chloé", "Nicolas", "Léa", "Thomas", "Manon", "Julien", "Inès", "Antoine", "Zoé", "Hugo", "Anaïs", "Maxime", "Céline"}
	benchLast      = []string{"Durand", "Lemoine", "Girard", "Bérard", "Fontaine", "Moreau", "Lefèvre", "Roux", "Faure", "André", "Mercier", "Blanc", "Guérin", "Boyer", "Garnier", "Chevalier", "François", "Legrand", "Gauthier", "Perrin"}
	benchCompanies = []string{"Transports Bérard", "Arnaud Expertise", "Pellet SARL", "Royer Architectes", "Clinique Saint-Joseph", "Isolation Savoie", "Geneva Supplies", "Banque Rhône-Alpes"}
)

// benchContacts returns n directory entries with French names, a company,
// a department, an extension, a work and a mobile number and an email.
func benchContacts(n int) []selfcare.Contact {
	r := rand.New(rand.NewPCG(1, 2))
	out := make([]selfcare.Contact, n)
	for i := range out {
		first, last := benchFirst[r.IntN(len(benchFirst))], benchLast[r.IntN(len(benchLast))]
		out[i] = selfcare.Contact{ID: fmt.Sprintf("ldap:uid=u%d", i), Name: fmt.Sprintf("%s %s %d", first, last, i),
			Company: benchCompanies[r.IntN(len(benchCompanies))], Department: "Service " + benchLast[r.IntN(len(benchLast))],
			Extension: fmt.Sprintf("%d", 10000+i), Email: fmt.Sprintf("u%d@lemoine-equipements.fr", i),
			Numbers: []selfcare.TypedNumber{{Type: selfcare.NumberWork, Number: fmt.Sprintf("+334%08d", r.IntN(100000000))},
				{Type: selfcare.NumberMobile, Number: fmt.Sprintf("+336%08d", r.IntN(100000000))}}}
	}
	return out
}

// benchDB is 45,000 directory entries and 5,000 external contacts.
func benchDB(b *testing.B) *DB {
	dir := b.TempDir()
	if d := os.Getenv("LIGNE_BENCH_DIR"); d != "" {
		dir = d
	}
	db := mustOpenDir(b, dir)
	ctx := context.Background()
	all := benchContacts(50000)
	if err := db.ReplaceDirectory(ctx, "ldap", all[:45000]); err != nil {
		b.Fatal(err)
	}
	ext := all[45000:]
	for i := range ext {
		ext[i].Kind, ext[i].ID, ext[i].Extension = selfcare.ContactExternal, "", ""
	}
	if _, _, err := db.ImportContacts(ctx, ext); err != nil {
		b.Fatal(err)
	}
	return db
}

// typed are searches typed one key at a time: names, a company, a number
// in national form, a name nobody has, and two letters few contacts hold.
var typed = []string{"durand camille", "transports", "04 72 10", "xavier", "qz"}

// BenchmarkSearchAsYouType runs each keystroke's search as the Contacts
// screen does (both kinds, a page of 100) over 50,000 contacts, and
// reports the mean, median and 95th percentile time per keystroke.
func BenchmarkSearchAsYouType(b *testing.B) {
	db := benchDB(b)
	ctx := context.Background()
	for _, word := range typed {
		b.Run(word, func(b *testing.B) {
			var keys []float64
			for b.Loop() {
				for i := 1; i <= len(word); i++ {
					start := time.Now()
					if _, err := db.Contacts(ctx, selfcare.ContactQuery{Search: word[:i], Limit: 100}); err != nil {
						b.Fatal(err)
					}
					keys = append(keys, float64(time.Since(start).Microseconds())/1000)
				}
			}
			reportKeys(b, keys)
		})
	}
}

// reportKeys reports the mean, median and 95th percentile of keystrokes.
func reportKeys(b *testing.B, keys []float64) {
	slices.Sort(keys)
	total := 0.0
	for _, k := range keys {
		total += k
	}
	b.ReportMetric(total/float64(len(keys)), "ms/key")
	b.ReportMetric(keys[len(keys)/2], "p50-ms/key")
	b.ReportMetric(keys[len(keys)*95/100], "p95-ms/key")
}

// BenchmarkReplaceDirectory50k is an LDAP refresh of 50,000 entries.
func BenchmarkReplaceDirectory50k(b *testing.B) {
	db := mustOpen(b)
	ctx := context.Background()
	dir := benchContacts(50000)
	for b.Loop() {
		if err := db.ReplaceDirectory(ctx, "ldap", dir); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLookupNumber50k names a caller among 50,000 contacts, as every
// incoming call, call log entry and voicemail message does.
func BenchmarkLookupNumber50k(b *testing.B) {
	db := benchDB(b)
	ctx := context.Background()
	numbers := []string{"0472104003", "+33 6 12 34 56 78", "sip:10042@lemoine.example", "33478000001"}
	i := 0
	for b.Loop() {
		if _, _, err := db.LookupNumber(ctx, numbers[i%len(numbers)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
