package ui_test

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ligne-app/ligne/internal/demo"
	"github.com/ligne-app/ligne/internal/peers"
	"github.com/ligne-app/ligne/provision"
	"github.com/ligne-app/ligne/secrets"
	"github.com/ligne-app/ligne/selfcare"
	"github.com/ligne-app/ligne/store"
	"github.com/ligne-app/ligne/ui"
)

// newPhonesHarness is the window on the demo workspace with the services
// main gives it: the store alone, or the store with provisioning (wrap).
func newPhonesHarness(t *testing.T, lang string, wrap func(*store.DB) selfcare.Services) *harness {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := demo.Seed(ctx, db, now); err != nil {
		t.Fatal(err)
	}
	if err := db.SetSetting(ctx, selfcare.SettingLanguage, lang); err != nil {
		t.Fatal(err)
	}
	var svc selfcare.Services = db
	if wrap != nil {
		svc = wrap(db)
	}
	h := &harness{t: t, db: db, secrets: &secrets.Memory{}}
	h.app = ui.New(test.NewTempApp(t), ui.Deps{Services: svc, Secrets: h.secrets, Now: func() time.Time { return now },
		DataDir: db.Dir(), Dispatch: h.enqueue})
	t.Cleanup(h.app.Close)
	h.app.Window().Resize(fyne.NewSize(ui.WindowWidth, ui.WindowHeight))
	h.app.Start()
	h.settle()
	h.app.Open(ui.SectionPhones)
	h.settle()
	return h
}

// phonesEntry finds an entry by its placeholder.
func (h *harness) phonesEntry(placeholder string) *widget.Entry {
	h.t.Helper()
	for _, o := range h.objects() {
		if e, ok := o.(*widget.Entry); ok && e.PlaceHolder == placeholder {
			return e
		}
	}
	h.t.Fatalf("no entry %q; texts: %q", placeholder, h.texts())
	return nil
}

// phonesSelect finds a drop-down list offering option (or whose
// placeholder is option).
func (h *harness) phonesSelect(option string) *widget.Select {
	h.t.Helper()
	for _, o := range h.objects() {
		if s, ok := o.(*widget.Select); ok && (s.PlaceHolder == option || phonesHasOption(s, option)) {
			return s
		}
	}
	h.t.Fatalf("no drop-down list with %q", option)
	return nil
}

func phonesHasOption(s *widget.Select, option string) bool {
	for _, o := range s.Options {
		if o == option {
			return true
		}
	}
	return false
}

// choose selects the first option of s starting with prefix.
func (h *harness) phonesChoose(s *widget.Select, prefix string) {
	h.t.Helper()
	for _, o := range s.Options {
		if strings.HasPrefix(o, prefix) {
			s.SetSelected(o)
			h.settle()
			return
		}
	}
	h.t.Fatalf("no option %q in %q", prefix, s.Options)
}

func (h *harness) phonesTap(button string) {
	h.t.Helper()
	test.Tap(h.button(button))
	h.settle()
}

func (h *harness) phonesDevices() []selfcare.Device {
	h.t.Helper()
	devs, err := h.db.Devices(context.Background())
	if err != nil {
		h.t.Fatal(err)
	}
	return devs
}

func (h *harness) phonesKeys() []selfcare.FunctionKey {
	h.t.Helper()
	keys, err := h.db.Keys(context.Background())
	if err != nil {
		h.t.Fatal(err)
	}
	return keys
}

func TestPhonesAddDeviceRefusesABadMAC(t *testing.T) {
	h := newPhonesHarness(t, "fr", nil)
	h.mustShow("devices", "Yealink T46U", "Poly VVX 450", "Salle de réunion Rhône", "Ajouter un poste")
	model := h.phonesSelect("Modèle")
	mac := h.phonesEntry("Adresse MAC (au dos du poste)")
	h.phonesChoose(model, "Yealink T41S")
	test.Type(mac, "80:5E:C0:ZZ:00:01")
	h.phonesTap("Ajouter le poste")
	h.mustShow("bad MAC", "Adresse MAC : « 80:5E:C0:ZZ:00:01 » n'est pas une adresse MAC valide (12 chiffres hexadécimaux")
	if n := len(h.phonesDevices()); n != 2 {
		t.Fatalf("a phone with a bad MAC was saved: %d phones", n)
	}
	mac.SetText("80:5E:C0:A1:B2:C3")
	h.phonesTap("Ajouter le poste")
	h.mustShow("known MAC", "Un poste avec l'adresse MAC 805EC0A1B2C3 existe déjà.")
	mac.SetText("80-5e-c0-00-00-41")
	test.Type(h.phonesEntry("Libellé (facultatif)"), "Accueil")
	h.phonesTap("Ajouter le poste")
	devs := h.phonesDevices()
	if len(devs) != 3 || devs[2].Model != "T41S" || devs[2].MAC != "805ec0000041" || devs[2].Label != "Accueil" {
		t.Fatalf("phones %+v", devs)
	}
	h.mustShow("added", "Yealink T41S", "80:5E:C0:00:00:41", "14 touches de fonction")
}

func TestPhonesAddDeviceNeedsAModel(t *testing.T) {
	h := newPhonesHarness(t, "en", nil)
	test.Type(h.phonesEntry("MAC address (under the phone)"), "805ec0000041")
	h.phonesTap("Add the phone")
	h.mustShow("no model", "Model: This field is required.")
	if n := len(h.phonesDevices()); n != 2 {
		t.Fatalf("%d phones", n)
	}
}

// addKey fills the guide's form: kind, name, then the contact.
func (h *harness) phonesAddKey(kind, search, contact string) {
	h.t.Helper()
	h.phonesChoose(h.phonesSelect(kind), kind)
	h.phonesEntry("Nom du contact").SetText(search)
	h.settle()
	h.phonesChoose(h.phonesSelect("Sélectionnez le contact"), contact)
	h.phonesTap("Ajouter la touche")
}

func TestPhonesKeyEditorRefusesSupervisionOfAnExternalContact(t *testing.T) {
	h := newPhonesHarness(t, "fr", nil)
	h.mustShow("keys", "Sophie (accueil)", "9 touches sur 95 au plus (VVX 450, votre poste le plus limité)")
	h.phonesAddKey("Supervision", "bérard", "Transports Bérard · externe")
	h.mustShow("refused", "La supervision n'est accessible que pour les utilisateurs internes.")
	if n := len(h.phonesKeys()); n != 9 {
		t.Fatalf("a refused key was saved: %d keys", n)
	}
	h.phonesAddKey("Raccourci", "bérard", "Transports Bérard · externe")
	keys := h.phonesKeys()
	if len(keys) != 10 || keys[9].Kind != selfcare.KeyShortcut || keys[9].ContactID != "ext:1" || keys[9].Number != "+33478601020" {
		t.Fatalf("keys %+v", keys)
	}
	h.mustShow("added", "10. Raccourci · Transports Bérard (04 78 60 10 20)")
	h.phonesAddKey("Supervision", "girard", "Sophie Girard · interne")
	if keys := h.phonesKeys(); len(keys) != 11 || keys[10].Number != "4003" {
		t.Fatalf("supervision of a colleague: %+v", keys)
	}
	h.phonesAddKey("Supervision", "lemoine", "Hélène Lemoine · interne")
	h.mustShow("not supervisable", "Votre administrateur n'autorise pas la supervision de Hélène Lemoine.")
	if n := len(h.phonesKeys()); n != 11 {
		t.Fatalf("a colleague the administrator keeps from supervision was saved: %d keys", n)
	}
}

func TestPhonesKeyEditorRefusesMoreKeysThanTheSmallestPhone(t *testing.T) {
	h := newPhonesHarness(t, "fr", func(db *store.DB) selfcare.Services {
		if _, err := db.AddDevice(context.Background(), selfcare.Device{Model: "T41S", MAC: "805ec0000041"}); err != nil {
			t.Fatal(err)
		}
		return db
	})
	h.mustShow("capacity", "9 touches sur 14 au plus (T41S, votre poste le plus limité)")
	for i := range 5 {
		h.phonesAddKey("Raccourci", "hôtel", "Hôtel des Célestins")
		if n := len(h.phonesKeys()); n != 10+i {
			t.Fatalf("key %d not saved: %d keys", 10+i, n)
		}
	}
	h.mustShow("full", "14 touches sur 14 au plus")
	h.phonesAddKey("Raccourci", "hôtel", "Hôtel des Célestins")
	h.mustShow("over capacity", "Le T41S accepte au plus 14 touches de fonction.")
	if n := len(h.phonesKeys()); n != 14 {
		t.Fatalf("a key beyond the T41S's 14 was saved: %d keys", n)
	}
}

func TestPhonesKeysMoveAndRemove(t *testing.T) {
	h := newPhonesHarness(t, "fr", nil)
	var removes []*widget.Button
	for _, o := range h.objects() {
		if b, ok := o.(*widget.Button); ok && b.Text == "" && b.Icon != nil && b.Icon.Name() == theme.DeleteIcon().Name() {
			removes = append(removes, b)
		}
	}
	if len(removes) < 9 {
		t.Fatalf("%d remove buttons", len(removes))
	}
	test.Tap(removes[0])
	h.settle()
	keys := h.phonesKeys()
	if len(keys) != 8 || keys[0].ContactID != "dir:u-014" || keys[0].Position != 1 {
		t.Fatalf("after removing the first key: %+v", keys[:2])
	}
}

func TestPhonesAdvancedSettingsRefuseABadLockCode(t *testing.T) {
	h := newPhonesHarness(t, "fr", nil)
	before := h.phonesDevices()[0]
	h.phonesTap("Gérer le poste")
	h.mustShow("management", "Gestion du poste Yealink T46U", "Ce modèle porte 16 comptes et 27 touches programmables.", "Paramètres avancés")
	var lock *widget.Check
	for _, o := range h.objects() {
		if c, ok := o.(*widget.Check); ok && c.Text == "Verrouiller le poste" {
			lock = c
			break
		}
	}
	lock.SetChecked(true)
	h.phonesEntry("Code de verrouillage (4 à 8 chiffres)").SetText("12")
	h.phonesTap("Enregistrer les réglages")
	h.mustShow("bad code", "Code de verrouillage : Le code doit comporter de 4 à 8 chiffres.")
	if after := h.phonesDevices()[0]; after.Settings != before.Settings || after.ConfigVersion != before.ConfigVersion {
		t.Fatalf("a refused form changed the phone: %+v", after)
	}
	h.phonesEntry("Code de verrouillage (4 à 8 chiffres)").SetText("2580")
	h.phonesEntry("Verrouillage après (secondes d'inactivité)").SetText("120")
	h.phonesTap("Enregistrer les réglages")
	after := h.phonesDevices()[0]
	if !after.Settings.LockEnabled || after.Settings.LockCode != "2580" || after.Settings.LockTimeout != 120 || after.ConfigVersion != before.ConfigVersion+1 {
		t.Fatalf("settings not saved: %+v", after)
	}
}

// withProvisioning wires the provisioning service as main does, its server
// on a free loopback port.
func withProvisioning(t *testing.T, sec selfcare.Secrets, svc **provision.Service) func(*store.DB) selfcare.Services {
	return func(db *store.DB) selfcare.Services {
		s, err := provision.NewService(provision.ServiceOptions{Store: db, Secrets: sec, DataDir: db.Dir(), Interval: -1,
			Notifier: &provision.Notifier{Timeout: 5 * time.Second}})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		if _, err := s.SetProvisioningServer(context.Background(), selfcare.ProvisioningConfig{Enabled: true, HTTPAddr: "127.0.0.1:0"}); err != nil {
			t.Fatal(err)
		}
		*svc = s
		return provisioned{DB: db, Service: s}
	}
}

// provisioned is the window's services as main wires them: the store,
// with everything it offers, and the provisioning service.
type provisioned struct {
	*store.DB
	*provision.Service
}

// TestPhonesSyncStateAfterAFetch: a Yealink fetches its file from Ligne's
// server; the phone's card says what it fetched; "Synchroniser maintenant"
// reaches sipp acting as the phone and the answer shows.
func TestPhonesSyncStateAfterAFetch(t *testing.T) {
	sec := &secrets.Memory{}
	var svc *provision.Service
	h := newPhonesHarness(t, "fr", withProvisioning(t, sec, &svc))
	ctx := context.Background()
	yl := h.phonesDevices()[0]
	st, _ := svc.ProvisioningServer(ctx)
	creds, err := svc.DeviceCredentials(ctx, yl.ID)
	if err != nil || creds.URL != st.URLs[0] {
		t.Fatalf("credentials %+v %v", creds, err)
	}
	if code := fetchAsYealink(t, creds.URL+yl.MAC+".cfg", creds.User, creds.Password); code != http.StatusOK {
		t.Fatalf("fetch: %d", code)
	}
	h.app.Open(ui.SectionPhones)
	h.settle()
	h.mustShow("sync state", "Serveur de configuration en service", st.URLs[0],
		fmt.Sprintf("Configuration v%d récupérée le", yl.ConfigVersion), "par Yealink T46U (108.86.0.45) (805ec0a1b2c3.cfg, depuis 127.0.0.1)", "À jour",
		"Le poste n'a pas encore récupéré sa configuration auprès de Ligne.")
	phone := peers.StartSipp(t, "../provision/testdata/check-sync-phone.xml", "-m", "1")
	if err := h.db.SetDeviceAddress(ctx, yl.ID, phone.Addr()); err != nil {
		t.Fatal(err)
	}
	h.phonesTap("Synchroniser maintenant")
	h.mustShow("push", "à "+phone.Addr()+" : le poste a répondu 200 OK.")
	wctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if r := phone.Wait(wctx); r.ExitCode != 0 {
		t.Fatalf("sipp did not get the check-sync: %d\n%s", r.ExitCode, r.Log)
	}
}

func TestPhonesSyncWithoutAddressSaysWhy(t *testing.T) {
	var svc *provision.Service
	h := newPhonesHarness(t, "en", withProvisioning(t, &secrets.Memory{}, &svc))
	h.phonesTap("Sync now")
	h.mustShow("no address", "The phone's address is unknown: type it in, or wait until it fetches its configuration once.")
}

// fetchAsYealink GETs url as a T46U answering the Digest challenge.
func fetchAsYealink(t *testing.T, url, user, password string) int {
	t.Helper()
	get := func(auth string) *http.Response {
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		req.Header.Set("User-Agent", "Yealink SIP-T46U 108.86.0.45 805ec0a1b2c3")
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res
	}
	nonce := ""
	for _, part := range strings.Split(get("").Header.Get("WWW-Authenticate"), ", ") {
		if v, ok := strings.CutPrefix(part, "nonce="); ok {
			nonce = strings.Trim(v, `"`)
		}
	}
	uri := "/" + url[strings.LastIndex(url, "/")+1:]
	md := func(s string) string { sum := md5.Sum([]byte(s)); return hex.EncodeToString(sum[:]) }
	resp := md(md(user+":"+provision.Realm+":"+password) + ":" + nonce + ":00000001:ab12:auth:" + md("GET:"+uri))
	return get(fmt.Sprintf(`Digest username="%s", realm="%s", nonce="%s", uri="%s", qop=auth, nc=00000001, cnonce="ab12", response="%s"`,
		user, provision.Realm, nonce, uri, resp)).StatusCode
}

// TestPhonesRemoveDeviceForgetsItsPassword: removing a phone asks first,
// then the phone and its provisioning password are gone.
func TestPhonesRemoveDeviceForgetsItsPassword(t *testing.T) {
	sec := &secrets.Memory{}
	var svc *provision.Service
	h := newPhonesHarness(t, "fr", withProvisioning(t, sec, &svc))
	yl := h.phonesDevices()[0]
	if _, err := svc.DeviceCredentials(context.Background(), yl.ID); err != nil {
		t.Fatal(err)
	}
	h.phonesTap("Retirer le poste")
	h.mustShow("confirmation", "Retirer le T46U 80:5E:C0:A1:B2:C3 ? Ligne ne lui servira plus sa configuration.")
	if n := len(h.phonesDevices()); n != 2 {
		t.Fatalf("removed before confirming: %d phones", n)
	}
	var confirm *widget.Button
	for _, o := range h.app.Window().Canvas().Overlays().List() {
		for _, obj := range test.LaidOutObjects(o) {
			if b, ok := obj.(*widget.Button); ok && b.Text == "Retirer le poste" {
				confirm = b
			}
		}
	}
	if confirm == nil {
		t.Fatal("no confirmation button")
	}
	test.Tap(confirm)
	h.settle()
	if devs := h.phonesDevices(); len(devs) != 1 || devs[0].Model != "VVX 450" {
		t.Fatalf("phones after removal: %+v", devs)
	}
	if _, err := sec.Get(provision.CredentialKey(yl.MAC)); err == nil {
		t.Fatal("the removed phone's password is still in the keyring")
	}
}
