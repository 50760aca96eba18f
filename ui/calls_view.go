package ui

import (
	"context"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ligne-app/ligne/selfcare"
	"github.com/ligne-app/ligne/softphone"
)

// callsView lists the calls in progress inside the softphone panel.
type callsView struct {
	u       *App
	l       *line
	box     *fyne.Container
	ticking bool
}

func newCallsView(u *App, l *line) *callsView {
	v := &callsView{u: u, l: l, box: container.NewVBox()}
	l.watch(v.refresh)
	v.refresh()
	return v
}

// refresh rebuilds the call cards and keeps the timers running while
// there are calls.
func (v *callsView) refresh() {
	v.box.Objects = nil
	for _, c := range v.l.calls {
		v.box.Add(v.card(c))
	}
	v.box.Refresh()
	if len(v.l.calls) > 0 && !v.ticking {
		v.startTimer()
	}
}

// startTimer refreshes the cards every second while calls last.
func (v *callsView) startTimer() {
	v.ticking = true
	v.u.every(time.Second, func() bool {
		if len(v.l.calls) == 0 {
			v.ticking = false
			return false
		}
		v.refresh()
		return true
	})
}

// card shows one call: who, state and time, quality, and its actions.
func (v *callsView) card(c *softphone.Call) fyne.CanvasObject {
	title := bold(v.u.partyName(c.Remote()))
	state := note(v.stateText(c))
	objs := []fyne.CanvasObject{title, state}
	if q := v.quality(c); q != "" {
		objs = append(objs, note(q))
	}
	objs = append(objs, v.actions(c)...)
	return widget.NewCard("", "", container.NewVBox(objs...))
}

// stateText is the call's state with its timer.
func (v *callsView) stateText(c *softphone.Call) string {
	local, _ := c.OnHold()
	switch {
	case c.State() == softphone.StateRinging && c.Direction() == softphone.Incoming:
		return v.u.T("call.state.incoming")
	case c.State() == softphone.StateDialing || c.State() == softphone.StateRinging:
		return v.u.T("call.state.calling")
	case local:
		return v.u.T("call.state.held", v.elapsed(c))
	}
	if v.l.consult[c.ID()] != nil {
		return v.u.T("call.state.consult", v.elapsed(c))
	}
	if v.l.inConference() {
		return v.u.T("call.state.conference", v.elapsed(c))
	}
	return v.u.T("call.state.active", v.elapsed(c))
}

// elapsed is the talk time as m:ss.
func (v *callsView) elapsed(c *softphone.Call) string {
	at, ok := v.l.answered[c.ID()]
	if !ok {
		return "0:00"
	}
	d := v.u.deps.Now().Sub(at).Round(time.Second)
	return fmt.Sprintf("%d:%02d", int(d.Minutes()), int(d.Seconds())%60)
}

// quality summarizes the call's media: codec, jitter, loss and MOS.
func (v *callsView) quality(c *softphone.Call) string {
	s := c.Media()
	if s == nil || c.State() != softphone.StateActive {
		return ""
	}
	st := s.Stats()
	if st.PacketsReceived == 0 {
		return st.Codec.Name
	}
	return v.u.T("call.quality", st.Codec.Name, st.Jitter.Milliseconds(), st.LossPercent, st.MOS, v.u.T(mosWord(st.MOS)))
}

// mosWord rates an estimated MOS in words.
func mosWord(mos float64) string {
	switch {
	case mos >= 4:
		return "call.mos.excellent"
	case mos >= 3.6:
		return "call.mos.good"
	case mos >= 3.1:
		return "call.mos.fair"
	}
	return "call.mos.poor"
}

// actions are the buttons a call offers in its state.
func (v *callsView) actions(c *softphone.Call) []fyne.CanvasObject {
	u, l := v.u, v.l
	hangup := widget.NewButtonWithIcon(u.T("call.hangup"), theme.CancelIcon(), func() { l.run(c.Hangup) })
	hangup.Importance = widget.DangerImportance
	if c.Direction() == softphone.Incoming && c.State() == softphone.StateRinging {
		answer := widget.NewButtonWithIcon(u.T("call.answer"), callIcon(), func() { l.answer(c) })
		answer.Importance = widget.SuccessImportance
		reject := widget.NewButtonWithIcon(u.T("call.reject"), theme.CancelIcon(), func() {
			l.run(func(ctx context.Context) error { return c.Reject(ctx, 486) })
		})
		reject.Importance = widget.DangerImportance
		voicemail := widget.NewButtonWithIcon(u.T("call.voicemail"), theme.MediaRecordIcon(), func() { l.toVoicemail(c) })
		return []fyne.CanvasObject{container.NewGridWithColumns(3, answer, voicemail, reject)}
	}
	if c.State() != softphone.StateActive {
		return []fyne.CanvasObject{hangup}
	}
	return v.activeActions(c, hangup)
}

// activeActions are the in-call controls.
func (v *callsView) activeActions(c *softphone.Call, hangup *widget.Button) []fyne.CanvasObject {
	u, l := v.u, v.l
	local, _ := c.OnHold()
	hold := widget.NewButtonWithIcon(u.T("call.hold"), theme.MediaPauseIcon(), func() { l.run(c.Hold) })
	if local {
		hold = widget.NewButtonWithIcon(u.T("call.resume"), theme.MediaPlayIcon(), func() { l.focus(c) })
	}
	mute := widget.NewButtonWithIcon(u.T("call.mute"), theme.VolumeMuteIcon(), func() { l.setMute(!l.muted) })
	if l.muted {
		mute.SetText(u.T("call.unmute"))
		mute.Importance = widget.WarningImportance
	}
	transfer := widget.NewButtonWithIcon(u.T("call.transfer"), theme.MailForwardIcon(), func() { v.askTransfer(c) })
	rows := []fyne.CanvasObject{container.NewGridWithColumns(2, mute, hold), container.NewGridWithColumns(2, transfer, hangup)}
	if v.l.canMerge() && c == v.l.calls[1] {
		merge := widget.NewButtonWithIcon(u.T("call.merge"), theme.ContentAddIcon(), l.merge)
		rows = append(rows, merge)
	}
	if vol := v.volume(); vol != nil {
		rows = append(rows, vol)
	}
	if v.l.consult[c.ID()] != nil {
		done := widget.NewButton(u.T("call.transfer.complete"), func() { l.completeTransfer(c) })
		done.Importance = widget.HighImportance
		cancel := widget.NewButton(u.T("call.transfer.cancel"), func() { l.cancelTransfer(c) })
		rows = append(rows, container.NewGridWithColumns(2, done, cancel))
	}
	return rows
}

// askTransfer asks where to transfer c: blindly, or after consulting.
func (v *callsView) askTransfer(c *softphone.Call) {
	u := v.u
	target := widget.NewEntry()
	target.SetPlaceHolder(u.T("softphone.number.placeholder"))
	errL := errorLabel()
	var d dialog.Dialog
	go_ := func(attended bool) {
		n, _, err := selfcare.NormalizeNumber("number", target.Text)
		if err != nil {
			u.showError(errL, err)
			return
		}
		d.Hide()
		if attended {
			v.l.consultFor(c, n)
			return
		}
		v.l.run(func(ctx context.Context) error { return c.BlindTransfer(ctx, n) })
	}
	blind := widget.NewButton(u.T("call.transfer.blind"), func() { go_(false) })
	attended := widget.NewButton(u.T("call.transfer.attended"), func() { go_(true) })
	attended.Importance = widget.HighImportance
	body := container.NewVBox(target, errL, container.NewGridWithColumns(2, blind, attended))
	d = dialog.NewCustom(u.T("call.transfer"), u.T("common.cancel"), body, u.win)
	d.Show()
}

// volume is the loudspeaker volume of calls, when there is a sound card.
func (v *callsView) volume() fyne.CanvasObject {
	if v.l.eng == nil || v.l.eng.Audio == nil {
		return nil
	}
	s := widget.NewSlider(0, 2)
	s.Step = 0.1
	s.SetValue(v.l.volume)
	s.OnChanged = func(x float64) {
		v.l.volume = x
		v.l.eng.Audio.SetSpeakerVolume(x)
	}
	return container.NewBorder(nil, nil, widget.NewIcon(theme.VolumeUpIcon()), nil, s)
}
