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
	tz    string
}

func (u *App) fetchForwarding() (forwardingData, error) {
	d := forwardingData{rules: map[selfcare.LineKind][]selfcare.ForwardRule{}, tz: u.location().String()}
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

// buildForwarding is "Gestion des appels": one card per rule, per line,
// each saving its changes at once.
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
			cards = append(cards, newRuleEditor(u, r, d.dnd, d.tz).object())
		}
		objs = append(objs, heading(title), grid(2, cards...))
	}
	return scroll(objs...)
}

// periodText reads "Tout le temps" or "du 01/03/2026 09:00 au ...".
func (u *App) periodText(s selfcare.Schedule) string {
	if !s.HasPeriod() {
		return u.T("forward.period.always")
	}
	return u.T("forward.period.range", u.formatDateTime(s.From), u.formatDateTime(s.Until))
}
