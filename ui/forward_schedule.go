package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/ligne-app/ligne/selfcare"
)

// scheduleEditor edits when a rule applies: always or a calendar period
// (immediate forwarding of the fixed line, as the guide says), and
// optional office hours evaluated in the organization's time zone.
type scheduleEditor struct {
	e                   *ruleEditor
	mode                *widget.RadioGroup
	fromDate, untilDate *widget.DateEntry
	fromTime, untilTime *widget.Entry
	hoursOn             *widget.Check
	days                *widget.CheckGroup
	start, end          *widget.Entry
	outside             *widget.RadioGroup
	periodRows          *fyne.Container // shown for a specific period
	hoursRows           *fyne.Container // shown when office hours are on
}

// dayOrder is Monday first, as French calendars show it.
var dayOrder = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}

func newScheduleEditor(e *ruleEditor) *scheduleEditor {
	u := e.u
	s := &scheduleEditor{e: e, fromDate: widget.NewDateEntry(), untilDate: widget.NewDateEntry(),
		fromTime: widget.NewEntry(), untilTime: widget.NewEntry(), start: widget.NewEntry(), end: widget.NewEntry()}
	s.mode = widget.NewRadioGroup([]string{u.T("forward.period.always"), u.T("forward.period.specific")}, nil)
	s.mode.Horizontal = true
	s.hoursOn = widget.NewCheck(u.T("forward.hours.on"), nil)
	var days []string
	for _, d := range dayOrder {
		days = append(days, u.T(dayKey(d)))
	}
	s.days = widget.NewCheckGroup(days, nil)
	s.days.Horizontal = true
	s.outside = widget.NewRadioGroup([]string{u.T("forward.hours.during"), u.T("forward.hours.outside")}, nil)
	s.outside.Horizontal = true
	s.fromTime.SetPlaceHolder("09:00")
	s.untilTime.SetPlaceHolder("18:00")
	s.periodRows = container.NewVBox(container.NewGridWithColumns(2, s.fromDate, s.fromTime), container.NewGridWithColumns(2, s.untilDate, s.untilTime))
	s.hoursRows = container.NewVBox(s.days, container.NewGridWithColumns(2, s.start, s.end), s.outside)
	s.mode.OnChanged = func(string) { s.showRows() }
	s.hoursOn.OnChanged = func(bool) { s.showRows() }
	return s
}

// showRows shows the period and hours fields only when they apply.
func (s *scheduleEditor) showRows() {
	if s.mode.Selected == s.mode.Options[1] {
		s.periodRows.Show()
	} else {
		s.periodRows.Hide()
	}
	if s.hoursOn.Checked {
		s.hoursRows.Show()
	} else {
		s.hoursRows.Hide()
	}
}

func dayKey(d time.Weekday) string { return "day." + d.String()[:3] }

// periodAllowed reports whether the rule takes a calendar period.
func (s *scheduleEditor) periodAllowed() bool {
	r := s.e.rule
	return r.Kind == selfcare.ForwardImmediate && r.Line == selfcare.LineFixed
}

// object lays out the period and hours pickers with their apply button.
func (s *scheduleEditor) object() fyne.CanvasObject {
	u := s.e.u
	var objs []fyne.CanvasObject
	if s.periodAllowed() {
		objs = append(objs, widget.NewLabel(u.T("forward.field.period")), s.mode, s.periodRows)
	}
	if s.e.hoursAllowed() {
		objs = append(objs, s.hoursOn, s.hoursRows)
	}
	apply := widget.NewButton(u.T("forward.schedule.apply"), s.apply)
	return widget.NewCard("", "", container.NewVBox(append(objs, apply)...))
}

// fill shows the saved schedule.
func (s *scheduleEditor) fill() {
	sch := s.e.rule.Schedule
	s.mode.SetSelected(s.mode.Options[0])
	if sch.HasPeriod() {
		s.mode.SetSelected(s.mode.Options[1])
		s.setWhen(s.fromDate, s.fromTime, sch.From)
		s.setWhen(s.untilDate, s.untilTime, sch.Until)
	}
	h := sch.Hours
	s.hoursOn.SetChecked(h != nil)
	if h == nil {
		h = selfcare.OfficeHours(9*60, 18*60, s.e.tz, true)
	}
	var on []string
	for i, d := range dayOrder {
		if h.Days[d] {
			on = append(on, s.days.Options[i])
		}
	}
	s.days.SetSelected(on)
	s.start.SetText(h.Start.String())
	s.end.SetText(h.End.String())
	s.outside.SetSelected(s.outside.Options[0])
	if h.Outside {
		s.outside.SetSelected(s.outside.Options[1])
	}
	s.showRows()
}

func (s *scheduleEditor) setWhen(date *widget.DateEntry, clock *widget.Entry, t time.Time) {
	t = t.In(s.location())
	date.SetDate(&t)
	clock.SetText(t.Format("15:04"))
}

// apply saves the schedule shown, or shows why it is refused.
func (s *scheduleEditor) apply() {
	sch, err := s.read()
	if err != nil {
		s.e.u.showError(s.e.errL, err)
		return
	}
	s.e.change(func(r *selfcare.ForwardRule) { r.Schedule = sch })
}

// read builds the schedule from the pickers.
func (s *scheduleEditor) read() (selfcare.Schedule, error) {
	var sch selfcare.Schedule
	var err error
	if s.periodAllowed() && s.mode.Selected == s.mode.Options[1] {
		if sch.From, err = s.when("from", s.fromDate, s.fromTime); err != nil {
			return sch, err
		}
		if sch.Until, err = s.when("until", s.untilDate, s.untilTime); err != nil {
			return sch, err
		}
	}
	if s.e.hoursAllowed() && s.hoursOn.Checked {
		sch.Hours, err = s.hours()
	}
	return sch, err
}

// when combines a date and a HH:MM time in the organization's zone.
func (s *scheduleEditor) when(field string, date *widget.DateEntry, clock *widget.Entry) (time.Time, error) {
	if date.Date == nil {
		return time.Time{}, selfcare.Errorf(selfcare.CodeRequired, field)
	}
	text := clock.Text
	if text == "" {
		text = "00:00"
	}
	c, err := selfcare.ParseClock(text)
	if err != nil {
		return time.Time{}, err
	}
	d := *date.Date
	return time.Date(d.Year(), d.Month(), d.Day(), int(c)/60, int(c)%60, 0, 0, s.location()), nil
}

// hours builds the office hours window.
func (s *scheduleEditor) hours() (*selfcare.WeeklyHours, error) {
	start, err := selfcare.ParseClock(s.start.Text)
	if err != nil {
		return nil, err
	}
	end, err := selfcare.ParseClock(s.end.Text)
	if err != nil {
		return nil, err
	}
	h := &selfcare.WeeklyHours{Start: start, End: end, TimeZone: s.e.tz, Outside: s.outside.Selected == s.outside.Options[1]}
	for i, d := range dayOrder {
		for _, sel := range s.days.Selected {
			if sel == s.days.Options[i] {
				h.Days[d] = true
			}
		}
	}
	return h, nil
}

func (s *scheduleEditor) location() *time.Location {
	if loc, err := time.LoadLocation(s.e.tz); err == nil {
		return loc
	}
	return time.Local
}
