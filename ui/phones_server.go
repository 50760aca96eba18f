package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ligne-app/ligne/selfcare"
)

// serverPanel is Ligne's provisioning server: off until the user turns it
// on, where it listens (HTTP, HTTPS with Ligne's certificate or the
// user's), and the addresses to give the phones.
func (s *phonesScreen) serverPanel() fyne.CanvasObject {
	u := s.u
	ds, ok := u.deviceSync()
	if !ok || s.d.server == nil {
		return muted(u.T("provision.unavailable"))
	}
	st := *s.d.server
	c := st.Config
	on := widget.NewCheck(u.T("provision.enable"), nil)
	on.SetChecked(c.Enabled && st.Running)
	httpAddr, httpsAddr := entryWith(c.HTTPAddr, selfcare.DefaultProvisionHTTP), entryWith(c.HTTPSAddr, selfcare.DefaultProvisionHTTPS)
	cert, key := entryWith(c.CertFile, u.T("provision.cert.placeholder")), entryWith(c.KeyFile, u.T("provision.key.placeholder"))
	errL := errorLabel()
	apply := widget.NewButtonWithIcon(u.T("provision.apply"), theme.ConfirmIcon(), func() {
		cfg := selfcare.ProvisioningConfig{Enabled: on.Checked, HTTPAddr: strings.TrimSpace(httpAddr.Text),
			HTTPSAddr: strings.TrimSpace(httpsAddr.Text), CertFile: strings.TrimSpace(cert.Text), KeyFile: strings.TrimSpace(key.Text)}
		load(u, func() (selfcare.ProvisioningStatus, error) { return ds.SetProvisioningServer(u.ctx, cfg) },
			func(selfcare.ProvisioningStatus) { s.reload() }, func(err error) { u.showError(errL, err) })
	})
	form := container.New(layout.NewFormLayout(),
		formLabel(u.T("provision.http")), httpAddr, formLabel(u.T("provision.https")), httpsAddr,
		formLabel(u.T("provision.cert")), cert, formLabel(u.T("provision.key")), key)
	return container.NewVBox(muted(u.T("provision.help")), s.serverStatus(st), on, form, apply, errL)
}

// entryWith is an entry holding text, with a placeholder.
func entryWith(text, placeholder string) *widget.Entry {
	e := widget.NewEntry()
	e.SetText(text)
	e.SetPlaceHolder(placeholder)
	return e
}

// serverStatus says whether the server runs and at which addresses.
func (s *phonesScreen) serverStatus(st selfcare.ProvisioningStatus) fyne.CanvasObject {
	u := s.u
	if !st.Running {
		return chip(colorInternal, u.T("provision.off"))
	}
	box := container.NewVBox(chip(colorExternal, u.T("provision.on")))
	for _, url := range st.URLs {
		box.Add(widget.NewLabel(url))
	}
	if st.CertFingerprint != "" {
		fp := wrapped(u.T("provision.fingerprint", st.CertFingerprint))
		fp.Importance = widget.LowImportance
		box.Add(fp)
	}
	return box
}
