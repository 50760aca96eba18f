package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ligne-app/ligne/internal/dialplan"
	"github.com/ligne-app/ligne/selfcare"
	"github.com/ligne-app/ligne/softphone"
)

// PanelWidth is the width of the softphone panel, in Fyne units.
const PanelWidth = 280

// softphonePanel is the always-visible softphone: line status, presented
// number, number field, call button, dial pad, calls and function keys.
type softphonePanel struct {
	u         *App
	l         *line
	statusDot *canvas.Circle
	status    *widget.Label
	presented *widget.Label
	number    *widget.Entry
	call      *widget.Button
	err       *widget.Label
	calls     *callsView
	keys      *keysPanel
	suggest   *suggester
}

func newSoftphonePanel(u *App, l *line) *softphonePanel {
	p := &softphonePanel{u: u, l: l}
	p.statusDot = canvas.NewCircle(colorMuted)
	p.status = wrapped("")
	p.presented = muted("")
	p.number = widget.NewEntry()
	p.number.SetPlaceHolder(u.T("softphone.number.placeholder"))
	p.number.OnSubmitted = func(string) { p.dial() }
	p.suggest = newSuggester(u, func(n string) { p.number.SetText(n); p.dial() })
	p.number.OnChanged = p.suggest.update
	p.call = widget.NewButtonWithIcon(u.T("softphone.call"), callIcon(), p.dial)
	p.call.Importance = widget.HighImportance
	p.err = errorLabel()
	p.calls = newCallsView(u, l)
	p.keys = newKeysPanel(u, l)
	l.watch(p.showStatus)
	p.showStatus()
	p.loadPresented()
	return p
}

// object lays the panel out.
func (p *softphonePanel) object() fyne.CanvasObject {
	dot := container.NewGridWrap(fyne.NewSize(12, 12), p.statusDot)
	status := container.NewBorder(nil, nil, container.NewCenter(dot), nil, p.status)
	redial := widget.NewButtonWithIcon("", theme.ViewRefreshIcon(), p.redial)
	box := container.NewVBox(
		heading(p.u.T("softphone.title")), status, p.presented, widget.NewSeparator(),
		p.number, p.suggest.box, p.err, container.NewBorder(nil, nil, nil, redial, p.call), p.dialPad(), p.calls.box, p.keys.object(),
	)
	width := container.NewGridWrap(fyne.NewSize(PanelWidth, 1))
	return container.NewVScroll(container.NewPadded(container.NewVBox(width, box)))
}

// dialPad is the twelve keys: digits go to the number field, or as DTMF
// to the call in progress.
func (p *softphonePanel) dialPad() fyne.CanvasObject {
	var keys []fyne.CanvasObject
	for _, k := range []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "0", "#"} {
		key := k
		keys = append(keys, widget.NewButton(key, func() { p.pressKey(key) }))
	}
	return container.NewGridWithColumns(3, keys...)
}

// pressKey sends a digit to the current call, or types it.
func (p *softphonePanel) pressKey(key string) {
	if c := p.l.current(); c != nil {
		if err := c.SendDTMF(key, dtmfDuration); err != nil {
			p.u.showError(p.err, err)
		}
		return
	}
	p.number.SetText(p.number.Text + key)
}

// redial calls the last number dialed again.
func (p *softphonePanel) redial() {
	if p.u.lastDialed == "" {
		p.u.showError(p.err, selfcare.Errorf(selfcare.CodeNothingToRedial, ""))
		return
	}
	p.number.SetText(p.u.lastDialed)
	p.dial()
}

// showStatus renders the registration status with its color.
func (p *softphonePanel) showStatus() {
	text, c := p.u.statusText(p.l)
	p.status.SetText(text)
	p.statusDot.FillColor = c
	p.statusDot.Refresh()
}

// statusText is the user's reading of the line's registration.
func (u *App) statusText(l *line) (string, color.Color) {
	if l.eng == nil {
		return u.T("status.demo"), colorWarning
	}
	r := l.reg
	switch r.State {
	case softphone.RegRegistering:
		if r.Reason != "" { // trying again after a failure
			return u.T("status.registering.again", u.regReason(r)), colorWarning
		}
		return u.T("status.registering"), colorWarning
	case softphone.RegRegistered:
		return u.T("status.registered"), colorExternal
	case softphone.RegRetrying:
		return u.T("status.failed.retry", u.regReason(r), int(r.RetryIn.Seconds()+0.5)), colorInternal
	case softphone.RegFailed:
		return u.T("status.failed", u.regReason(r)), colorInternal
	}
	return u.T("status.offline"), colorMuted
}

// regReason says why registration failed, in the user's words.
func (u *App) regReason(r softphone.RegistrationEvent) string {
	switch {
	case r.Code == 401 || r.Code == 407 || r.Code == 403:
		return u.T("reg.reason.auth")
	case r.Code == 404:
		return u.T("reg.reason.notfound")
	case r.Code == 0:
		return u.T("reg.reason.network")
	case r.Code >= 500:
		return u.T("reg.reason.server", r.Code)
	}
	return u.T("reg.reason.other", r.Code)
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
	u.shell.panel.suggest.clear()
	u.shell.panel.dial()
}

// dial validates the number field and places the call.
func (p *softphonePanel) dial() {
	n, err := dialplan.Normalize(p.number.Text, p.u.region)
	if err != nil {
		p.u.showError(p.err, err)
		return
	}
	p.u.showError(p.err, nil)
	p.suggest.clear()
	if p.l.eng == nil {
		p.err.SetText(p.u.T("softphone.demo.nocall"))
		p.err.Show()
		return
	}
	p.u.lastDialed = n
	if err := p.l.dial(n); err != nil {
		p.u.showError(p.err, err)
	}
}
