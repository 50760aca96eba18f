package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ligne-app/ligne/selfcare"
)

// callPageSize is how many records one query fetches for the virtual list.
const callPageSize = 200

// callLog is the "Journal d'appels" screen state.
type callLog struct {
	u       *App
	filter  selfcare.CallFilter
	total   int
	pages   map[int][]selfcare.CallRecord
	pending map[int]bool
	list    *widget.List
	count   *widget.Label
	gen     int // bumps on each filter change so stale pages are dropped
}

// buildCallLog is "Journal d'appels": month, filters, search, and a
// virtual list that loads pages as they scroll into view.
func buildCallLog(u *App) fyne.CanvasObject {
	c := &callLog{u: u, filter: selfcare.CallFilter{Month: u.deps.Now(), Limit: callPageSize}}
	c.count = note("")
	c.list = widget.NewList(func() int { return c.total }, c.createRow, c.updateRow)
	top := container.NewVBox(c.controls(), container.NewBorder(nil, nil, c.count, c.actions()))
	c.reload()
	return container.NewBorder(top, nil, nil, nil, c.list)
}

// controls are the month selector, direction and line filters, and search.
func (c *callLog) controls() fyne.CanvasObject {
	u := c.u
	months, values := u.lastMonths(12)
	month := widget.NewSelect(months, func(s string) {
		for i, m := range months {
			if m == s {
				c.filter.Month = values[i]
			}
		}
		c.reload()
	})
	month.SetSelectedIndex(0)
	dirs := []string{u.T("calllog.all"), u.T("calllog.out"), u.T("calllog.in"), u.T("calllog.missed")}
	dir := widget.NewRadioGroup(dirs, func(s string) { c.setDirection(dirs, s) })
	dir.Horizontal = true
	dir.SetSelected(dirs[0])
	lines := []string{u.T("calllog.lines.all"), u.T("calllog.lines.fixed"), u.T("calllog.lines.mobile")}
	line := widget.NewRadioGroup(lines, func(s string) {
		c.filter.Line = map[string]selfcare.LineKind{lines[1]: selfcare.LineFixed, lines[2]: selfcare.LineMobile}[s]
		c.reload()
	})
	line.Horizontal = true
	line.SetSelected(lines[0])
	search := widget.NewEntry()
	search.SetPlaceHolder(u.T("calllog.search"))
	search.OnChanged = func(s string) { c.filter.Search = s; c.reload() }
	return container.NewVBox(container.NewBorder(nil, nil, sized(month, 190), nil, search), dir, line)
}

func (c *callLog) setDirection(dirs []string, s string) {
	c.filter.Direction, c.filter.MissedOnly = "", false
	switch s {
	case dirs[1]:
		c.filter.Direction = selfcare.DirectionOut
	case dirs[2]:
		c.filter.Direction = selfcare.DirectionIn
	case dirs[3]:
		c.filter.MissedOnly = true
	}
	c.reload()
}

// lastMonths returns the n last months, current first, as labels and times.
func (u *App) lastMonths(n int) ([]string, []time.Time) {
	now := u.deps.Now()
	first := time.Date(now.Year(), now.Month(), 15, 12, 0, 0, 0, now.Location())
	var labels []string
	var values []time.Time
	for i := 0; i < n; i++ {
		m := first.AddDate(0, -i, 0)
		labels, values = append(labels, u.monthName(m)), append(values, m)
	}
	return labels, values
}

// reload drops the pages and fetches the first one for the new filter.
func (c *callLog) reload() {
	c.gen++
	c.pages, c.pending = map[int][]selfcare.CallRecord{}, map[int]bool{}
	c.fetchPage(0)
}

// fetchPage loads page p in the background, then refreshes the list.
func (c *callLog) fetchPage(p int) {
	if c.pending[p] {
		return
	}
	c.pending[p] = true
	f, gen := c.filter, c.gen
	f.Offset, f.Limit = p*callPageSize, callPageSize
	type page struct {
		recs  []selfcare.CallRecord
		total int
	}
	load(c.u, func() (page, error) {
		recs, total, err := c.u.deps.Services.Calls(c.u.ctx, f)
		return page{recs, total}, err
	}, func(pg page) {
		if gen != c.gen {
			return
		}
		c.pages[p], c.total = pg.recs, pg.total
		c.count.SetText(c.u.Tn("calllog.count", pg.total))
		c.list.Refresh()
	}, func(err error) { c.count.SetText(c.u.errText(err)) })
}

// createRow builds a list row: direction icon, party, date, outcome,
// duration and the call-back button.
func (c *callLog) createRow() fyne.CanvasObject {
	back := widget.NewButtonWithIcon("", callIcon(), nil)
	back.Importance = widget.LowImportance
	add := widget.NewButtonWithIcon("", theme.ContentAddIcon(), nil)
	add.Importance = widget.LowImportance
	right := container.NewHBox(widget.NewLabel("00 min 00 s"), back, add)
	return container.NewBorder(nil, nil, widget.NewIcon(theme.MoveUpIcon()), right,
		container.NewGridWithColumns(3, bold("Name"), widget.NewLabel("date"), note("outcome")))
}

// updateRow fills row i, asking for its page when it is not loaded yet.
func (c *callLog) updateRow(i widget.ListItemID, o fyne.CanvasObject) {
	recs, ok := c.pages[i/callPageSize]
	row := o.(*fyne.Container)
	cols := row.Objects[0].(*fyne.Container)
	if !ok || i%callPageSize >= len(recs) {
		c.fetchPage(i / callPageSize)
		cols.Objects[0].(*widget.Label).SetText("…")
		return
	}
	r := recs[i%callPageSize]
	name := r.RemoteName
	if name == "" {
		name = numberLabel(r.Remote)
	}
	cols.Objects[0].(*widget.Label).SetText(name)
	cols.Objects[1].(*widget.Label).SetText(c.u.formatDateTime(r.Start))
	cols.Objects[2].(*widget.Label).SetText(c.outcomeText(r))
	row.Objects[1].(*widget.Icon).SetResource(directionIcon(r))
	right := row.Objects[2].(*fyne.Container)
	right.Objects[0].(*widget.Label).SetText(formatDuration(r.Duration()))
	back := right.Objects[1].(*widget.Button)
	back.OnTapped = func() { c.u.CallNumber(r.Remote) }
	add := right.Objects[2].(*widget.Button)
	add.OnTapped = func() { c.u.AddContactFor(r.Remote, "") }
	if r.RemoteName != "" { // already a contact or a colleague
		add.Hide()
	} else {
		add.Show()
	}
}

func directionIcon(r selfcare.CallRecord) fyne.Resource {
	switch {
	case r.Direction == selfcare.DirectionOut:
		return theme.MoveUpIcon()
	case r.Outcome == selfcare.OutcomeMissed || r.Outcome == selfcare.OutcomeVoicemail:
		return theme.ErrorIcon()
	}
	return theme.MoveDownIcon()
}

// outcomeText is the outcome in words, with the line.
func (c *callLog) outcomeText(r selfcare.CallRecord) string {
	s := c.u.T("outcome." + string(r.Outcome))
	switch {
	case r.Outcome == selfcare.OutcomeForwarded && r.ForwardedTo != "":
		s += " → " + numberLabel(r.ForwardedTo)
	case r.Outcome == selfcare.OutcomeAnswered && r.ForwardedTo != "":
		s = c.u.T("outcome.answered.on", numberLabel(r.ForwardedTo))
	}
	return s + " · " + c.u.T("line.short."+string(r.Line))
}
