package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ligne-app/ligne/internal/directory"
	"github.com/ligne-app/ligne/selfcare"
)

// refreshChoices are the periods the LDAP form offers (0: by hand).
var refreshChoices = []time.Duration{0, 15 * time.Minute, time.Hour, 4 * time.Hour, 24 * time.Hour}

// ldapForm is the window that sets up the LDAP directory source.
type ldapForm struct {
	u        *App
	store    directory.Store
	onChange func()
	url      *widget.Entry
	startTLS *widget.Check
	base     *widget.Entry
	filter   *widget.Entry
	bindDN   *widget.Entry
	password *widget.Entry
	mapping  map[string]*widget.Entry
	refresh  *widget.Select
	status   *widget.Label
	err      *widget.Label
	dlg      dialog.Dialog
}

// mappingFields are the contact fields an LDAP attribute fills, in order.
var mappingFields = []string{"name", "company", "department", "extension", "work", "mobile", "home", "email"}

// showLDAPSettings opens the LDAP form; onChange hears of a directory
// loaded or removed.
func (u *App) showLDAPSettings(onChange func()) {
	st, ok := u.deps.Services.(directory.Store)
	if !ok {
		return
	}
	f := &ldapForm{u: u, store: st, onChange: onChange, status: wrapped(""), err: errorLabel(), mapping: map[string]*widget.Entry{}}
	f.build()
	f.dlg = dialog.NewCustomWithoutButtons(u.T("contacts.ldap.title"), container.NewVScroll(f.object()), u.win)
	f.dlg.Resize(fyne.NewSize(640, 640))
	f.dlg.Show()
	load(u, f.fetch, f.fill, func(err error) { u.showError(f.err, err) })
}

// build makes the fields.
func (f *ldapForm) build() {
	u := f.u
	f.url = placeholderEntry(u.T("contacts.ldap.url"))
	f.startTLS = widget.NewCheck(u.T("contacts.ldap.starttls"), nil)
	f.base = placeholderEntry(u.T("contacts.ldap.base"))
	f.filter = placeholderEntry(u.T("contacts.ldap.filter", directory.DefaultFilter))
	f.bindDN = placeholderEntry(u.T("contacts.ldap.binddn"))
	f.password = widget.NewPasswordEntry()
	f.password.SetPlaceHolder(u.T("contacts.ldap.password"))
	for _, name := range mappingFields {
		f.mapping[name] = placeholderEntry(u.T("contacts.ldap.attribute"))
	}
	var periods []string
	for _, d := range refreshChoices {
		periods = append(periods, f.periodText(d))
	}
	f.refresh = widget.NewSelect(periods, nil)
	f.setMapping(directory.DefaultMapping())
	f.refresh.SetSelectedIndex(2)
}

func placeholderEntry(p string) *widget.Entry {
	e := widget.NewEntry()
	e.SetPlaceHolder(p)
	return e
}

// periodText names a refresh period.
func (f *ldapForm) periodText(d time.Duration) string {
	switch {
	case d == 0:
		return f.u.T("contacts.ldap.refresh.manual")
	case d < time.Hour:
		return f.u.T("contacts.ldap.refresh.minutes", int(d.Minutes()))
	}
	return f.u.Tn("contacts.ldap.refresh.hours", int(d.Hours()))
}

// object lays the form out.
func (f *ldapForm) object() fyne.CanvasObject {
	u := f.u
	preset := widget.NewSelect([]string{u.T("contacts.ldap.preset.openldap"), u.T("contacts.ldap.preset.ad")}, func(s string) {
		if s == u.T("contacts.ldap.preset.ad") {
			f.setMapping(directory.ActiveDirectoryMapping())
		} else {
			f.setMapping(directory.DefaultMapping())
		}
	})
	preset.PlaceHolder = u.T("contacts.ldap.preset")
	grid := []fyne.CanvasObject{}
	for _, name := range mappingFields {
		grid = append(grid, note(u.T("contacts.ldap.field."+name)), f.mapping[name])
	}
	save := widget.NewButtonWithIcon(u.T("contacts.ldap.save"), theme.ViewRefreshIcon(), func() { u.AskSecretsConsent(f.saveAndSync) })
	save.Importance = widget.HighImportance
	remove := widget.NewButtonWithIcon(u.T("contacts.ldap.remove"), theme.DeleteIcon(), f.remove)
	closeB := widget.NewButton(u.T("contacts.close"), func() { f.dlg.Hide() })
	return container.NewVBox(wrapped(u.T("contacts.ldap.intro")), f.url, f.startTLS, f.base, f.filter, f.bindDN, f.password,
		bold(u.T("contacts.ldap.mapping")), preset, container.NewGridWithColumns(2, grid...),
		container.NewBorder(nil, nil, note(u.T("contacts.ldap.refresh")), nil, f.refresh),
		f.status, f.err, container.NewGridWithColumns(3, closeB, remove, save))
}

// setMapping fills the attribute fields.
func (f *ldapForm) setMapping(m directory.Mapping) {
	for name, v := range map[string]string{"name": m.Name, "company": m.Company, "department": m.Department,
		"extension": m.Extension, "work": m.Work, "mobile": m.Mobile, "home": m.Home, "email": m.Email} {
		f.mapping[name].SetText(v)
	}
}

// ldapState is the saved settings and status.
type ldapState struct {
	config directory.Config
	saved  bool
	status directory.Status
}

func (f *ldapForm) fetch() (ldapState, error) {
	c, ok, err := directory.LoadConfig(f.u.ctx, f.store)
	if err != nil {
		return ldapState{}, err
	}
	st, err := directory.LoadStatus(f.u.ctx, f.store)
	return ldapState{config: c, saved: ok, status: st}, err
}

// fill shows the saved settings and the last synchronization.
func (f *ldapForm) fill(s ldapState) {
	f.showStatus(s.status)
	if !s.saved {
		return
	}
	c := s.config
	f.url.SetText(c.URL)
	f.startTLS.SetChecked(c.StartTLS)
	f.base.SetText(c.BaseDN)
	f.filter.SetText(c.Filter)
	f.bindDN.SetText(c.BindDN)
	if c.BindDN != "" {
		f.password.SetPlaceHolder(f.u.T("contacts.ldap.password.kept"))
	}
	f.setMapping(c.Mapping)
	for i, d := range refreshChoices {
		if d == c.Refresh {
			f.refresh.SetSelectedIndex(i)
		}
	}
}

// config is what the form holds.
func (f *ldapForm) config() directory.Config {
	m := func(name string) string { return f.mapping[name].Text }
	return directory.Config{URL: f.url.Text, StartTLS: f.startTLS.Checked, BaseDN: f.base.Text, Filter: f.filter.Text,
		BindDN: f.bindDN.Text, Refresh: refreshChoices[max(0, f.refresh.SelectedIndex())],
		Mapping: directory.Mapping{Name: m("name"), Company: m("company"), Department: m("department"), Extension: m("extension"),
			Work: m("work"), Mobile: m("mobile"), Home: m("home"), Email: m("email")}}
}

// syncer is the LDAP synchronization over the window's store and keyring.
func (f *ldapForm) syncer() *directory.Syncer {
	return &directory.Syncer{Store: f.store, Secrets: f.u.deps.Secrets, Now: f.u.deps.Now, Log: f.u.deps.Logger}
}

// saveAndSync saves the settings (the password in the keyring) and loads
// the directory. A refused setting saves nothing; a failed load keeps the
// directory already there.
func (f *ldapForm) saveAndSync() {
	c, password := f.config(), f.password.Text
	f.status.SetText(f.u.T("contacts.ldap.syncing"))
	load(f.u, func() (directory.Status, error) {
		if _, err := directory.SaveConfig(f.u.ctx, f.store, f.u.deps.Secrets, c, password); err != nil {
			return directory.Status{}, err
		}
		return f.syncer().Sync(f.u.ctx)
	}, func(st directory.Status) {
		f.password.SetText("")
		f.u.showError(f.err, nil)
		f.showStatus(st)
		f.onChange()
	}, func(err error) {
		f.u.showError(f.err, err)
		load(f.u, func() (directory.Status, error) { return directory.LoadStatus(f.u.ctx, f.store) }, f.showStatus, nil)
	})
}

// remove forgets the LDAP directory, its contacts and its password.
func (f *ldapForm) remove() {
	load(f.u, func() (struct{}, error) { return struct{}{}, f.syncer().Remove(f.u.ctx) }, func(struct{}) {
		f.dlg.Hide()
		f.onChange()
	}, func(err error) { f.u.showError(f.err, err) })
}

// showStatus says when the directory was last loaded and how it went.
func (f *ldapForm) showStatus(st directory.Status) {
	u := f.u
	text := u.T("contacts.ldap.never")
	if !st.Success.IsZero() {
		text = u.Tn("contacts.ldap.last", st.Count, u.formatDateTime(st.Success), st.Skipped)
	}
	if err := st.Err(); err != nil {
		text += "\n" + u.T("contacts.ldap.failed", u.formatDateTime(st.Attempt), selfcare.ErrorMessage(err, u.Lang()))
	}
	f.status.SetText(text)
}
