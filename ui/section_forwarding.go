package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/ligne-app/ligne/selfcare"
)

// forwardingData holds each line's rules.
type forwardingData struct {
	lines []selfcare.Line
	rules map[selfcare.LineKind][]selfcare.ForwardRule
	dnd   bool
}

func (u *App) fetchForwarding() (forwardingData, error) {
	d := forwardingData{rules: map[selfcare.LineKind][]selfcare.ForwardRule{}}
	var err error
	if d.lines, err = u.deps.Services.Lines(u.ctx); err != nil {
		return d, err
	}
	for _, l := range d.lines {
		if d.rules[l.Kind], err = u.deps.Services.ForwardRules(u.ctx, l.Kind); err != nil {
			return d, err
		}
	}
	d.dnd, err = u.deps.Services.DND(u.ctx)
	return d, err
}

// buildForwarding is "Gestion des appels": one card per rule, per line.
func buildForwarding(u *App) fyne.CanvasObject {
	holder := container.NewStack(widget.NewActivity())
	load(u, u.fetchForwarding, func(d forwardingData) {
		holder.Objects = []fyne.CanvasObject{u.forwardingView(d)}
		holder.Refresh()
	}, func(err error) { holder.Objects = []fyne.CanvasObject{emptyState(u.errText(err))}; holder.Refresh() })
	return holder
}

func (u *App) forwardingView(d forwardingData) fyne.CanvasObject {
	objs := []fyne.CanvasObject{muted(u.T("forward.intro"))}
	for _, l := range d.lines {
		title := u.T("forward.line.fixed")
		if l.Kind == selfcare.LineMobile {
			title = u.T("forward.line.mobile")
		}
		var cards []fyne.CanvasObject
		for _, r := range d.rules[l.Kind] {
			cards = append(cards, u.ruleCard(r, d.dnd))
		}
		objs = append(objs, heading(title), grid(3, cards...))
	}
	return scroll(objs...)
}

// ruleCard shows one rule as the guide draws it: the activated switch, the
// target, the delay and the period.
func (u *App) ruleCard(r selfcare.ForwardRule, dnd bool) fyne.CanvasObject {
	state := u.T("forward.state.off")
	c := colorMuted
	if r.Active {
		state, c = u.T("forward.state.on"), colorExternal
	}
	target := u.T("forward.target.voicemail")
	if r.Target == selfcare.TargetNumber {
		target = u.T("forward.target.number", numberLabel(r.Number))
	}
	rows := []string{u.T("forward.field.target"), target}
	if r.Kind == selfcare.ForwardNoAnswer {
		rows = append(rows, u.T("forward.field.delay"), formatDuration(r.Delay))
	}
	if r.Kind == selfcare.ForwardImmediate && r.Line == selfcare.LineFixed {
		rows = append(rows, u.T("forward.field.period"), u.periodText(r.Schedule))
	}
	body := container.NewVBox(chip(c, state), keyValue(rows...), muted(u.T("forward.help."+string(r.Kind))))
	if r.Kind == selfcare.ForwardBusy && dnd {
		body.Add(chip(colorWarning, u.T("forward.dnd.on")))
	}
	return widget.NewCard(u.T("forward.kind."+string(r.Kind)), "", body)
}

// periodText reads "Tout le temps" or "du 01/03/2026 09:00 au ...".
func (u *App) periodText(s selfcare.Schedule) string {
	if !s.HasPeriod() {
		return u.T("forward.period.always")
	}
	return u.T("forward.period.range", u.formatDateTime(s.From), u.formatDateTime(s.Until))
}
