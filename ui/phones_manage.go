package ui

import (
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ligne-app/ligne/selfcare"
)

// parseAgent names the phone from its User-Agent: "Yealink T46U
// (108.86.0.45)", or "" when it is not a known phone.
func parseAgent(ua string) string {
	a := selfcare.ParsePhoneAgent(ua)
	if a.Vendor == "" {
		return ""
	}
	return a.Vendor + " " + a.Model + " (" + a.Firmware + ")"
}

// managePanel is "Gestion du poste" for one phone: what its model holds,
// the advanced settings of the guide, where check-sync goes and what to
// type into the phone for its first fetch.
func (s *phonesScreen) managePanel(dev selfcare.Device, m selfcare.Model) fyne.CanvasObject {
	u := s.u
	f := newSettingsForm(s, dev, m)
	objs := []fyne.CanvasObject{widget.NewSeparator(), bold(u.T("device.manage.title", m.VendorName(), m.Name)),
		wrapped(u.modelText(m))}
	if m.Vendor == selfcare.VendorPolycom {
		objs = append(objs, muted(u.T("device.poly.limits")))
	}
	objs = append(objs, bold(u.T("device.advanced")), f.object(), s.credentialsView(dev))
	return container.NewVBox(objs...)
}

// modelText describes the model's capacities.
func (u *App) modelText(m selfcare.Model) string {
	text := u.T("device.model.capacity", m.Accounts, m.LineKeys)
	if m.Expansions > 0 {
		text += " " + u.T("device.model.expansion", m.Expansions, m.ExpansionKeys)
	}
	return text + " " + u.T("device.model.function", m.FunctionKeyCapacity())
}

// settingsForm edits a phone's label and advanced settings.
type settingsForm struct {
	s        *phonesScreen
	dev      selfcare.Device
	m        selfcare.Model
	label    *widget.Entry
	audio    *widget.Select
	caller   *widget.Check
	ring     *widget.Select
	rings    []string // ringtone values, as ring's options
	lock     *widget.Check
	code     *widget.Entry
	timeout  *widget.Entry
	address  *widget.Entry
	errL     *widget.Label
	saved    *widget.Label
	audioOpt []selfcare.AudioQuality
}

func newSettingsForm(s *phonesScreen, dev selfcare.Device, m selfcare.Model) *settingsForm {
	u, st := s.u, dev.Settings
	f := &settingsForm{s: s, dev: dev, m: m, errL: errorLabel(), saved: note(""),
		audioOpt: []selfcare.AudioQuality{selfcare.AudioWideband, selfcare.AudioNarrowband}}
	f.label = widget.NewEntry()
	f.label.SetText(dev.Label)
	f.audio = widget.NewSelect([]string{u.T("device.audio.wideband"), u.T("device.audio.narrowband")}, nil)
	f.audio.SetSelectedIndex(0)
	if st.AudioQuality == selfcare.AudioNarrowband {
		f.audio.SetSelectedIndex(1)
	}
	f.caller = widget.NewCheck(u.T("device.showcaller"), nil)
	f.caller.SetChecked(st.ShowSupervisedCaller)
	f.ringSelect()
	f.lockFields()
	f.address = widget.NewEntry()
	f.address.SetText(dev.SIPAddress)
	f.address.SetPlaceHolder(u.T("device.address.placeholder"))
	f.disableUnsupported()
	return f
}

// ringSelect offers the model's built-in ringtones, then the uploaded ones
// when the model can download them.
func (f *settingsForm) ringSelect() {
	u := f.s.u
	var labels []string
	for _, r := range f.m.Ringtones {
		f.rings = append(f.rings, r)
		labels = append(labels, u.T("device.ring.builtin", r))
	}
	if f.m.Supports(selfcare.FeatureCustomRingtone) {
		for _, r := range f.s.d.ringtones {
			f.rings = append(f.rings, selfcare.CustomRingtonePrefix+r)
			labels = append(labels, u.T("device.ring.custom", r))
		}
	}
	f.ring = widget.NewSelect(labels, nil)
	for i, r := range f.rings {
		if r == f.dev.Settings.Ringtone {
			f.ring.SetSelectedIndex(i)
		}
	}
}

func (f *settingsForm) lockFields() {
	u, st := f.s.u, f.dev.Settings
	f.lock = widget.NewCheck(u.T("device.lock.enable"), nil)
	f.lock.SetChecked(st.LockEnabled)
	f.code = widget.NewPasswordEntry()
	f.code.SetPlaceHolder(u.T("device.lock.code"))
	f.code.SetText(st.LockCode)
	f.timeout = widget.NewEntry()
	f.timeout.SetPlaceHolder(u.T("device.lock.timeout"))
	f.timeout.SetText(strconv.Itoa(st.LockTimeout))
}

// disableUnsupported greys out what the model's files cannot carry.
func (f *settingsForm) disableUnsupported() {
	if !f.m.Supports(selfcare.FeatureAudioQuality) {
		f.audio.Disable()
	}
	if !f.m.Supports(selfcare.FeatureLockTimeout) {
		f.timeout.Disable()
	}
}

func (f *settingsForm) object() fyne.CanvasObject {
	u := f.s.u
	save := widget.NewButtonWithIcon(u.T("device.save"), theme.DocumentSaveIcon(), f.save)
	save.Importance = widget.HighImportance
	form := container.New(layout.NewFormLayout(),
		formLabel(u.T("field.label")), f.label,
		formLabel(u.T("device.audio")), f.audio,
		formLabel(""), f.caller,
		formLabel(u.T("device.ringtone")), container.NewVBox(f.ring, f.ringtoneButton()),
		formLabel(u.T("device.lock")), f.lock,
		formLabel(u.T("field.lock_code")), f.code,
		formLabel(u.T("device.lock.delay")), f.timeout,
		formLabel(u.T("field.sip_address")), f.address,
	)
	return container.NewVBox(form, container.NewHBox(save, f.saved), f.errL)
}

// device returns the phone as the form describes it, or the error of a
// field that is not a number.
func (f *settingsForm) device() (selfcare.Device, error) {
	d := f.dev
	d.Label, d.SIPAddress = strings.TrimSpace(f.label.Text), strings.TrimSpace(f.address.Text)
	s := &d.Settings
	s.AudioQuality = f.audioOpt[max(f.audio.SelectedIndex(), 0)]
	s.ShowSupervisedCaller, s.LockEnabled = f.caller.Checked, f.lock.Checked
	if i := f.ring.SelectedIndex(); i >= 0 {
		s.Ringtone = f.rings[i]
	}
	s.CustomRingtonePath = ""
	if name, ok := s.CustomRingtone(); ok {
		s.CustomRingtonePath = "ringtones/" + name
	}
	s.LockCode = strings.TrimSpace(f.code.Text)
	t, err := strconv.Atoi(strings.TrimSpace(f.timeout.Text))
	if err != nil {
		return d, selfcare.Errorf(selfcare.CodeOutOfRange, "lock_timeout", 0, 3600)
	}
	s.LockTimeout = t
	return d, nil
}

// save checks and saves the settings; the configuration version rises and
// the phone is asked to fetch it. Nothing is saved when a field is wrong.
func (f *settingsForm) save() {
	u := f.s.u
	d, err := f.device()
	if err == nil {
		_, err = u.deps.Services.UpdateDevice(u.ctx, d)
	}
	u.showError(f.errL, err)
	if err != nil {
		return
	}
	f.saved.SetText(u.T("common.saved"))
	if st := f.s.d.server; st != nil && st.Running {
		f.s.syncNow(d)
		return
	}
	f.s.reload()
}

// credentialsView shows what to type into the phone for its first fetch,
// once the user asks (they are secrets).
func (s *phonesScreen) credentialsView(dev selfcare.Device) fyne.CanvasObject {
	u := s.u
	ds, ok := u.deviceSync()
	if !ok {
		return fyne.NewContainer()
	}
	box := container.NewVBox()
	show := widget.NewButtonWithIcon(u.T("device.credentials.show"), theme.VisibilityIcon(), nil)
	show.OnTapped = func() {
		load(u, func() (selfcare.ProvisioningCredentials, error) { return ds.DeviceCredentials(u.ctx, dev.ID) },
			func(c selfcare.ProvisioningCredentials) {
				url := c.URL
				if url == "" {
					url = u.T("device.credentials.nourl")
				}
				box.Objects = []fyne.CanvasObject{keyValue(u.T("device.credentials.url"), url,
					u.T("device.credentials.user"), c.User, u.T("device.credentials.password"), c.Password)}
				box.Refresh()
			}, func(err error) { box.Objects = []fyne.CanvasObject{wrappedDanger(u.errText(err))}; box.Refresh() })
	}
	return container.NewVBox(bold(u.T("device.credentials")), muted(u.T("device.credentials.help")), show, box)
}

// formLabel is the low-importance label of a form row.
func formLabel(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Importance = widget.LowImportance
	return l
}
