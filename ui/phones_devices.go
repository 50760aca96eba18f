package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ligne-app/ligne/selfcare"
)

// devicesView lists the desk phones with their picture, sync state and
// actions.
func (s *phonesScreen) devicesView() fyne.CanvasObject {
	if len(s.d.devices) == 0 {
		return muted(s.u.T("phones.nodevices"))
	}
	var cards []fyne.CanvasObject
	for _, dev := range s.d.devices {
		cards = append(cards, s.deviceCard(dev))
	}
	return container.NewVBox(cards...)
}

func (s *phonesScreen) deviceCard(dev selfcare.Device) fyne.CanvasObject {
	u := s.u
	m, _ := selfcare.FindModel(dev.Model)
	info := keyValue(
		u.T("device.mac"), formatMAC(dev.MAC),
		u.T("device.keys"), u.T("device.keys.function", m.FunctionKeyCapacity()),
		u.T("device.version"), fmt.Sprint(dev.ConfigVersion),
	)
	body := container.NewVBox(container.NewBorder(nil, nil, phonePicture(m), nil, info), u.deviceGuideButton(dev.Model))
	if over := len(s.d.keys) - m.FunctionKeyCapacity(); over > 0 {
		body.Add(wrappedDanger(u.T("device.keys.over", len(s.d.keys), m.Name, m.FunctionKeyCapacity())))
	}
	body.Add(s.syncView(dev))
	body.Add(s.deviceActions(dev))
	if s.open[dev.ID] {
		body.Add(s.managePanel(dev, m))
	}
	return widget.NewCard(m.VendorName()+" "+dev.Model, dev.Label, body)
}

// wrappedDanger is a red text that wraps.
func wrappedDanger(text string) *widget.Label {
	l := wrapped(text)
	l.Importance = widget.DangerImportance
	return l
}

// deviceActions are the buttons under a phone.
func (s *phonesScreen) deviceActions(dev selfcare.Device) fyne.CanvasObject {
	u := s.u
	manageText := u.T("device.manage")
	if s.open[dev.ID] {
		manageText = u.T("device.manage.close")
	}
	manage := widget.NewButtonWithIcon(manageText, theme.SettingsIcon(), func() {
		s.open[dev.ID] = !s.open[dev.ID]
		s.reload()
	})
	sync := widget.NewButtonWithIcon(u.T("device.sync"), theme.ViewRefreshIcon(), func() { s.syncNow(dev) })
	if _, ok := u.deviceSync(); !ok {
		sync.Disable()
	}
	remove := widget.NewButtonWithIcon(u.T("device.remove"), theme.DeleteIcon(), func() { s.confirmRemove(dev) })
	remove.Importance = widget.DangerImportance
	return container.NewHBox(manage, sync, remove)
}

// syncView is the phone's sync state: what it last fetched, whether that
// is the current configuration, and how the last push went.
func (s *phonesScreen) syncView(dev selfcare.Device) fyne.CanvasObject {
	u := s.u
	st, known := s.d.sync[dev.ID]
	box := container.NewVBox()
	switch {
	case !known:
		box.Add(muted(u.T("sync.unavailable")))
	case st.LastFetch.At.IsZero():
		box.Add(muted(u.T("sync.never.fetched")))
	default:
		box.Add(wrapped(u.fetchText(st.LastFetch)))
		box.Add(s.upToDate(dev, st))
	}
	if known && !st.Push.At.IsZero() {
		box.Add(wrapped(u.pushText(st.Push)))
	}
	if note := s.notes[dev.ID]; note != "" {
		box.Add(wrapped(note))
	}
	return box
}

// fetchText is "Configuration v7 récupérée le 25/11/2026 15:01 par Yealink
// T46U (108.86.0.45), fichier 805ec0a1b2c3.cfg, depuis 192.0.2.46".
func (u *App) fetchText(f selfcare.Fetch) string {
	agent := f.UserAgent
	if a := parseAgent(f.UserAgent); a != "" {
		agent = a
	}
	return u.T("sync.fetched", f.Version, u.formatDateTime(f.At), agent, f.File, f.Remote)
}

func (s *phonesScreen) upToDate(dev selfcare.Device, st selfcare.SyncState) fyne.CanvasObject {
	if st.UpToDate(dev.ConfigVersion) {
		return chip(colorExternal, s.u.T("sync.uptodate"))
	}
	return chip(colorInternal, s.u.T("sync.pending", dev.ConfigVersion))
}

// pushText tells how the last check-sync went.
func (u *App) pushText(r selfcare.SyncResult) string {
	when := u.formatDateTime(r.At)
	switch {
	case r.OK():
		return u.T("sync.push.ok", when, r.Target, r.Status, r.Reason)
	case r.Status != 0:
		return u.T("sync.push.refused", when, r.Target, r.Status, r.Reason)
	}
	return u.T("sync.push.noanswer", when, r.Target)
}

// syncNow sends check-sync to the phone off the UI goroutine and shows the
// outcome.
func (s *phonesScreen) syncNow(dev selfcare.Device) {
	ds, ok := s.u.deviceSync()
	if !ok {
		return
	}
	s.notes[dev.ID] = s.u.T("sync.sending")
	s.reloadNow()
	load(s.u, func() (selfcare.SyncResult, error) { return ds.SyncNow(s.u.ctx, dev.ID) },
		func(selfcare.SyncResult) { delete(s.notes, dev.ID); s.reload() },
		func(err error) { s.notes[dev.ID] = s.u.errText(err); s.reload() })
}

// reloadNow redraws with the data at hand.
func (s *phonesScreen) reloadNow() { s.show(s.d) }

// pushAll asks every phone to fetch its new configuration, after a change
// that all of them carry (function keys). Failures show on each phone.
func (s *phonesScreen) pushAll() {
	if st := s.d.server; st == nil || !st.Running {
		return
	}
	for _, dev := range s.d.devices {
		if state := s.d.sync[dev.ID]; state.Address != "" {
			s.syncNow(dev)
		}
	}
}

// credentialForgetter deletes a removed phone's provisioning password
// (the provisioning service has it).
type credentialForgetter interface {
	ForgetDevice(mac string) error
}

// confirmRemove asks, then removes the phone and its provisioning password.
func (s *phonesScreen) confirmRemove(dev selfcare.Device) {
	u := s.u
	d := dialog.NewConfirm(u.T("device.remove.title"), u.T("device.remove.confirm", dev.Model, formatMAC(dev.MAC)), func(ok bool) {
		if !ok {
			return
		}
		if err := u.deps.Services.RemoveDevice(u.ctx, dev.ID); err != nil {
			u.showDialogError(err)
			return
		}
		if f, ok := u.deps.Services.(credentialForgetter); ok {
			if err := f.ForgetDevice(dev.MAC); err != nil {
				u.deps.Logger.Warn("forget provisioning password", "mac", dev.MAC, "err", err)
			}
		}
		s.reload()
	}, u.win)
	d.SetConfirmText(u.T("device.remove"))
	d.SetDismissText(u.T("common.cancel"))
	d.Show()
}

// addDeviceForm adds a phone: model from the list, MAC checked, label. A
// refused form saves nothing and says why.
func (s *phonesScreen) addDeviceForm() fyne.CanvasObject {
	u := s.u
	models := selfcare.Models()
	names := make([]string, len(models))
	for i, m := range models {
		names[i] = m.VendorName() + " " + m.Name
	}
	model := widget.NewSelect(names, nil)
	model.PlaceHolder = u.T("device.add.model")
	mac, label := widget.NewEntry(), widget.NewEntry()
	mac.SetPlaceHolder(u.T("device.add.mac"))
	label.SetPlaceHolder(u.T("device.add.label"))
	errL := errorLabel()
	add := widget.NewButtonWithIcon(u.T("device.add"), theme.ContentAddIcon(), func() {
		d := selfcare.Device{MAC: mac.Text, Label: label.Text, Line: selfcare.LineFixed}
		if i := model.SelectedIndex(); i >= 0 {
			d.Model = models[i].Name
		}
		s.addDevice(d, errL)
	})
	form := container.NewGridWithColumns(2, model, mac, label, add)
	return widget.NewCard(u.T("device.add.title"), "", container.NewVBox(form, errL))
}

func (s *phonesScreen) addDevice(d selfcare.Device, errL *widget.Label) {
	u := s.u
	if d.Model == "" {
		u.showError(errL, selfcare.Errorf(selfcare.CodeRequired, "model"))
		return
	}
	if _, err := selfcare.NormalizeMAC("mac", d.MAC); err != nil {
		u.showError(errL, err)
		return
	}
	if _, err := u.deps.Services.AddDevice(u.ctx, d); err != nil {
		u.showError(errL, err)
		return
	}
	s.reload()
}
