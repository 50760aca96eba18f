package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ligne-app/ligne/assets"
	"github.com/ligne-app/ligne/internal/contactio"
	"github.com/ligne-app/ligne/internal/testkeyring"
	"github.com/ligne-app/ligne/internal/testldap"
)

func TestContactsCommands(t *testing.T) {
	dir := demoDir(t)
	code, _, errOut := ctl(t, "", "--data", dir, "--lang", "fr", "contacts", "add", "--name", "Plomberie Rhône", "--number", "04 78 00 AB 01")
	if code != 1 || !strings.Contains(errOut, "--number: « 04 78 00 AB 01 » n'est pas un numéro valide") {
		t.Fatalf("bad number: %d %q", code, errOut)
	}
	code, out, errOut := ctl(t, "", "--data", dir, "contacts", "add", "--name", "Plomberie Rhône",
		"--number", "04 78 00 00 01", "--number", "mobile:06 12 34 56 78", "--email", "contact@plomberie.fr")
	if code != 0 || !strings.HasPrefix(out, "ext:") {
		t.Fatalf("add: %d %q %q", code, out, errOut)
	}
	id := strings.TrimSpace(out)
	if _, out, _ := ctl(t, "", "--data", dir, "contacts", "lookup", "0612345678"); !strings.Contains(out, "Plomberie Rhône") {
		t.Fatalf("lookup: %q", out)
	}
	if _, out, _ := ctl(t, "", "--data", dir, "contacts", "list", "--search", "plomb"); !strings.Contains(out, "work:+33478000001,mobile:+33612345678") {
		t.Fatalf("list: %q", out)
	}
	if code, _, errOut := ctl(t, "", "--data", dir, "--lang", "en", "contacts", "key", "dir:u-003", "shortcut"); code != 1 || !strings.Contains(errOut, "Shortcuts are for your external contacts") {
		t.Fatalf("shortcut on a colleague: %d %q", code, errOut)
	}
	if code, out, _ := ctl(t, "", "--data", dir, "contacts", "key", id, "shortcut"); code != 0 || !strings.Contains(out, "key 10: shortcut +33478000001") {
		t.Fatalf("shortcut: %d %q", code, out)
	}
	if code, _, errOut := ctl(t, "", "--data", dir, "--lang", "en", "contacts", "delete", "dir:u-003"); code != 1 || !strings.Contains(errOut, "cannot be changed") {
		t.Fatalf("delete a colleague: %d %q", code, errOut)
	}
}

func TestContactsImportAndExportFiles(t *testing.T) {
	dir := demoDir(t)
	code, out, errOut := ctl(t, "", "--data", dir, "--lang", "fr", "contacts", "import", "../../internal/contactio/testdata/bad.vcf")
	if code != 0 || !strings.Contains(out, "line 5, Sans Numéro: not imported: Aucun numéro de téléphone") ||
		!strings.Contains(out, "2 read, 5 refused, 2 added, 0 already there") {
		t.Fatalf("import: %d %q %q", code, out, errOut)
	}
	code, out, _ = ctl(t, "", "--data", dir, "contacts", "import", "../../internal/contactio/testdata/outlook.vcf")
	if code != 0 || !strings.Contains(out, "1 read, 0 refused, 0 added, 1 already there") {
		t.Fatalf("Grégoire Pellet is in the demo already: %q", out)
	}
	file := filepath.Join(t.TempDir(), "contacts.vcf")
	if code, _, errOut := ctl(t, "", "--data", dir, "contacts", "export", file, "--version", "4.0"); code != 0 {
		t.Fatalf("export: %s", errOut)
	}
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rep, err := contactio.Read(f)
	if err != nil || len(rep.Entries) != 13+2 || rep.Refused() != 0 {
		t.Fatalf("exported file read back: %d entries, %v, %+v", len(rep.Entries), err, rep.Problems)
	}
	code, out, _ = ctl(t, "", "--data", dir, "contacts", "import", "../../internal/contactio/testdata/annuaire.csv", "--directory")
	if code != 0 || !strings.Contains(out, "the imported directory now has 2 contacts") {
		t.Fatalf("directory import: %q", out)
	}
	if _, out, _ := ctl(t, "", "--data", dir, "contacts", "list", "--kind", "internal", "--search", "marc fontaine"); strings.Count(out, "\n") != 2 {
		t.Fatalf("the profile's and the imported Marc Fontaine: %q", out)
	}
}

func TestContactsLDAPCommands(t *testing.T) {
	testkeyring.Start(t)
	srv := testldap.Start(t)
	srv.Add(t, testldap.Person("pmartin", "Paul Martin", "Martin", "telephoneNumber: 4301"))
	dir := t.TempDir()
	code, out, errOut := ctl(t, testldap.BindPassword+"\n", "--data", dir, "contacts", "ldap", "set", "--url", srv.URL,
		"--base-dn", "ou=people,"+testldap.BaseDN, "--bind-dn", testldap.BindDN, "--password-stdin", "--refresh", "1h")
	if code != 0 {
		t.Fatalf("ldap set: %d %q %q", code, out, errOut)
	}
	if code, out, errOut := ctl(t, "", "--data", dir, "contacts", "ldap", "sync"); code != 0 || !strings.Contains(out, "1 contacts loaded") {
		t.Fatalf("ldap sync: %d %q %q", code, out, errOut)
	}
	code, out, _ = ctl(t, "", "--data", dir, "contacts", "ldap", "show")
	if code != 0 || !strings.Contains(out, "password_in_keyring=true") || !strings.Contains(out, "count=1") || strings.Contains(out, testldap.BindPassword) {
		t.Fatalf("ldap show: %q", out)
	}
	if _, out, _ := ctl(t, "", "--data", dir, "contacts", "lookup", "4301"); !strings.Contains(out, "Paul Martin") {
		t.Fatalf("lookup of an LDAP colleague: %q", out)
	}
	if code, _, errOut := ctl(t, "", "--data", dir, "--lang", "en", "contacts", "ldap", "set", "--url", "http://x", "--base-dn", "dc=x"); code != 1 || !strings.Contains(errOut, "--url: “http://x” is not a valid directory address") {
		t.Fatalf("bad url: %d %q", code, errOut)
	}
	assertNotInFiles(t, dir, testldap.BindPassword)
}

func TestDocsCommands(t *testing.T) {
	dir := demoDir(t)
	code, out, _ := ctl(t, "", "--data", dir, "docs", "list")
	if code != 0 || !strings.Contains(out, "guide-t46u\tuser-guide\tGuide utilisateur Yealink T46U\tcached=false") {
		t.Fatalf("docs list: %q", out)
	}
	code, out, errOut := ctl(t, "", "--data", dir, "docs", "fetch", "guide-t46u")
	path := strings.TrimSpace(out)
	want, _ := assets.Document("guide-yealink-t46u.pdf")
	if got, _ := os.ReadFile(path); code != 0 || string(got) != string(want) || !strings.HasPrefix(path, filepath.Join(dir, "docs")) {
		t.Fatalf("docs fetch: %d %q %q", code, out, errOut)
	}
	if _, out, _ := ctl(t, "", "--data", dir, "docs", "list"); !strings.Contains(out, "Guide utilisateur Yealink T46U\tcached=true") {
		t.Fatalf("after fetch: %q", out)
	}
}
