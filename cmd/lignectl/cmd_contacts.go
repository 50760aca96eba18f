package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ligne-app/ligne/assets"
	"github.com/ligne-app/ligne/internal/contactio"
	"github.com/ligne-app/ligne/internal/directory"
	"github.com/ligne-app/ligne/internal/docs"
	"github.com/ligne-app/ligne/selfcare"
)

const contactsUsage = `contacts list [--search Q] [--kind internal|external] [--json]
contacts add --name N [--company C] [--number [work|mobile|home|other:]NUMBER]... [--email E] [--notes T]
contacts delete ID | contacts lookup NUMBER | contacts key ID supervision|shortcut
contacts import FILE.vcf|FILE.csv [--directory] | contacts export FILE|- [--version 3.0|4.0]
contacts ldap set --url ldap[s]://HOST[:PORT] --base-dn DN [--filter F] [--bind-dn DN --password-stdin]
                  [--preset openldap|ad] [--map field=attribute,...] [--refresh 1h] [--starttls]
contacts ldap show | sync | watch | remove`

func contactsCommand() *command {
	return &command{name: "contacts", help: "contacts, the company directory (LDAP, files), vCard export",
		usage: contactsUsage, run: runContacts}
}

func docsCommand() *command {
	return &command{name: "docs", help: "the documentation library: list, download into the cache",
		usage: "docs list | docs fetch ID", run: runDocs}
}

func runContacts(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return e.usagef("%s", contactsUsage)
	}
	subs := map[string]func(context.Context, *env, []string) error{
		"list": contactsList, "add": contactsAdd, "delete": contactsDelete, "lookup": contactsLookup,
		"key": contactsKey, "import": contactsImport, "export": contactsExport, "ldap": runLDAP,
	}
	if run, ok := subs[args[0]]; ok {
		return run(ctx, e, args[1:])
	}
	return e.usagef("%s", contactsUsage)
}

// contactsList prints the contacts matching a search, one a line or JSON.
func contactsList(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("contacts list", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	search := fs.String("search", "", "words or digits to find")
	kind := fs.String("kind", "", "internal or external")
	asJSON := fs.Bool("json", false, "one JSON array")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	db, err := e.store(ctx)
	if err != nil {
		return err
	}
	cs, err := db.Contacts(ctx, selfcare.ContactQuery{Search: *search, Kind: selfcare.ContactKind(*kind), Limit: 1 << 20})
	if err != nil {
		return err
	}
	if *asJSON {
		return json.NewEncoder(e.stdout).Encode(cs)
	}
	for _, c := range cs {
		fmt.Fprintf(e.stdout, "%s\t%s\t%s\t%s\t%s\n", c.ID, c.Kind, c.Name, c.Company, numbersText(c))
	}
	return nil
}

// numbersText is a contact's extension and numbers, comma-separated.
func numbersText(c selfcare.Contact) string {
	var parts []string
	if c.Extension != "" {
		parts = append(parts, "extension:"+c.Extension)
	}
	for _, n := range c.Numbers {
		parts = append(parts, string(n.Type)+":"+n.Number)
	}
	return strings.Join(parts, ",")
}

// numbersFlag collects --number [type:]NUMBER.
type numbersFlag []selfcare.TypedNumber

func (n *numbersFlag) String() string { return fmt.Sprint(*n) }

// Set reads one typed number.
func (n *numbersFlag) Set(s string) error {
	t, num := selfcare.NumberWork, s
	if k, rest, ok := strings.Cut(s, ":"); ok && indexOfType(k) {
		t, num = selfcare.NumberType(k), rest
	}
	*n = append(*n, selfcare.TypedNumber{Type: t, Number: num})
	return nil
}

func indexOfType(k string) bool {
	switch selfcare.NumberType(k) {
	case selfcare.NumberWork, selfcare.NumberMobile, selfcare.NumberHome, selfcare.NumberOther:
		return true
	}
	return false
}

// contactsAdd adds an external contact.
func contactsAdd(ctx context.Context, e *env, args []string) error {
	c := selfcare.Contact{Kind: selfcare.ContactExternal, Source: "user"}
	var numbers numbersFlag
	fs := flag.NewFlagSet("contacts add", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.StringVar(&c.Name, "name", "", "name")
	fs.StringVar(&c.Company, "company", "", "company")
	fs.Var(&numbers, "number", "[type:]number, repeatable")
	fs.StringVar(&c.Email, "email", "", "email address")
	fs.StringVar(&c.Notes, "notes", "", "notes")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	c.Numbers = numbers
	db, err := e.store(ctx)
	if err != nil {
		return err
	}
	saved, err := db.AddContact(ctx, c)
	var fe *selfcare.Error
	if errors.As(err, &fe) && strings.HasPrefix(fe.Field, "numbers.") {
		err = selfcare.Errorf(fe.Code, "number", fe.Args...)
	}
	if err != nil {
		return fieldError(e, err)
	}
	fmt.Fprintln(e.stdout, saved.ID)
	return nil
}

func contactsDelete(ctx context.Context, e *env, args []string) error {
	if len(args) != 1 {
		return e.usagef("contacts delete ID")
	}
	db, err := e.store(ctx)
	if err != nil {
		return err
	}
	return db.DeleteContact(ctx, args[0])
}

// contactsLookup prints the name callers with NUMBER get everywhere.
func contactsLookup(ctx context.Context, e *env, args []string) error {
	if len(args) != 1 {
		return e.usagef("contacts lookup NUMBER")
	}
	db, err := e.store(ctx)
	if err != nil {
		return err
	}
	c, ok, err := db.LookupNumber(ctx, args[0])
	if err != nil {
		return err
	}
	if !ok {
		return selfcare.Errorf(selfcare.CodeNotFound, "")
	}
	fmt.Fprintf(e.stdout, "%s\t%s\t%s\n", c.ID, c.Kind, c.Name)
	return nil
}

// contactsKey gives a contact a supervision or shortcut key.
func contactsKey(ctx context.Context, e *env, args []string) error {
	if len(args) != 2 || (args[1] != string(selfcare.KeySupervision) && args[1] != string(selfcare.KeyShortcut)) {
		return e.usagef("contacts key ID supervision|shortcut")
	}
	db, err := e.store(ctx)
	if err != nil {
		return err
	}
	k, err := db.AddContactKey(ctx, args[0], selfcare.KeyKind(args[1]))
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "key %d: %s %s\n", k.Position, k.Kind, k.Number)
	return nil
}

// contactsImport reads a vCard or CSV file, prints every entry refused or
// cut with its line and reason, and imports the others into the external
// contacts, or as the imported company directory with --directory.
func contactsImport(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("contacts import", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	toDirectory := fs.Bool("directory", false, "replace the imported company directory")
	path, rest := firstArg(args)
	if err := fs.Parse(rest); err != nil || path == "" {
		return e.usagef("contacts import FILE [--directory]")
	}
	rep, err := readContactsFile(path)
	if err != nil {
		return err
	}
	for _, p := range rep.Problems {
		what := e.tr().Err(p.Err)
		if p.Refused {
			what = "not imported: " + what
		}
		fmt.Fprintf(e.stdout, "line %d, %s: %s\n", p.Line, orNoName(p.Name), what)
	}
	db, err := e.store(ctx)
	if err != nil {
		return err
	}
	if *toDirectory {
		return importDirectory(ctx, e, db, rep)
	}
	added, dups, err := db.ImportContacts(ctx, rep.Contacts())
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%d read, %d refused, %d added, %d already there\n", len(rep.Entries), rep.Refused(), len(added), len(dups))
	return nil
}

func orNoName(s string) string {
	if s == "" {
		return "(no name)"
	}
	return s
}

// firstArg splits the first non-flag argument from the others.
func firstArg(args []string) (string, []string) {
	for i, a := range args {
		if !strings.HasPrefix(a, "-") {
			return a, append(append([]string(nil), args[:i]...), args[i+1:]...)
		}
	}
	return "", args
}

func readContactsFile(path string) (contactio.Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return contactio.Report{}, &userError{msg: err.Error()}
	}
	defer f.Close()
	return contactio.Read(f)
}

// importDirectory makes the entries the "import" part of the directory.
func importDirectory(ctx context.Context, e *env, db interface {
	ReplaceDirectory(context.Context, string, []selfcare.Contact) error
}, rep contactio.Report) error {
	if len(rep.Entries) == 0 {
		return selfcare.Errorf(selfcare.CodeImportNothing, "")
	}
	cs := contactio.AsDirectory(rep.Contacts())
	if err := db.ReplaceDirectory(ctx, contactio.DirectorySource, cs); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%d read, %d refused, the imported directory now has %d contacts\n", len(rep.Entries), rep.Refused(), len(cs))
	return nil
}

// contactsExport writes the external contacts as vCard (- for stdout).
func contactsExport(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("contacts export", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	version := fs.String("version", contactio.VCard3, "3.0 or 4.0")
	path, rest := firstArg(args)
	if err := fs.Parse(rest); err != nil || path == "" {
		if len(args) > 0 && args[0] == "-" {
			path = "-"
		} else {
			return e.usagef("contacts export FILE|- [--version 3.0|4.0]")
		}
	}
	db, err := e.store(ctx)
	if err != nil {
		return err
	}
	cs, err := db.Contacts(ctx, selfcare.ContactQuery{Kind: selfcare.ContactExternal, Limit: 1 << 20})
	if err != nil {
		return err
	}
	return writeExport(e, path, cs, *version)
}

// writeExport writes the vCard file whole, or not at all.
func writeExport(e *env, path string, cs []selfcare.Contact, version string) error {
	if path == "-" {
		return contactio.WriteVCard(e.stdout, cs, version)
	}
	tmp := path + ".part"
	f, err := os.Create(tmp)
	if err != nil {
		return &userError{msg: err.Error()}
	}
	err = contactio.WriteVCard(f, cs, version)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	fmt.Fprintf(e.stderr, "%d contacts written to %s\n", len(cs), path)
	return os.Rename(tmp, path)
}

// runDocs lists the documentation library or fetches one document into
// the data folder's cache (printing its path, progress on stderr).
func runDocs(ctx context.Context, e *env, args []string) error {
	db, err := e.store(ctx)
	if err != nil {
		return err
	}
	p, err := db.Profile(ctx)
	if err != nil {
		return err
	}
	cache := docs.New(filepath.Join(e.dataDir, "docs"), nil, assets.Document)
	switch {
	case len(args) == 1 && args[0] == "list":
		for _, d := range p.Documents {
			_, cached := cache.Path(d)
			fmt.Fprintf(e.stdout, "%s\t%s\t%s\tcached=%v\n", d.ID, d.Kind, d.Title, cached)
		}
		return nil
	case len(args) == 2 && args[0] == "fetch":
		return fetchDoc(ctx, e, cache, p.Documents, args[1])
	}
	return e.usagef("docs list | docs fetch ID")
}

func fetchDoc(ctx context.Context, e *env, cache *docs.Cache, all []selfcare.Document, id string) error {
	for _, d := range all {
		if d.ID != id {
			continue
		}
		if d.Kind == selfcare.DocVideo {
			fmt.Fprintln(e.stdout, d.URL)
			return nil
		}
		last := int64(-1)
		path, err := cache.Fetch(ctx, d, func(done, total int64) {
			if pct := done * 100 / max(total, 1); total > 0 && pct/10 != last {
				last = pct / 10
				fmt.Fprintf(e.stderr, "%d%%\n", pct)
			}
		})
		if err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, path)
		return nil
	}
	return selfcare.Errorf(selfcare.CodeNotFound, "")
}

// runLDAP sets up, shows, loads, watches or removes the LDAP directory.
func runLDAP(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return e.usagef("%s", contactsUsage)
	}
	db, err := e.store(ctx)
	if err != nil {
		return err
	}
	s := &directory.Syncer{Store: db, Secrets: e.keyring(), Log: e.logger()}
	switch args[0] {
	case "set":
		return ldapSet(ctx, e, s, args[1:])
	case "show":
		return ldapShow(ctx, e, s)
	case "sync":
		st, err := s.Sync(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "%d contacts loaded, %d entries left out\n", st.Count, st.Skipped)
		return nil
	case "watch":
		return ldapWatch(ctx, e, s)
	case "remove":
		return s.Remove(ctx)
	}
	return e.usagef("%s", contactsUsage)
}

// ldapSet saves the settings, the password (from stdin) in the keyring.
func ldapSet(ctx context.Context, e *env, s *directory.Syncer, args []string) error {
	var c directory.Config
	var preset, mapping string
	var pwStdin bool
	fs := flag.NewFlagSet("contacts ldap set", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.StringVar(&c.URL, "url", "", "ldap://host[:port] or ldaps://host[:port]")
	fs.StringVar(&c.BaseDN, "base-dn", "", "search base")
	fs.StringVar(&c.Filter, "filter", "", "search filter (default "+directory.DefaultFilter+")")
	fs.StringVar(&c.BindDN, "bind-dn", "", "bind account (empty: anonymous)")
	fs.BoolVar(&pwStdin, "password-stdin", false, "read the bind password from stdin")
	fs.StringVar(&preset, "preset", "openldap", "attribute mapping: openldap or ad")
	fs.StringVar(&mapping, "map", "", "field=attribute,... (name company department extension work mobile home email)")
	fs.DurationVar(&c.Refresh, "refresh", 0, "period of the automatic refresh (0: by hand)")
	fs.BoolVar(&c.StartTLS, "starttls", false, "upgrade ldap:// with StartTLS")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	c.Mapping = directory.DefaultMapping()
	if preset == "ad" {
		c.Mapping = directory.ActiveDirectoryMapping()
	}
	if err := applyMap(&c.Mapping, mapping); err != nil {
		return e.usagef("--map: %v", err)
	}
	password := ""
	if pwStdin {
		var err error
		if password, err = e.stdinText(); err != nil {
			return err
		}
	}
	saved, err := directory.SaveConfig(ctx, s.Store, s.Secrets, c, password)
	if err != nil {
		return fieldError(e, err)
	}
	fmt.Fprintf(e.stdout, "directory %s saved\n", saved.URL)
	return nil
}

// applyMap sets mapping fields from "field=attribute,...".
func applyMap(m *directory.Mapping, spec string) error {
	fields := map[string]*string{"name": &m.Name, "company": &m.Company, "department": &m.Department,
		"extension": &m.Extension, "work": &m.Work, "mobile": &m.Mobile, "home": &m.Home, "email": &m.Email}
	for _, pair := range strings.Split(spec, ",") {
		if pair = strings.TrimSpace(pair); pair == "" {
			continue
		}
		k, v, ok := strings.Cut(pair, "=")
		f, known := fields[strings.TrimSpace(k)]
		if !ok || !known {
			return fmt.Errorf("%q is not field=attribute", pair)
		}
		*f = strings.TrimSpace(v)
	}
	return nil
}

// ldapShow prints the settings (never the password) and the last load.
func ldapShow(ctx context.Context, e *env, s *directory.Syncer) error {
	c, ok, err := directory.LoadConfig(ctx, s.Store)
	if err != nil {
		return err
	}
	if !ok {
		return selfcare.Errorf(selfcare.CodeLDAPNotConfigured, "")
	}
	_, pwErr := s.Secrets.Get(c.SecretKey())
	st, err := directory.LoadStatus(ctx, s.Store)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "url=%s\nbase_dn=%s\nfilter=%s\nbind_dn=%s\npassword_in_keyring=%v\nrefresh=%s\nmapping=%+v\n",
		c.URL, c.BaseDN, c.Filter, c.BindDN, c.BindDN != "" && pwErr == nil, c.Refresh, c.Mapping)
	fmt.Fprintf(e.stdout, "last_success=%s\ncount=%d\nskipped=%d\n", ldapStamp(st.Success), st.Count, st.Skipped)
	if err := st.Err(); err != nil {
		fmt.Fprintf(e.stdout, "last_error=%s\n", e.tr().Err(err))
	}
	return nil
}

func ldapStamp(t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return t.Format(time.RFC3339)
}

// ldapWatch refreshes the directory as its settings say until interrupted,
// one JSON line per load.
func ldapWatch(ctx context.Context, e *env, s *directory.Syncer) error {
	enc := json.NewEncoder(e.stdout)
	r := directory.NewRefresher(s, nil, func(st directory.Status, err error) {
		line := map[string]any{"event": "directory.synced", "count": st.Count, "skipped": st.Skipped, "at": st.Attempt}
		if err != nil {
			line["event"], line["error"] = "directory.failed", e.tr().Err(err)
		}
		enc.Encode(line)
	})
	if err := r.Run(ctx); err != nil && ctx.Err() == nil {
		return err
	}
	return nil
}
