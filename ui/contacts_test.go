package ui_test

import (
	"bytes"
	"context"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/ligne-app/ligne/internal/contactio"
	"github.com/ligne-app/ligne/internal/demo"
	"github.com/ligne-app/ligne/internal/peers"
	"github.com/ligne-app/ligne/internal/testkeyring"
	"github.com/ligne-app/ligne/internal/testldap"
	"github.com/ligne-app/ligne/secrets"
	"github.com/ligne-app/ligne/selfcare"
	"github.com/ligne-app/ligne/store"
	"github.com/ligne-app/ligne/ui"
)

// opened records the URLs the window hands to the OS.
type opened struct {
	mu   sync.Mutex
	urls []string
}

func (o *opened) open(u string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.urls = append(o.urls, u)
	return nil
}

func (o *opened) list() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]string(nil), o.urls...)
}

// newDemoHarness is newHarness on the demo workspace, with a data folder,
// a keyring and an OS opener of the test's choosing.
func newDemoHarness(t *testing.T, lang string, sec selfcare.Secrets, open *opened) *harness {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	must(t, demo.Seed(ctx, db, now))
	must(t, db.SetSetting(ctx, selfcare.SettingLanguage, lang))
	if sec == nil {
		sec = &secrets.Memory{}
	}
	if open == nil {
		open = &opened{}
	}
	h := &harness{t: t, db: db, secrets: &secrets.Memory{}}
	h.app = ui.New(test.NewTempApp(t), ui.Deps{Services: db, Secrets: sec, Now: func() time.Time { return now },
		DataDir: db.Dir(), OpenURL: open.open, Dispatch: h.enqueue})
	t.Cleanup(h.app.Close)
	h.app.Window().Resize(fyne.NewSize(ui.WindowWidth, ui.WindowHeight))
	h.app.Start()
	h.settle()
	return h
}

// entry finds an entry (in the window or a dialog) by its placeholder.
func (h *harness) entry(placeholder string) *widget.Entry {
	h.t.Helper()
	for _, o := range h.objects() {
		if e, ok := o.(*widget.Entry); ok && e.PlaceHolder == placeholder {
			return e
		}
	}
	h.t.Fatalf("no field %q; on screen: %q", placeholder, h.texts())
	return nil
}

// anyButton finds a button by its text, enabled or not; nil when absent.
func (h *harness) anyButton(text string) *widget.Button {
	for _, o := range h.objects() {
		if b, ok := o.(*widget.Button); ok && b.Text == text {
			return b
		}
	}
	return nil
}

// contactsList is the list of the Contacts screen.
func (h *harness) contactsList() *widget.List {
	h.t.Helper()
	for _, o := range test.LaidOutObjects(h.app.Window().Content()) {
		if l, ok := o.(*widget.List); ok && l.Length() > 0 && l.Length() != len(ui.SectionIDs()) {
			return l
		}
	}
	h.t.Fatal("no contact list")
	return nil
}

// pick searches for q on the Contacts screen and selects the first match.
func (h *harness) pick(q string) {
	h.t.Helper()
	h.entry("Rechercher dans l'annuaire et vos contacts").SetText(q)
	h.settle()
	h.contactsList().Select(0)
	h.settle()
}

func (h *harness) externalCount() int {
	cs, err := h.db.Contacts(context.Background(), selfcare.ContactQuery{Kind: selfcare.ContactExternal})
	if err != nil {
		h.t.Fatal(err)
	}
	return len(cs)
}

func TestContactsAddEditDeleteAnExternalContact(t *testing.T) {
	h := newDemoHarness(t, "fr", nil, nil)
	h.app.Open(ui.SectionContacts)
	h.settle()
	before := h.externalCount()
	h.tap("Ajouter un contact")
	h.entry("Numéro").SetText("04 78 00 00 01")
	h.tap("Enregistrer le contact")
	h.mustShow("no name", "Nom : Ce champ est obligatoire.")
	h.entry("Nom (obligatoire)").SetText("Plomberie Rhône")
	h.entry("Adresse email").SetText("plombier@")
	h.tap("Enregistrer le contact")
	h.mustShow("bad email", "Adresse email : « plombier@ » n'est pas une adresse email valide.")
	h.entry("Numéro").SetText("04 78 00 AB 01")
	h.entry("Adresse email").SetText("contact@plomberie-rhone.fr")
	h.tap("Enregistrer le contact")
	h.mustShow("bad number", "Numéro 1 : « 04 78 00 AB 01 » n'est pas un numéro valide.")
	if h.externalCount() != before {
		t.Fatal("a refused form saved a contact")
	}
	h.entry("Numéro").SetText("04 78 00 00 01")
	h.tap("Enregistrer le contact")
	c, ok, _ := h.db.LookupNumber(context.Background(), "0478000001")
	if !ok || c.Name != "Plomberie Rhône" || c.Kind != selfcare.ContactExternal || c.Email != "contact@plomberie-rhone.fr" {
		t.Fatalf("saved %+v", c)
	}
	h.mustShow("card", "Plomberie Rhône", "Appeler le 04 78 00 00 01", "Modifier", "Supprimer", "Ajouter un raccourci")

	h.tap("Modifier")
	h.entry("Société").SetText("Plomberie Rhône SARL")
	h.tap("Ajouter un numéro")
	numbers := h.entriesWith("Numéro")
	numbers[len(numbers)-1].SetText("06 12 34 56 78")
	h.tap("Enregistrer le contact")
	c, _ = h.db.ContactByID(context.Background(), c.ID)
	if c.Company != "Plomberie Rhône SARL" || len(c.Numbers) != 2 || c.Numbers[1] != (selfcare.TypedNumber{Type: selfcare.NumberMobile, Number: "+33612345678"}) {
		t.Fatalf("edited %+v", c)
	}
	h.tap("Supprimer")
	h.tap("Oui, supprimer")
	if _, err := h.db.ContactByID(context.Background(), c.ID); selfcare.ErrorCode(err) != selfcare.CodeNotFound {
		t.Fatalf("deleted contact still there: %v", err)
	}
	h.mustShow("after delete", "Choisissez un contact dans la liste.")
}

// entriesWith returns the entries with a placeholder, in layout order.
func (h *harness) entriesWith(placeholder string) []*widget.Entry {
	var out []*widget.Entry
	for _, o := range h.objects() {
		if e, ok := o.(*widget.Entry); ok && e.PlaceHolder == placeholder {
			out = append(out, e)
		}
	}
	return out
}

func TestColleaguesAreReadOnlyAndGetSupervisionKeys(t *testing.T) {
	h := newDemoHarness(t, "fr", nil, nil)
	ctx := context.Background()
	h.app.Open(ui.SectionContacts)
	h.settle()
	h.pick("Sophie Girard")
	h.mustShow("supervised colleague", "Sophie Girard", "Supervisé sur la touche 1", "Supervision : État inconnu", "Appeler le 4003")
	for _, absent := range []string{"Modifier", "Supprimer", "Ajouter un raccourci", "Ajouter une touche de supervision"} {
		if h.anyButton(absent) != nil {
			t.Errorf("a colleague's card offers %q", absent)
		}
	}
	h.pick("Hélène Lemoine") // the director is not supervisable
	if h.anyButton("Ajouter une touche de supervision") != nil {
		t.Error("supervision offered on a colleague the administrator did not make supervisable")
	}
	h.pick("Nathalie Roux")
	h.tap("Ajouter une touche de supervision")
	keys, _ := h.db.Keys(ctx)
	last := keys[len(keys)-1]
	if last.Kind != selfcare.KeySupervision || last.Position != 10 || !strings.HasPrefix(last.ContactID, "dir:") {
		t.Fatalf("keys after adding: %+v", keys)
	}
	h.mustShow("key added", "Supervisé sur la touche 10", "Supervision : État inconnu")
	h.pick("Hôtel des Célestins")
	if h.anyButton("Ajouter une touche de supervision") != nil {
		t.Error("supervision offered on an external contact")
	}
	h.tap("Ajouter un raccourci")
	keys, _ = h.db.Keys(ctx)
	if last := keys[len(keys)-1]; last.Kind != selfcare.KeyShortcut || last.Number != "+33478372828" {
		t.Fatalf("shortcut %+v", last)
	}
	h.mustShow("shortcut added", "Raccourci sur la touche 11")
}

func TestRightsWithdrawnHideWhatTheyForbid(t *testing.T) {
	h := newDemoHarness(t, "fr", nil, nil)
	ctx := context.Background()
	p, _ := h.db.Profile(ctx)
	p.Rights = selfcare.Rights{}
	must(t, h.db.ApplyProfile(ctx, p))
	h.app.Open(ui.SectionContacts)
	h.settle()
	if b := h.anyButton("Ajouter un contact"); b == nil || !b.Disabled() {
		t.Fatal("the + button stays active without the right to keep external contacts")
	}
	h.pick("Nathalie Roux")
	if h.anyButton("Ajouter une touche de supervision") != nil {
		t.Error("supervision offered without the right")
	}
	h.pick("Hôtel des Célestins")
	if h.anyButton("Ajouter un raccourci") != nil || h.anyButton("Modifier") == nil || h.anyButton("Supprimer") == nil {
		t.Errorf("external card without the rights: %q", h.texts())
	}
}

func TestSearchAsYouTypeAndClickToCall(t *testing.T) {
	h := newDemoHarness(t, "fr", nil, nil)
	h.app.Open(ui.SectionContacts)
	h.settle()
	search := h.entry("Rechercher dans l'annuaire et vos contacts")
	test.Type(search, "bérard tr") // one keystroke at a time, each a search
	h.settle()
	h.mustShow("typed", "2 contacts", "Éric Bérard", "Transports Bérard")
	if h.shows("Sophie Girard") {
		t.Error("the list was not narrowed as the user typed")
	}
	for q, count := range map[string]string{"eric": "1 contact", "06 98 76": "1 contact", "+33 4 72 10 40 03": "1 contact", "zzz": "0 contact"} {
		search.SetText(q)
		h.settle()
		h.mustShow(q, count)
	}
	search.SetText("Éric Bérard")
	h.settle()
	list := h.contactsList()
	if list.Length() != 1 {
		t.Fatalf("%d results for Éric Bérard", list.Length())
	}
	for _, o := range test.LaidOutObjects(list) {
		if b, ok := o.(*widget.Button); ok && b.Text == "" {
			test.Tap(b)
			break
		}
	}
	h.settle()
	if got := h.entry("Numéro, poste ou sip:…").Text; got != "+33698765432" {
		t.Fatalf("click to call put %q in the softphone", got)
	}
	h.mustShow("demo has no line", "les appels réels demandent un compte SIP")
}

func TestAddContactFromACallerNumber(t *testing.T) {
	h := newDemoHarness(t, "en", nil, nil)
	h.app.Open(ui.SectionCallLog)
	h.settle()
	h.app.AddContactFor("+33 6 55 44 33 22", "")
	h.settle()
	if got := h.entry("Number").Text; got != "06 55 44 33 22" {
		t.Fatalf("number field %q", got)
	}
	h.mustShow("prefilled", "New external contact", "Mobile")
	h.entry("Name (required)").SetText("Nouveau client")
	h.tap("Save the contact")
	c, ok, err := h.db.LookupNumber(context.Background(), "0655443322")
	if err != nil || !ok || c.Name != "Nouveau client" || c.Kind != selfcare.ContactExternal || c.Numbers[0].Type != selfcare.NumberMobile {
		t.Fatalf("contact from the call log: %+v %v", c, err)
	}
}

func TestImportReportsBadEntriesAndExportRoundTrips(t *testing.T) {
	h := newDemoHarness(t, "fr", nil, nil)
	h.app.Open(ui.SectionContacts)
	h.settle()
	before := h.externalCount()
	bad, err := os.ReadFile("../internal/contactio/testdata/bad.vcf")
	must(t, err)
	h.app.ImportContactsFileForTest(bytes.NewReader(bad))
	h.settle()
	h.mustShow("report", "2 contacts lus, 5 refusés",
		"Ligne 5, Sans Numéro : non importé. Aucun numéro de téléphone : ce contact n'est pas importé.",
		"Ligne 10, Numéro Abîmé : Numéro : « 04 72 AB 00 02 » n'est pas un numéro valide.",
		"Ligne 22, Carte Coupée : non importé.")
	h.tap("Importer")
	h.mustShow("imported", "2 contacts ajoutés à vos contacts externes, 0 déjà présents.")
	h.tap("Importer")
	h.mustShow("again", "0 contacts ajoutés à vos contacts externes, 2 déjà présents.")
	if h.externalCount() != before+2 {
		t.Fatalf("%d external contacts, want %d", h.externalCount(), before+2)
	}
	var out bytes.Buffer
	n, err := h.app.ExportContactsForTest(&out, contactio.VCard4)
	must(t, err)
	rep, err := contactio.Read(&out)
	if err != nil || n != before+2 || len(rep.Entries) != n || rep.Refused() != 0 {
		t.Fatalf("export of %d contacts read back as %d (%v, %+v)", n, len(rep.Entries), err, rep.Problems)
	}
	h.app.ImportContactsFileForTest(bytes.NewReader([]byte("date,montant\n2026-03-01,12\n")))
	h.settle()
	h.mustShow("not contacts", "Ce fichier n'est ni un fichier de contacts vCard (.vcf) ni un tableau CSV de contacts.")
}

func TestImportACSVDirectory(t *testing.T) {
	h := newDemoHarness(t, "fr", nil, nil)
	h.app.Open(ui.SectionContacts)
	h.settle()
	csv := "nom,téléphone,mobile,email,service\nAgence Grenoble,4550,04 76 00 45 50,grenoble@lemoine-equipements.fr,Ventes\n"
	h.app.ImportContactsFileForTest(strings.NewReader(csv))
	h.settle()
	h.radio2("Dans l'annuaire de l'entreprise (remplace l'annuaire importé auparavant)")
	h.tap("Importer")
	h.mustShow("directory", "1 contacts forment maintenant l'annuaire importé.")
	c, ok, _ := h.db.LookupNumber(context.Background(), "4550")
	if !ok || c.Kind != selfcare.ContactInternal || c.Source != "import" || c.Department != "Ventes" || c.Editable() {
		t.Fatalf("imported colleague %+v", c)
	}
}

// radio2 selects option in the radio group (window or dialog) offering it.
func (h *harness) radio2(option string) {
	h.t.Helper()
	for _, o := range h.objects() {
		if r, ok := o.(*widget.RadioGroup); ok {
			for _, opt := range r.Options {
				if opt == option {
					r.SetSelected(option)
					return
				}
			}
		}
	}
	h.t.Fatalf("no option %q", option)
}

func TestContactsShowTheLiveStateOfSupervisedColleaguesAndCall(t *testing.T) {
	k := peers.StartKamailio(t, peers.KamailioOptions{Users: lineUsers, Presence: true})
	bob := baresip(t, k, "4022", 440, false)
	carol := baresip(t, k, "4023", 880, true)
	h := newLineHarness(t, k, []selfcare.FunctionKey{{Position: 1, Kind: selfcare.KeySupervision, ContactID: "dir:u-4022"}})
	ctx := context.Background()
	h.app.Open(ui.SectionContacts)
	h.settle()
	h.pick("Bob")
	h.waitFor("idle", func() bool { return h.shows("Supervision : Disponible") })
	carol.Dial(ctx, "sip:4022@"+k.Domain)
	h.waitFor("ringing", func() bool { return h.shows("Supervision : Sonne : ") })
	bob.Accept(ctx)
	h.waitFor("in call", func() bool { return h.shows("Supervision : En communication") })
	carol.Hangup(ctx)
	h.waitFor("idle again", func() bool { return h.shows("Supervision : Disponible") })

	h.pick("Carole")
	h.tap("Ajouter une touche de supervision") // watched at once, without restarting the line
	h.waitFor("carol supervised", func() bool {
		return h.shows("Supervision : Disponible") && h.shows("Carole Petit · Disponible") // the card and the panel's new key
	})
	h.tap("Appeler le 4023")
	h.waitFor("call to carol", func() bool { return len(h.calls()) == 1 })
	if got := h.calls()[0].Remote().User; got != "4023" {
		t.Fatalf("called %q", got)
	}
}

func TestLDAPDirectoryFromTheWindow(t *testing.T) {
	testkeyring.Start(t)
	srv := testldap.Start(t)
	srv.Add(t, testldap.Person("pmartin", "Paul Martin", "Martin", "telephoneNumber: 4301", "mobile: 06 44 33 22 11", "ou: Atelier"))
	h := newDemoHarness(t, "fr", secrets.Keyring{}, nil)
	ctx := context.Background()
	h.app.Open(ui.SectionContacts)
	h.settle()
	h.tap("Annuaire LDAP…")
	h.mustShow("form", "L'annuaire n'a pas encore été chargé.")
	h.entry("Serveur (ex. ldaps://annuaire.exemple.fr)").SetText(srv.URL)
	h.entry("Base de recherche (ex. ou=people,dc=exemple,dc=fr)").SetText("ou=people," + testldap.BaseDN)
	h.entry("Compte de connexion (DN ; vide : anonyme)").SetText(testldap.BindDN)
	h.entry("Mot de passe du compte de connexion").SetText("wrong-password")
	h.tap("Enregistrer et charger")
	h.mustShow("refused", "Mot de passe : L'annuaire a refusé l'identifiant ou le mot de passe de connexion.")
	if _, ok, _ := h.db.LookupNumber(ctx, "4301"); ok {
		t.Fatal("a refused bind loaded contacts")
	}
	h.entry("Mot de passe du compte de connexion").SetText(testldap.BindPassword)
	h.tap("Enregistrer et charger")
	h.mustShow("loaded", "1 contact chargé le ", "(0 entrées sans nom ou sans numéro ignorées)")
	if pw, err := (secrets.Keyring{}).Get("ldap:" + testldap.BindDN + "@" + srv.URL[:len(srv.URL)-1]); err != nil || pw != testldap.BindPassword {
		t.Fatalf("bind password in the keyring: %q %v", pw, err)
	}
	h.tap("Fermer")
	h.pick("Paul Martin")
	h.mustShow("ldap colleague", "Paul Martin", "Atelier", "Appeler le 4301", "Appeler le 06 44 33 22 11", "Ajouter une touche de supervision")
	if h.anyButton("Modifier") != nil {
		t.Error("an LDAP colleague can be edited")
	}
}
