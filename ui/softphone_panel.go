package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ligne-app/ligne/selfcare"
)

// PanelWidth is the width of the softphone panel, in Fyne units.
const PanelWidth = 280

// softphonePanel is the always-visible softphone: line status, presented
// number, number field, call button and dial pad.
type softphonePanel struct {
	u         *App
	statusDot *canvas.Circle
	status    *widget.Label
	presented *widget.Label
	number    *widget.Entry
	call      *widget.Button
	err       *widget.Label
	stop      func()
}

func newSoftphonePanel(u *App) *softphonePanel {
	p := &softphonePanel{u: u}
	p.statusDot = canvas.NewCircle(colorMuted)
	p.status = wrapped("")
	p.presented = muted("")
	p.number = widget.NewEntry()
	p.number.SetPlaceHolder(u.T("softphone.number.placeholder"))
	p.number.OnSubmitted = func(string) { p.dial() }
	p.call = widget.NewButtonWithIcon(u.T("softphone.call"), theme.MediaPlayIcon(), p.dial)
	p.call.Importance = widget.HighImportance
	p.err = errorLabel()
	p.showStatus(u.deps.Phone.Status())
	p.stop = u.deps.Phone.Watch(func(st PhoneStatus) { fyne.Do(func() { p.showStatus(st) }) })
	p.loadPresented()
	return p
}

// object lays the panel out.
func (p *softphonePanel) object() fyne.CanvasObject {
	dot := container.NewGridWrap(fyne.NewSize(12, 12), p.statusDot)
	status := container.NewBorder(nil, nil, container.NewCenter(dot), nil, p.status)
	box := container.NewVBox(
		heading(p.u.T("softphone.title")), status, p.presented, widget.NewSeparator(),
		p.number, p.err, p.call, p.dialPad(),
	)
	sized := container.NewGridWrap(fyne.NewSize(PanelWidth, box.MinSize().Height), box)
	return container.NewVScroll(container.NewPadded(sized))
}

// dialPad is the twelve keys, typing into the number field.
func (p *softphonePanel) dialPad() fyne.CanvasObject {
	var keys []fyne.CanvasObject
	for _, k := range []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "0", "#"} {
		key := k
		keys = append(keys, widget.NewButton(key, func() { p.number.SetText(p.number.Text + key) }))
	}
	return container.NewGridWithColumns(3, keys...)
}

// showStatus renders the registration status with its color.
func (p *softphonePanel) showStatus(st PhoneStatus) {
	text, c := p.u.statusText(st)
	p.status.SetText(text)
	p.statusDot.FillColor = c
	p.statusDot.Refresh()
}

// statusText is the user's reading of a registration status.
func (u *App) statusText(st PhoneStatus) (string, color.Color) {
	switch st.State {
	case RegDemo:
		return u.T("status.demo"), colorWarning
	case RegRegistering:
		return u.T("status.registering"), colorWarning
	case RegRegistered:
		return u.T("status.registered"), colorExternal
	case RegFailed:
		if st.Retry > 0 {
			return u.T("status.failed.retry", st.Reason, st.Retry), colorInternal
		}
		return u.T("status.failed", st.Reason), colorInternal
	}
	return u.T("status.offline"), colorMuted
}

// loadPresented shows the fixed line's presented number.
func (p *softphonePanel) loadPresented() {
	load(p.u, func() (selfcare.PresentedNumber, error) {
		return p.u.deps.Services.Presented(p.u.ctx, selfcare.LineFixed)
	}, func(pn selfcare.PresentedNumber) {
		p.presented.SetText(p.u.T("softphone.presented", p.u.presentedText(pn)))
	}, nil)
}

// presentedText names a presented-number choice.
func (u *App) presentedText(pn selfcare.PresentedNumber) string {
	if pn.Anonymous() {
		return u.T("presented.anonymous")
	}
	if pn.Number == "" {
		return u.T("presented.none")
	}
	return numberLabel(pn.Number)
}

// CallNumber puts number in the softphone's number field and calls it
// (call back from the call log, a contact, a voicemail message).
func (u *App) CallNumber(number string) {
	if u.shell == nil {
		return
	}
	u.shell.panel.number.SetText(number)
	u.shell.panel.dial()
}

// dial validates the number field and asks the phone to call.
func (p *softphonePanel) dial() {
	n, _, err := selfcare.NormalizeNumber("number", p.number.Text)
	if err != nil {
		p.u.showError(p.err, err)
		return
	}
	p.u.showError(p.err, nil)
	if err := p.u.deps.Phone.Dial(p.u.ctx, n); err != nil {
		if p.u.deps.Phone.Status().State == RegDemo {
			p.err.SetText(p.u.T("softphone.demo.nocall"))
			p.err.Show()
			return
		}
		p.u.showError(p.err, err)
	}
}
