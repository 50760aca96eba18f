package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/ligne-app/ligne/selfcare"
)

// phonesData is what "Mes téléphones" shows.
type phonesData struct {
	lines     []selfcare.Line
	profile   selfcare.Profile
	devices   []selfcare.Device
	keys      []selfcare.FunctionKey
	keyNames  map[string]string // contact id -> name
	presented map[selfcare.LineKind]selfcare.PresentedNumber
}

func (u *App) fetchPhones() (phonesData, error) {
	svc, ctx := u.deps.Services, u.ctx
	d := phonesData{presented: map[selfcare.LineKind]selfcare.PresentedNumber{}}
	var err error
	if d.lines, err = svc.Lines(ctx); err != nil {
		return d, err
	}
	if d.profile, err = svc.Profile(ctx); ignoreNotFound(err) != nil {
		return d, err
	}
	if d.devices, err = svc.Devices(ctx); err != nil {
		return d, err
	}
	if d.keys, err = svc.Keys(ctx); err != nil {
		return d, err
	}
	d.keyNames = map[string]string{}
	for _, k := range d.keys {
		if c, err := svc.ContactByID(ctx, k.ContactID); err == nil {
			d.keyNames[k.ContactID] = c.Name
		}
	}
	for _, l := range d.lines {
		if d.presented[l.Kind], err = svc.Presented(ctx, l.Kind); err != nil {
			return d, err
		}
	}
	return d, nil
}

// buildPhones is "Mes téléphones": one tab per line (fixed, mobile), then
// the devices with their advanced settings and the function keys.
func buildPhones(u *App) fyne.CanvasObject {
	holder := container.NewStack(widget.NewActivity())
	load(u, u.fetchPhones, func(d phonesData) {
		holder.Objects = []fyne.CanvasObject{u.phonesView(d)}
		holder.Refresh()
	}, func(err error) { holder.Objects = []fyne.CanvasObject{emptyState(u.errText(err))}; holder.Refresh() })
	return holder
}

func (u *App) phonesView(d phonesData) fyne.CanvasObject {
	tabs := container.NewAppTabs()
	for _, l := range d.lines {
		title := u.T("phones.tab.fixed")
		if l.Kind == selfcare.LineMobile {
			title = u.T("phones.tab.mobile")
		}
		tabs.Append(container.NewTabItem(title, u.lineView(d, l)))
	}
	if len(d.lines) == 0 {
		return emptyState(u.T("phones.nolines"))
	}
	return tabs
}

// lineView shows one line: numbers, presented number, devices, keys.
func (u *App) lineView(d phonesData, l selfcare.Line) fyne.CanvasObject {
	objs := []fyne.CanvasObject{u.lineNumbers(l), u.presentedChooser(d, l)}
	if l.Kind == selfcare.LineFixed {
		objs = append(objs, heading(u.T("phones.devices")), u.devicesView(d))
		objs = append(objs, heading(u.T("phones.keys")), u.keysView(d))
	}
	return scroll(objs...)
}

// lineNumbers shows the main extension and DIDs, or the mobile numbers.
func (u *App) lineNumbers(l selfcare.Line) fyne.CanvasObject {
	var nums []string
	for _, n := range l.Numbers {
		nums = append(nums, numberLabel(n))
	}
	if l.Kind == selfcare.LineMobile {
		return keyValue(u.T("phones.mobile.numbers"), strings.Join(nums, "\n"))
	}
	return keyValue(u.T("phones.extension"), l.Extension, u.T("phones.dids"), strings.Join(nums, "\n"))
}

// presentedChooser lets the user pick the presented number; the choice is
// saved at once, with a visible confirmation or the error.
func (u *App) presentedChooser(d phonesData, l selfcare.Line) fyne.CanvasObject {
	opts := selfcare.PresentedOptions(l.Kind, d.lines, d.profile)
	labels := make([]string, len(opts))
	for i, o := range opts {
		labels[i] = u.optionLabel(o)
	}
	status, errL := muted(""), errorLabel()
	sel := widget.NewSelect(labels, nil)
	for i, o := range opts {
		cur := d.presented[l.Kind]
		if o.Kind == cur.Kind && o.Number == cur.Number {
			sel.SetSelectedIndex(i)
		}
	}
	sel.OnChanged = func(string) {
		o := opts[sel.SelectedIndex()]
		err := u.deps.Services.SetPresented(u.ctx, selfcare.PresentedNumber{Line: l.Kind, Kind: o.Kind, Number: o.Number})
		u.showError(errL, err)
		if err == nil {
			status.SetText(u.T("common.saved"))
		}
	}
	return container.NewVBox(heading(u.T("phones.presented")), muted(u.T("phones.presented.help")), sel, status, errL)
}

// optionLabel names a presented-number option with its kind.
func (u *App) optionLabel(o selfcare.PresentedOption) string {
	kind := u.T("presented.kind." + string(o.Kind))
	if o.Kind == selfcare.PresentAnonymous {
		return kind
	}
	label := numberLabel(o.Number)
	if o.Label != "" && o.Label != label {
		label = o.Label + " (" + label + ")"
	}
	return kind + " · " + label
}

// devicesView lists the desk phones with their picture and settings.
func (u *App) devicesView(d phonesData) fyne.CanvasObject {
	if len(d.devices) == 0 {
		return muted(u.T("phones.nodevices"))
	}
	var cards []fyne.CanvasObject
	for _, dev := range d.devices {
		cards = append(cards, u.deviceCard(dev))
	}
	return grid(2, cards...)
}

func (u *App) deviceCard(dev selfcare.Device) fyne.CanvasObject {
	m, _ := selfcare.FindModel(dev.Model)
	s := dev.Settings
	quality := u.T("device.audio." + string(s.AudioQuality))
	lock := u.T("common.off")
	if s.LockEnabled {
		lock = u.T("device.lock.after", s.LockTimeout)
	}
	info := keyValue(
		u.T("device.mac"), formatMAC(dev.MAC),
		u.T("device.audio"), quality,
		u.T("device.showcaller"), u.yesNo(s.ShowSupervisedCaller),
		u.T("device.ringtone"), strings.TrimPrefix(s.Ringtone, "custom:"),
		u.T("device.lock"), lock,
		u.T("device.keys"), u.T("device.keys.capacity", m.KeyCapacity()),
	)
	return widget.NewCard(m.VendorName()+" "+dev.Model, dev.Label, container.NewBorder(nil, nil, phonePicture(m), nil, info))
}

// formatMAC writes 80:5E:C0:A1:B2:C3.
func formatMAC(m string) string {
	var parts []string
	for i := 0; i+2 <= len(m); i += 2 {
		parts = append(parts, strings.ToUpper(m[i:i+2]))
	}
	return strings.Join(parts, ":")
}

func (u *App) yesNo(b bool) string {
	if b {
		return u.T("common.yes")
	}
	return u.T("common.no")
}

// keysView lists the function keys in order.
func (u *App) keysView(d phonesData) fyne.CanvasObject {
	if len(d.keys) == 0 {
		return muted(u.T("phones.nokeys"))
	}
	var rows []fyne.CanvasObject
	for _, k := range d.keys {
		c := colorInternal
		if k.Kind == selfcare.KeyShortcut {
			c = colorExternal
		}
		label := k.Label
		if label == "" {
			label = d.keyNames[k.ContactID]
		}
		text := itoa(k.Position) + ". " + u.T("key.kind."+string(k.Kind)) + " · " + label + " (" + numberLabel(k.Number) + ")"
		rows = append(rows, chip(c, text))
	}
	return grid(3, rows...)
}
