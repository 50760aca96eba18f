package ui

import (
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/ligne-app/ligne/selfcare"
)

// consumptionData is one month of every line.
type consumptionData struct {
	plan  selfcare.Plan
	lines []selfcare.Line
	cons  map[selfcare.LineKind]selfcare.Consumption
}

func (u *App) fetchConsumption(month time.Time) (consumptionData, error) {
	d := consumptionData{cons: map[selfcare.LineKind]selfcare.Consumption{}}
	p, err := u.deps.Services.Profile(u.ctx)
	if ignoreNotFound(err) != nil {
		return d, err
	}
	d.plan = p.Plan
	if d.lines, err = u.deps.Services.Lines(u.ctx); err != nil {
		return d, err
	}
	for _, l := range d.lines {
		if d.cons[l.Kind], err = u.deps.Services.Consumption(u.ctx, l.Kind, month); err != nil {
			return d, err
		}
	}
	return d, nil
}

// buildConsumption is "Conso forfait": month filter, then each line's plan
// reminder and figures.
func buildConsumption(u *App) fyne.CanvasObject {
	body := container.NewStack(widget.NewActivity())
	months, values := u.lastMonths(12)
	show := func(month time.Time) {
		load(u, func() (consumptionData, error) { return u.fetchConsumption(month) }, func(d consumptionData) {
			body.Objects = []fyne.CanvasObject{u.consumptionView(d)}
			body.Refresh()
		}, func(err error) { body.Objects = []fyne.CanvasObject{emptyState(u.errText(err))}; body.Refresh() })
	}
	sel := widget.NewSelect(months, func(s string) {
		for i, m := range months {
			if m == s {
				show(values[i])
			}
		}
	})
	sel.SetSelectedIndex(0)
	return container.NewBorder(container.NewHBox(widget.NewLabel(u.T("consumption.month")), sized(sel, 190)), nil, nil, nil, body)
}

func (u *App) consumptionView(d consumptionData) fyne.CanvasObject {
	var cards []fyne.CanvasObject
	for _, l := range d.lines {
		cards = append(cards, u.lineConsumption(d, l.Kind))
	}
	return scroll(cards...)
}

// lineConsumption is the card of one line, with the guide's figures.
func (u *App) lineConsumption(d consumptionData, line selfcare.LineKind) fyne.CanvasObject {
	c := d.cons[line]
	objs := []fyne.CanvasObject{u.planReminder(d.plan, c)}
	pairs := []string{
		u.T("consumption.recipients"), itoa(c.Recipients),
		u.T("consumption.time"), formatDuration(c.Time),
		u.T("consumption.calls"), itoa(c.Calls),
		u.T("consumption.average"), formatDuration(c.Average),
	}
	if line == selfcare.LineMobile {
		pairs = append(pairs, u.T("consumption.data"), formatBytes(c.DataBytes), u.T("consumption.sms"), itoa(c.SMS))
	}
	objs = append(objs, keyValue(pairs...), bold(u.T("consumption.top")), u.topView(c.Top))
	if c.Calls > 0 {
		charts := grid(2, container.NewVBox(bold(u.T("consumption.chart.perday")), u.callsPerDayChart(c)),
			container.NewVBox(bold(u.T("consumption.chart.classes")), u.classChart(c)))
		objs = append(objs, charts)
	}
	return widget.NewCard(u.T("forward.line."+string(line)), "", container.NewVBox(objs...))
}

// planReminder is "Rappel forfait": minutes used against the allowance.
func (u *App) planReminder(p selfcare.Plan, c selfcare.Consumption) fyne.CanvasObject {
	a, ok := p.Allowance(c.Line)
	if !ok {
		return muted(u.T("dashboard.consumption.noplan"))
	}
	used, included := c.UsedMinutes(a)
	bar := widget.NewProgressBar()
	if included > 0 {
		bar.SetValue(min(float64(used)/float64(included), 1))
	}
	return container.NewVBox(bold(u.T("consumption.plan", a.Name)), wrapped(u.planText(used, included)), bar)
}

// topView is the "Top 5 des appels sortants".
func (u *App) topView(top []selfcare.TopCallee) fyne.CanvasObject {
	if len(top) == 0 {
		return muted(u.T("consumption.top.none"))
	}
	var objs []fyne.CanvasObject
	for i, t := range top {
		who := numberLabel(t.Number)
		if t.Name != "" {
			who = t.Name + " (" + who + ")"
		}
		objs = append(objs, widget.NewLabel(fmt.Sprintf("%d. %s", i+1, who)),
			muted(u.Tn("consumption.top.row", t.Calls, formatDuration(t.Time))))
	}
	return container.NewGridWithColumns(2, objs...)
}

// formatBytes writes 1,2 Go / 850 Mo in the metric units users see on bills.
func formatBytes(b int64) string {
	switch {
	case b >= 1<<30:
		return fmt.Sprintf("%.1f Go", float64(b)/(1<<30))
	case b >= 1<<20:
		return fmt.Sprintf("%d Mo", b>>20)
	}
	return fmt.Sprintf("%d Ko", b>>10)
}
