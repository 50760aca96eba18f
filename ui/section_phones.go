package ui

import (
	"context"
	"os"
	"path/filepath"
	"sort"
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
	presented map[selfcare.LineKind]selfcare.PresentedNumber
	contacts  []selfcare.Contact
	sync      map[int64]selfcare.SyncState
	server    *selfcare.ProvisioningStatus // nil when provisioning is not available
	ringtones []string                     // uploaded ringtone files
}

// syncStateReader is the part of provisioning that reads a phone's sync
// state (the store and the provisioning service have it).
type syncStateReader interface {
	SyncState(ctx context.Context, deviceID int64) (selfcare.SyncState, error)
}

// deviceSync returns the provisioning actions when Ligne runs them.
func (u *App) deviceSync() (selfcare.DeviceSync, bool) {
	ds, ok := u.deps.Services.(selfcare.DeviceSync)
	return ds, ok
}

func (u *App) fetchPhones() (phonesData, error) {
	svc, ctx := u.deps.Services, u.ctx
	d := phonesData{presented: map[selfcare.LineKind]selfcare.PresentedNumber{}, sync: map[int64]selfcare.SyncState{}}
	var err error
	steps := []func() error{
		func() error { d.lines, err = svc.Lines(ctx); return err },
		func() error { d.profile, err = svc.Profile(ctx); return ignoreNotFound(err) },
		func() error { d.devices, err = svc.Devices(ctx); return err },
		func() error { d.keys, err = svc.Keys(ctx); return err },
		func() error { d.contacts, err = svc.Contacts(ctx, selfcare.ContactQuery{Limit: 5000}); return err },
		func() error { return u.fetchPresented(&d) },
		func() error { return u.fetchSync(&d) },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return d, err
		}
	}
	d.ringtones = u.uploadedRingtones()
	return d, nil
}

func (u *App) fetchPresented(d *phonesData) error {
	for _, l := range d.lines {
		p, err := u.deps.Services.Presented(u.ctx, l.Kind)
		if err != nil {
			return err
		}
		d.presented[l.Kind] = p
	}
	return nil
}

// fetchSync reads each phone's sync state and the server's, when Ligne
// has them.
func (u *App) fetchSync(d *phonesData) error {
	if r, ok := u.deps.Services.(syncStateReader); ok {
		for _, dev := range d.devices {
			st, err := r.SyncState(u.ctx, dev.ID)
			if err != nil {
				return err
			}
			d.sync[dev.ID] = st
		}
	}
	if ds, ok := u.deviceSync(); ok {
		st, err := ds.ProvisioningServer(u.ctx)
		if err != nil {
			return err
		}
		d.server = &st
	}
	return nil
}

// uploadedRingtones lists the WAV files in the data folder's ringtones/.
func (u *App) uploadedRingtones() []string {
	if u.deps.DataDir == "" {
		return nil
	}
	entries, err := os.ReadDir(filepath.Join(u.deps.DataDir, "ringtones"))
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		if !e.IsDir() && selfcare.ValidRingtoneFile(e.Name()) {
			out = append(out, e.Name())
		}
	}
	sort.Strings(out)
	return out
}

// phonesScreen is "Mes téléphones": it reloads itself after each change
// and keeps which tab and which device panels were open.
type phonesScreen struct {
	u      *App
	holder *fyne.Container
	tabs   *container.AppTabs
	tab    int
	open   map[int64]bool // devices whose "Gestion du poste" is open
	notes  map[int64]string
	d      phonesData
}

// buildPhones is "Mes téléphones": one tab per line (fixed, mobile), then
// the devices with their management and the function keys.
func buildPhones(u *App) fyne.CanvasObject {
	s := &phonesScreen{u: u, holder: container.NewStack(widget.NewActivity()), open: map[int64]bool{}, notes: map[int64]string{}}
	s.reload()
	return s.holder
}

// reload fetches everything again and redraws.
func (s *phonesScreen) reload() {
	load(s.u, s.u.fetchPhones, s.show, func(err error) {
		s.holder.Objects = []fyne.CanvasObject{emptyState(s.u.errText(err))}
		s.holder.Refresh()
	})
}

func (s *phonesScreen) show(d phonesData) {
	s.d = d
	if s.tabs != nil {
		s.tab = s.tabs.SelectedIndex()
	}
	s.holder.Objects = []fyne.CanvasObject{s.view()}
	s.holder.Refresh()
}

func (s *phonesScreen) view() fyne.CanvasObject {
	u, d := s.u, s.d
	if len(d.lines) == 0 {
		return emptyState(u.T("phones.nolines"))
	}
	s.tabs = container.NewAppTabs()
	for _, l := range d.lines {
		title := u.T("phones.tab.fixed")
		if l.Kind == selfcare.LineMobile {
			title = u.T("phones.tab.mobile")
		}
		s.tabs.Append(container.NewTabItem(title, s.lineView(l)))
	}
	if s.tab > 0 && s.tab < len(s.tabs.Items) {
		s.tabs.SelectIndex(s.tab)
	}
	return s.tabs
}

// lineView shows one line: numbers, presented number, and for the fixed
// line the devices, the function keys and the provisioning server.
func (s *phonesScreen) lineView(l selfcare.Line) fyne.CanvasObject {
	u := s.u
	objs := []fyne.CanvasObject{u.lineNumbers(l), u.presentedChooser(s.d, l)}
	if l.Kind == selfcare.LineFixed {
		objs = append(objs, heading(u.T("phones.devices")), s.devicesView(), s.addDeviceForm())
		objs = append(objs, heading(u.T("phones.keys")), s.keyEditor())
		objs = append(objs, heading(u.T("provision.title")), s.serverPanel())
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
