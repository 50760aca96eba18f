package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/ligne-app/ligne/internal/dialplan"
	"github.com/ligne-app/ligne/media"
	"github.com/ligne-app/ligne/selfcare"
)

// SettingRingtone is the built-in ringtone played on incoming calls.
const SettingRingtone = "audio.ringtone"

// regionNames are shown in the settings, in the product's languages.
var regionNames = map[string][2]string{
	"FR": {"France", "France"}, "BE": {"Belgique", "Belgium"}, "CH": {"Suisse", "Switzerland"},
	"LU": {"Luxembourg", "Luxembourg"}, "MC": {"Monaco", "Monaco"}, "CA": {"Canada", "Canada"},
	"GB": {"Royaume-Uni", "United Kingdom"}, "DE": {"Allemagne", "Germany"}, "ES": {"Espagne", "Spain"},
	"IT": {"Italie", "Italy"}, "US": {"États-Unis", "United States"},
}

// showSettings opens the preferences: language, the region numbers are
// typed in, and (with a sound card) the devices and the ringtone.
func (u *App) showSettings() {
	items := []*widget.FormItem{
		widget.NewFormItem(u.T("settings.language"), languageChooser(u)),
		widget.NewFormItem(u.T("settings.region"), u.regionChooser()),
	}
	items = append(items, u.audioItems()...)
	items = append(items, widget.NewFormItem(u.T("settings.about"), u.about()))
	d := dialog.NewCustom(u.T("settings.title"), u.T("common.close"), widget.NewForm(items...), u.win)
	d.Resize(fyne.NewSize(560, 0))
	d.Show()
}

// regionChooser sets where typed national numbers belong.
func (u *App) regionChooser() fyne.CanvasObject {
	regions := dialplan.Regions()
	names := make([]string, len(regions))
	lang := 0
	if u.Lang() == selfcare.LangEnglish {
		lang = 1
	}
	for i, r := range regions {
		names[i] = regionNames[r][lang]
	}
	sel := widget.NewSelect(names, nil)
	for i, r := range regions {
		if r == u.region {
			sel.SetSelectedIndex(i)
		}
	}
	sel.OnChanged = func(string) {
		u.region = regions[sel.SelectedIndex()]
		u.saveSetting(selfcare.SettingRegion, u.region)
	}
	return sel
}

// audioItems are the device and ringtone choices, when there is sound.
func (u *App) audioItems() []*widget.FormItem {
	if u.line == nil || u.line.eng == nil || u.line.eng.Audio == nil {
		return []*widget.FormItem{widget.NewFormItem(u.T("settings.audio"), note(u.T("settings.audio.none")))}
	}
	return []*widget.FormItem{
		widget.NewFormItem(u.T("settings.microphone"), u.deviceChooser(media.Capture, selfcare.SettingCaptureDevice)),
		widget.NewFormItem(u.T("settings.speaker"), u.deviceChooser(media.Playback, selfcare.SettingPlaybackDevice)),
		widget.NewFormItem(u.T("settings.ringer"), u.deviceChooser(media.Playback, selfcare.SettingRingDevice)),
		widget.NewFormItem(u.T("settings.ringtone"), u.ringtoneChooser()),
	}
}

// deviceChooser lists the devices of kind, the system default first, and
// applies and remembers the choice.
func (u *App) deviceChooser(kind media.DeviceKind, key string) fyne.CanvasObject {
	devices, err := u.line.eng.Audio.Devices(kind)
	if err != nil {
		return note(u.errText(err))
	}
	names := []string{u.T("settings.device.default")}
	ids := []string{""}
	for _, d := range devices {
		names, ids = append(names, d.Name), append(ids, d.ID)
	}
	current, _ := u.deps.Services.Setting(u.ctx, key)
	sel := widget.NewSelect(names, nil)
	sel.SetSelectedIndex(0)
	for i, id := range ids {
		if id == current {
			sel.SetSelectedIndex(i)
		}
	}
	sel.OnChanged = func(string) {
		u.saveSetting(key, ids[sel.SelectedIndex()])
		u.applyDevices()
	}
	return sel
}

// applyDevices switches the sound card to the saved devices.
func (u *App) applyDevices() {
	get := func(key string) media.DeviceInfo {
		id, _ := u.deps.Services.Setting(u.ctx, key)
		return media.DeviceInfo{ID: id}
	}
	u.line.eng.Audio.SetDevices(get(selfcare.SettingCaptureDevice), get(selfcare.SettingPlaybackDevice), get(selfcare.SettingRingDevice))
}

// ringtoneChooser picks the built-in ringtone.
func (u *App) ringtoneChooser() fyne.CanvasObject {
	tones := media.Ringtones()
	names := make([]string, len(tones))
	current, _ := u.deps.Services.Setting(u.ctx, SettingRingtone)
	for i, t := range tones {
		names[i] = u.T("ringtone." + t.ID)
	}
	sel := widget.NewSelect(names, nil)
	sel.SetSelectedIndex(0)
	for i, t := range tones {
		if t.ID == current {
			sel.SetSelectedIndex(i)
		}
	}
	sel.OnChanged = func(string) {
		id := tones[sel.SelectedIndex()].ID
		u.saveSetting(SettingRingtone, id)
		u.line.eng.Audio.SetRingtone(id)
	}
	return sel
}

// saveSetting stores a preference, showing a failure.
func (u *App) saveSetting(key, value string) {
	if err := u.deps.Services.SetSetting(u.ctx, key, value); err != nil {
		u.showDialogError(err)
	}
}

// about names the version and the data folder (what support asks first).
func (u *App) about() fyne.CanvasObject {
	version := u.deps.Version
	if version == "" {
		version = "dev"
	}
	text := widget.NewLabel(u.T("settings.about.text", version, u.deps.DataDir))
	text.Wrapping = fyne.TextWrapWord
	return text
}
