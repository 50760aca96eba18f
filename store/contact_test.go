package store

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ligne-app/ligne/selfcare"
)

// withRights opens a database whose profile grants r.
func withRights(tb testing.TB, r selfcare.Rights) *DB {
	tb.Helper()
	db := mustOpen(tb)
	p := demoProfile(tb)
	p.Rights = r
	must(tb, db.ApplyProfile(context.Background(), p))
	return db
}

func external(name string, numbers ...string) selfcare.Contact {
	c := selfcare.Contact{Kind: selfcare.ContactExternal, Name: name}
	for _, n := range numbers {
		c.Numbers = append(c.Numbers, selfcare.TypedNumber{Number: n})
	}
	return c
}

func TestExternalContactFormIsValidatedAndNothingChangesOnError(t *testing.T) {
	db := withProfile(t)
	ctx := context.Background()
	c, err := db.AddContact(ctx, selfcare.Contact{Kind: selfcare.ContactExternal, Name: " Lucie Arnaud ", Company: "Arnaud Expertise",
		Numbers: []selfcare.TypedNumber{{Type: selfcare.NumberMobile, Number: "06 11 00 22 33"}, {Number: "04.72.33.44.56"}},
		Email:   "lucie@arnaud-expertise.fr", Notes: "Expert-comptable"})
	must(t, err)
	got, err := db.ContactByID(ctx, c.ID)
	must(t, err)
	want := []selfcare.TypedNumber{{Type: selfcare.NumberMobile, Number: "+33611002233"}, {Type: selfcare.NumberWork, Number: "+33472334456"}}
	if got.Name != "Lucie Arnaud" || !slices.Equal(got.Numbers, want) || got.Email != "lucie@arnaud-expertise.fr" || got.Notes != "Expert-comptable" || got.Source != "user" {
		t.Fatalf("saved %+v", got)
	}
	bad := []struct {
		edit func(*selfcare.Contact)
		code selfcare.Code
	}{
		{func(c *selfcare.Contact) { c.Name = "  " }, selfcare.CodeRequired},
		{func(c *selfcare.Contact) { c.Email = "lucie@" }, selfcare.CodeEmailInvalid},
		{func(c *selfcare.Contact) { c.Numbers = nil }, selfcare.CodeContactNoNumber},
		{func(c *selfcare.Contact) { c.Numbers[1].Number = "04 72 AB" }, selfcare.CodeNumberInvalid},
		{func(c *selfcare.Contact) { c.Kind = selfcare.ContactInternal }, selfcare.CodeContactReadOnly},
	}
	for _, b := range bad {
		edited := got
		edited.Numbers = slices.Clone(got.Numbers)
		b.edit(&edited)
		_, err := db.UpdateContact(ctx, edited)
		wantCode(t, err, b.code)
		_, err = db.AddContact(ctx, edited)
		wantCode(t, err, b.code)
	}
	after, _ := db.ContactByID(ctx, c.ID)
	if after.Name != got.Name || !slices.Equal(after.Numbers, got.Numbers) {
		t.Fatalf("refused edits changed the contact: %+v", after)
	}
	if all, _ := db.Contacts(ctx, selfcare.ContactQuery{Kind: selfcare.ContactExternal}); len(all) != 1 {
		t.Fatalf("%d external contacts after refused adds", len(all))
	}
}

func TestInternalContactsAreReadOnlyWhateverTheDisguise(t *testing.T) {
	db := withProfile(t)
	ctx := context.Background()
	sophie, err := db.ContactByID(ctx, "dir:u-003")
	must(t, err)
	if sophie.Extension != "4003" || len(sophie.Numbers) != 2 {
		t.Fatalf("directory entry read back as %+v", sophie)
	}
	sophie.Kind = selfcare.ContactExternal
	sophie.Name = "Pirate"
	_, err = db.UpdateContact(ctx, sophie)
	wantCode(t, err, selfcare.CodeContactReadOnly)
	wantCode(t, db.DeleteContact(ctx, "dir:u-003"), selfcare.CodeContactReadOnly)
	if again, _ := db.ContactByID(ctx, "dir:u-003"); again.Name != "Sophie Girard" {
		t.Fatalf("directory entry changed: %+v", again)
	}
}

func TestExternalContactsNeedTheRight(t *testing.T) {
	db := withRights(t, selfcare.Rights{SupervisionKeys: true, ShortcutKeys: true, ExternalContact: true})
	ctx := context.Background()
	kept, err := db.AddContact(ctx, external("Hôtel des Célestins", "04 78 37 28 28"))
	must(t, err)
	p, _ := db.Profile(ctx)
	p.Rights.ExternalContact = false
	must(t, db.ApplyProfile(ctx, p))
	_, err = db.AddContact(ctx, external("Atelier Vidal", "04 77 45 00 99"))
	wantCode(t, err, selfcare.CodeExternalContactsDenied)
	kept.Notes = "changed"
	_, err = db.UpdateContact(ctx, kept)
	wantCode(t, err, selfcare.CodeExternalContactsDenied)
	_, _, err = db.ImportContacts(ctx, []selfcare.Contact{external("Atelier Vidal", "04 77 45 00 99")})
	wantCode(t, err, selfcare.CodeExternalContactsDenied)
	if all, _ := db.Contacts(ctx, selfcare.ContactQuery{Kind: selfcare.ContactExternal}); len(all) != 1 || all[0].Notes != "" {
		t.Fatalf("external contacts after refusals: %+v", all)
	}
	must(t, db.DeleteContact(ctx, kept.ID)) // the user can still clean up
}

func TestAddContactKeyFollowsTheGuideAndTheRights(t *testing.T) {
	db := withProfile(t)
	ctx := context.Background()
	ext, err := db.AddContact(ctx, external("Plomberie Rhône", "04 78 00 00 01"))
	must(t, err)
	k, err := db.AddContactKey(ctx, "dir:u-003", selfcare.KeySupervision)
	must(t, err)
	if k.Position != 1 || k.Number != "4003" {
		t.Fatalf("supervision key %+v", k)
	}
	_, err = db.AddContactKey(ctx, "dir:u-003", selfcare.KeySupervision)
	wantCode(t, err, selfcare.CodeKeyExists)
	_, err = db.AddContactKey(ctx, ext.ID, selfcare.KeySupervision)
	wantCode(t, err, selfcare.CodeSupervisionInternalOnly)
	_, err = db.AddContactKey(ctx, "dir:u-004", selfcare.KeyShortcut)
	wantCode(t, err, selfcare.CodeShortcutExternalOnly)
	_, err = db.AddContactKey(ctx, "dir:u-001", selfcare.KeySupervision) // the director is not supervisable
	wantCode(t, err, selfcare.CodeNotSupervisable)
	k, err = db.AddContactKey(ctx, ext.ID, selfcare.KeyShortcut)
	must(t, err)
	if k.Position != 2 || k.Number != "+33478000001" {
		t.Fatalf("shortcut key %+v", k)
	}
	keys, _ := db.Keys(ctx)
	if len(keys) != 2 || keys[0].ContactID != "dir:u-003" || keys[1].ContactID != ext.ID {
		t.Fatalf("keys %+v", keys)
	}
}

func TestAddContactKeyWithoutTheRightChangesNothing(t *testing.T) {
	db := withRights(t, selfcare.Rights{SupervisionKeys: false, ShortcutKeys: false, ExternalContact: true})
	ctx := context.Background()
	ext, err := db.AddContact(ctx, external("Plomberie Rhône", "04 78 00 00 01"))
	must(t, err)
	_, err = db.AddContactKey(ctx, "dir:u-003", selfcare.KeySupervision)
	wantCode(t, err, selfcare.CodeRightDenied)
	_, err = db.AddContactKey(ctx, ext.ID, selfcare.KeyShortcut)
	wantCode(t, err, selfcare.CodeRightDenied)
	if keys, _ := db.Keys(ctx); len(keys) != 0 {
		t.Fatalf("keys saved without the right: %+v", keys)
	}
	p, _ := db.Profile(ctx)
	p.Rights.SupervisionKeys, p.Rights.MaxSupervised = true, 1
	must(t, db.ApplyProfile(ctx, p))
	_, err = db.AddContactKey(ctx, "dir:u-003", selfcare.KeySupervision)
	must(t, err)
	_, err = db.AddContactKey(ctx, "dir:u-004", selfcare.KeySupervision)
	wantCode(t, err, selfcare.CodeSupervisionLimit)
}

func TestImportContactsSkipsWhatTheUserAlreadyHas(t *testing.T) {
	db := withProfile(t)
	ctx := context.Background()
	_, err := db.AddContact(ctx, external("Éric Bérard", "06 98 76 54 32"))
	must(t, err)
	in := []selfcare.Contact{
		external("Eric Berard", "+33698765432"),    // same person, written without accents
		external("Éric Bérard", "04 78 60 10 20"),  // same name, other number: another contact
		external("Maxime Royer", "06 75 84 93 02"), // new
		external("Maxime Royer", "06 75 84 93 02"), // twice in the file
	}
	added, dups, err := db.ImportContacts(ctx, in)
	must(t, err)
	if len(added) != 2 || !slices.Equal(dups, []int{0, 3}) || added[0].Source != "import" {
		t.Fatalf("added %+v, duplicates %v", added, dups)
	}
	added, dups, err = db.ImportContacts(ctx, in)
	must(t, err)
	if len(added) != 0 || len(dups) != 4 {
		t.Fatalf("second import added %d, skipped %v", len(added), dups)
	}
	_, _, err = db.ImportContacts(ctx, []selfcare.Contact{external("Atelier Vidal", "04 77 45 00 99"), external("", "04 77 45 00 98")})
	wantCode(t, err, selfcare.CodeRequired)
	if found, _ := db.Contacts(ctx, selfcare.ContactQuery{Search: "vidal"}); len(found) != 0 {
		t.Fatal("a failed import saved part of its contacts")
	}
}

func TestLookupNumberFindsCallersInEveryForm(t *testing.T) {
	db := withProfile(t)
	ctx := context.Background()
	_, err := db.AddContact(ctx, external("Sophie Girard (perso)", "04 72 10 40 03"))
	must(t, err)
	for _, n := range []string{"4003", "04 72 10 40 03", "+33 4 72 10 40 03", "0033472104003", "33472104003",
		"tel:+33472104003", "sip:4003@lemoine.example", "sips:+33472104003@sbc.example;user=phone", "<sip:0472104003@sbc.example>"} {
		c, ok, err := db.LookupNumber(ctx, strings.Trim(n, "<>"))
		must(t, err)
		if !ok || c.ID != "dir:u-003" {
			t.Errorf("lookup %q: %v %+v (the colleague must win over the external copy)", n, ok, c)
		}
	}
	for _, n := range []string{"", "anonymous", "sip:anonymous@anonymous.invalid", "+33 1 99 99 99 99"} {
		if c, ok, err := db.LookupNumber(ctx, n); ok || err != nil {
			t.Errorf("lookup %q found %+v (%v)", n, c, err)
		}
	}
}

// indexed is a contact with its search text and sort key, for the oracle.
type indexed struct {
	c         selfcare.Contact
	text, key string
}

// withTexts sorts contacts as a search must (internal first, by name) and
// computes their search texts once.
func withTexts(cs []selfcare.Contact) []indexed {
	out := make([]indexed, len(cs))
	for i, c := range cs {
		out[i] = indexed{c: c, text: searchText(c), key: strings.ToLower(c.Name)}
	}
	slices.SortStableFunc(out, func(a, b indexed) int {
		if a.c.Kind != b.c.Kind {
			return strings.Compare(string(b.c.Kind), string(a.c.Kind)) // internal before external
		}
		return strings.Compare(a.key, b.key)
	})
	return out
}

// oracle filters contacts as a search must: every term of the query in the
// search text (a short term at a word's start).
func oracle(cs []indexed, q string, limit int) []string {
	var ids, terms []string
	for _, t := range searchTerms(q) {
		if len([]rune(t)) < minSubstring {
			t = " " + t // a short term matches the start of a word
		}
		terms = append(terms, t)
	}
	for _, x := range cs {
		ok := true
		for _, t := range terms {
			ok = ok && strings.Contains(x.text, t)
		}
		if ok && len(ids) < limit {
			ids = append(ids, x.c.ID)
		}
	}
	return ids
}

func head(ids []string) []string { return ids[:min(5, len(ids))] }

func contactIDs(cs []selfcare.Contact) []string {
	var ids []string
	for _, c := range cs {
		ids = append(ids, c.ID)
	}
	return ids
}

func ofKind(cs []indexed, k selfcare.ContactKind) []indexed {
	var out []indexed
	for _, x := range cs {
		if x.c.Kind == k {
			out = append(out, x)
		}
	}
	return out
}

// smallPlan has the thresholds of the default plan scaled down 40 times,
// so that a directory of a few hundred contacts takes every path.
var smallPlan = searchPlan{dense: 25, budget: 100, maxWalk: 400}

func TestSearchAgreesWithAPlainScanOnEveryPlan(t *testing.T) {
	db := mustOpen(t)
	ctx := context.Background()
	dir := benchContacts(smallPlan.budget)
	for i := range smallPlan.dense + 5 { // two common words that rarely meet
		dir = append(dir, selfcare.Contact{ID: fmt.Sprintf("ldap:uid=a%d", i), Name: fmt.Sprintf("Alpha Navarre %d", i)},
			selfcare.Contact{ID: fmt.Sprintf("ldap:uid=b%d", i), Name: fmt.Sprintf("Bertrand Navarre %d", i)})
	}
	dir = append(dir, selfcare.Contact{ID: "ldap:uid=ab", Name: "Zulu Alpha Bertrand"}) // sorts after the walk
	dir = append(dir, selfcare.Contact{ID: "ldap:uid=zq", Name: "Zoltan Qwerty", Company: "Zq Systèmes", Extension: "77001",
		Numbers: []selfcare.TypedNumber{{Type: selfcare.NumberWork, Number: "+41229876543"}}})
	must(t, db.ReplaceDirectory(ctx, "ldap", dir))
	exts := []selfcare.Contact{external("Camille Zq", "06 00 00 00 01"), external("Aurélien Durand", "04 72 99 99 99")}
	added, _, err := db.ImportContacts(ctx, exts)
	must(t, err)
	var all []selfcare.Contact
	for _, c := range dir {
		c.Kind = selfcare.ContactInternal
		all = append(all, c)
	}
	sorted := withTexts(append(all, added...))
	queries := []string{"", "d", "du", "durand", "DURAND cam", "zq", "qwer", "zq qw", "q", "0", "04", "41 22 98", "0472",
		"Zoltan", "systemes", "nobody", "ce", "é", "e\"x", "%", "_", "lemoine-equip", "u12@", "rand", "an", "alpha be", "alpha bertrand", "navarre 4"}
	for _, q := range queries {
		got, err := db.searchContacts(ctx, selfcare.ContactQuery{Search: q, Limit: 50}, smallPlan)
		must(t, err)
		if want := oracle(sorted, q, 50); !slices.Equal(contactIDs(got), want) {
			t.Errorf("search %q:\n got %d %v\nwant %d %v", q, len(got), head(contactIDs(got)), len(want), head(want))
		}
	}
	// a short page, and one kind only, on the plans' edge cases
	for _, q := range []string{"d", "zq qw", "alpha be", "04", "durand"} {
		for _, kind := range []selfcare.ContactKind{"", selfcare.ContactInternal, selfcare.ContactExternal} {
			got, err := db.searchContacts(ctx, selfcare.ContactQuery{Search: q, Limit: 5, Kind: kind}, smallPlan)
			must(t, err)
			want := oracle(sorted, q, 5)
			if kind != "" {
				want = oracle(ofKind(sorted, kind), q, 5)
			}
			if !slices.Equal(contactIDs(got), want) {
				t.Errorf("search %q kind %q limit 5: got %v, want %v", q, kind, contactIDs(got), want)
			}
		}
	}
}

func TestSearchSurvivesVacuumAndEdits(t *testing.T) {
	db := withProfile(t)
	ctx := context.Background()
	var ids []string
	for i := range 20 {
		c, err := db.AddContact(ctx, external(fmt.Sprintf("Fournisseur %02d", i), fmt.Sprintf("04 78 00 00 %02d", i)))
		must(t, err)
		ids = append(ids, c.ID)
	}
	for _, id := range ids[:15] {
		must(t, db.DeleteContact(ctx, id))
	}
	if _, err := db.write.ExecContext(ctx, "VACUUM"); err != nil {
		t.Fatal(err)
	}
	c, err := db.ContactByID(ctx, ids[17])
	must(t, err)
	c.Name = "Grossiste Lyonnais"
	_, err = db.UpdateContact(ctx, c)
	must(t, err)
	must(t, db.DeleteContact(ctx, ids[18]))
	if _, err := db.write.ExecContext(ctx, `INSERT INTO contacts_fts (contacts_fts) VALUES ('integrity-check')`); err != nil {
		t.Fatalf("trigram index out of step with contacts: %v", err)
	}
	found, _ := db.Contacts(ctx, selfcare.ContactQuery{Search: "fournisseur"})
	if len(found) != 3 {
		t.Fatalf("after vacuum and edits: %d suppliers, want 3", len(found))
	}
	if found, _ := db.Contacts(ctx, selfcare.ContactQuery{Search: "grossiste"}); len(found) != 1 || found[0].ID != ids[17] {
		t.Fatalf("renamed contact: %+v", found)
	}
}

func TestMigrationIndexesContactsAlreadyThere(t *testing.T) {
	dir := t.TempDir()
	raw, err := sql.Open("sqlite", "file:"+filepath.Join(dir, FileName))
	must(t, err)
	first, err := os.ReadFile("migrations/0001_init.sql")
	must(t, err)
	for _, q := range []string{fmt.Sprintf("PRAGMA application_id = %d", applicationID), string(first), "PRAGMA user_version = 1",
		`INSERT INTO contacts (id, kind, name, email, search) VALUES ('ext:1', 'external', 'Menuiserie Pellet', 'atelier@pellet.fr', 'menuiserie pellet atelier@pellet.fr 33474205566 0474205566')`,
		`INSERT INTO contact_numbers (contact_id, ord, type, number) VALUES ('ext:1', 0, 'work', '+33474205566')`} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%.40s: %v", q, err)
		}
	}
	raw.Close()
	db := mustOpenDir(t, dir)
	for _, q := range []string{"pellet", "menuis", "74205566", "me", "04", "pe", "at"} {
		if found, err := db.Contacts(context.Background(), selfcare.ContactQuery{Search: q}); err != nil || len(found) != 1 {
			t.Errorf("search %q after migration: %+v %v", q, found, err)
		}
	}
}
