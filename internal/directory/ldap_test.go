package directory

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ligne-app/ligne/internal/testkeyring"
	"github.com/ligne-app/ligne/internal/testldap"
	"github.com/ligne-app/ligne/secrets"
	"github.com/ligne-app/ligne/selfcare"
	"github.com/ligne-app/ligne/store"
)

// people is more colleagues than the server returns without paging, each
// with an extension and a work number; one has no number at all and one
// an email that is not one.
func people(n int) string {
	var b strings.Builder
	b.WriteString(testldap.Person("sgirard", "Sophie Girard", "Girard", "ou: Accueil", "o: Lemoine Equipements",
		"telephoneNumber: 4003", "telephoneNumber: +33 4 72 10 40 03", "mobile: 06 71 02 37 57",
		"mail: sophie.girard@lemoine-equipements.fr"))
	b.WriteString(testldap.Person("nophone", "Stagiaire Sans Poste", "Poste"))
	b.WriteString(testldap.Person("badmail", "Marc Fontaine", "Fontaine", "telephoneNumber: 4002", "mail: marc@"))
	for i := range n {
		b.WriteString(testldap.Person(fmt.Sprintf("u%03d", i), fmt.Sprintf("Collègue %03d", i), "Collègue",
			fmt.Sprintf("telephoneNumber: %d", 5000+i), fmt.Sprintf("telephoneNumber: 04 72 10 %02d %02d", 50+i/100, i%100)))
	}
	return b.String()
}

// ldapSetup starts slapd with the people, a store and a keyring holding
// the service account's settings.
func ldapSetup(t *testing.T) (*testldap.Server, *store.DB, *Syncer) {
	t.Helper()
	testkeyring.Start(t)
	srv := testldap.Start(t)
	srv.Add(t, people(2*testldap.SizeLimit))
	db := openStore(t)
	c := Config{URL: srv.URL, BaseDN: "ou=people," + testldap.BaseDN, BindDN: testldap.BindDN,
		Mapping: DefaultMapping(), Refresh: time.Hour}
	if _, err := SaveConfig(context.Background(), db, secrets.Keyring{}, c, testldap.BindPassword); err != nil {
		t.Fatal(err)
	}
	return srv, db, &Syncer{Store: db, Secrets: secrets.Keyring{}}
}

func TestSyncLoadsTheWholeDirectoryFromSlapd(t *testing.T) {
	_, db, s := ldapSetup(t)
	ctx := context.Background()
	st, err := s.Sync(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := 2*testldap.SizeLimit + 2
	if st.Count != want || st.Skipped != 1 || st.Err() != nil {
		t.Fatalf("status %+v, want %d contacts and 1 entry left out (past the server's limit of %d)", st, want, testldap.SizeLimit)
	}
	all, _ := db.Contacts(ctx, selfcare.ContactQuery{Kind: selfcare.ContactInternal, Limit: 1000})
	if len(all) != want {
		t.Fatalf("%d internal contacts in the store", len(all))
	}
	sophie, ok, err := db.LookupNumber(ctx, "4003")
	if err != nil || !ok || sophie.Name != "Sophie Girard" || sophie.Department != "Accueil" || sophie.Company != "Lemoine Equipements" ||
		sophie.Email != "sophie.girard@lemoine-equipements.fr" || sophie.Source != Source || sophie.Editable() {
		t.Fatalf("lookup by extension: %+v %v %v", sophie, ok, err)
	}
	if len(sophie.Numbers) != 2 || sophie.Numbers[0].Number != "+33472104003" || sophie.Numbers[1].Number != "+33671023757" {
		t.Fatalf("numbers %+v", sophie.Numbers)
	}
	if marc, _, _ := db.LookupNumber(ctx, "4002"); marc.Email != "" {
		t.Fatalf("an invalid email was kept: %q", marc.Email)
	}
	if found, _ := db.Contacts(ctx, selfcare.ContactQuery{Search: "collegue 099"}); len(found) != 1 || found[0].Extension != "5099" {
		t.Fatalf("search in the loaded directory: %+v", found)
	}
	if _, err := db.UpdateContact(ctx, sophie); selfcare.ErrorCode(err) != selfcare.CodeContactReadOnly {
		t.Fatalf("a directory contact could be edited: %v", err)
	}
	assertNotInFiles(t, db.Dir(), testldap.BindPassword)
}

func TestPeriodicRefreshFollowsTheDirectory(t *testing.T) {
	srv, db, s := ldapSetup(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var offset atomic.Int64 // how far the test moves the clock
	s.Now = func() time.Time { return time.Now().Add(time.Duration(offset.Load())) }
	tick := make(chan time.Time)
	synced := make(chan Status)
	r := NewRefresher(s, func(time.Duration) <-chan time.Time { return tick }, func(st Status, err error) {
		if err != nil {
			t.Errorf("refresh: %v", err)
		}
		synced <- st
	})
	go r.Run(ctx)
	first := <-synced // due at once: never synchronized
	srv.Modify(t, "dn: uid=sgirard,ou=people,"+testldap.BaseDN+"\nchangetype: modify\nreplace: cn\ncn: Sophie Girard-Moreau\n\n"+
		"dn: uid=u000,ou=people,"+testldap.BaseDN+"\nchangetype: delete\n\n")
	srv.Add(t, testldap.Person("newcomer", "Nouvelle Recrue", "Recrue", "telephoneNumber: 4099"))
	offset.Store(int64(2 * time.Hour)) // the period has gone by
	tick <- time.Now()
	second := <-synced
	if first.Count != second.Count || !second.Attempt.After(first.Attempt) {
		t.Fatalf("statuses %+v then %+v", first, second)
	}
	if c, ok, _ := db.LookupNumber(ctx, "4003"); !ok || c.Name != "Sophie Girard-Moreau" {
		t.Fatalf("renamed colleague: %+v", c)
	}
	if _, ok, _ := db.LookupNumber(ctx, "5000"); ok {
		t.Fatal("a colleague deleted from the directory is still there")
	}
	if c, ok, _ := db.LookupNumber(ctx, "4099"); !ok || c.Name != "Nouvelle Recrue" {
		t.Fatalf("new colleague: %+v", c)
	}
}

func TestFailedSyncLeavesTheDirectoryAsItWas(t *testing.T) {
	srv, db, s := ldapSetup(t)
	ctx := context.Background()
	if _, err := s.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	before, _ := db.Contacts(ctx, selfcare.ContactQuery{Kind: selfcare.ContactInternal, Limit: 1000})
	c, _, _ := LoadConfig(ctx, db)
	cases := []struct {
		name     string
		edit     func(*Config) string // returns the password to use
		code     selfcare.Code
		inFrench string
	}{
		{"wrong password", func(c *Config) string { return "not-the-password" }, selfcare.CodeLDAPAuth, "refusé l'identifiant ou le mot de passe"},
		{"anonymous", func(c *Config) string { c.BindDN = ""; return "" }, selfcare.CodeLDAPBaseNotFound, "n'existe pas dans l'annuaire"},
		{"missing base", func(c *Config) string { c.BaseDN = "ou=nowhere," + testldap.BaseDN; return testldap.BindPassword },
			selfcare.CodeLDAPBaseNotFound, "ou=nowhere"},
	}
	for _, tc := range cases {
		cc := c
		pw := tc.edit(&cc)
		if _, err := SaveConfig(ctx, db, secrets.Keyring{}, cc, pw); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		st, err := s.Sync(ctx)
		assertSyncFailed(t, db, tc.name, st, err, tc.code, tc.inFrench, len(before))
	}
	srv.Stop()
	if _, err := SaveConfig(ctx, db, secrets.Keyring{}, c, testldap.BindPassword); err != nil {
		t.Fatal(err)
	}
	st, err := s.Sync(ctx)
	assertSyncFailed(t, db, "server down", st, err, selfcare.CodeLDAPUnreachable, "Impossible de joindre l'annuaire", len(before))
}

func assertSyncFailed(t *testing.T, db *store.DB, name string, st Status, err error, code selfcare.Code, inFrench string, count int) {
	t.Helper()
	if selfcare.ErrorCode(err) != code || !strings.Contains(selfcare.ErrorMessage(err, selfcare.LangFrench), inFrench) {
		t.Errorf("%s: %v (%s), want %s saying %q", name, err, selfcare.ErrorMessage(err, selfcare.LangFrench), code, inFrench)
	}
	if st.Code != code || st.Count != count {
		t.Errorf("%s: status %+v", name, st)
	}
	saved, _ := LoadStatus(context.Background(), db)
	if selfcare.ErrorCode(saved.Err()) != code || saved.Success.IsZero() {
		t.Errorf("%s: saved status %+v", name, saved)
	}
	after, _ := db.Contacts(context.Background(), selfcare.ContactQuery{Kind: selfcare.ContactInternal, Limit: 1000})
	if len(after) != count {
		t.Errorf("%s: %d internal contacts after the failure, %d before", name, len(after), count)
	}
}
