package selfcare

import (
	"fmt"
	"time"
)

// Schedule says when an active forwarding rule applies. The zero Schedule
// means "tout le temps" (always). A calendar period ("période précise")
// limits it to [From, Until); weekly Hours limit it further to office hours
// (or to outside them).
type Schedule struct {
	From, Until time.Time
	Hours       *WeeklyHours
}

// HasPeriod reports whether a calendar period is set.
func (s Schedule) HasPeriod() bool { return !s.From.IsZero() || !s.Until.IsZero() }

// Validate checks the period and hours. An active rule may not be saved
// with a period that is already over.
func (s Schedule) Validate(now time.Time, active bool) error {
	if s.HasPeriod() {
		if s.From.IsZero() || s.Until.IsZero() || !s.From.Before(s.Until) {
			return Errorf(CodePeriodInvalid, "period")
		}
		if active && !s.Until.After(now) {
			return Errorf(CodePeriodOver, "period")
		}
	}
	if s.Hours != nil {
		return s.Hours.Validate()
	}
	return nil
}

// Applies reports whether the schedule covers instant at.
func (s Schedule) Applies(at time.Time) bool {
	if s.HasPeriod() && (at.Before(s.From) || !at.Before(s.Until)) {
		return false
	}
	return s.Hours == nil || s.Hours.Applies(at)
}

// Clock is a time of day in minutes after midnight (0..1440).
type Clock int

// ParseClock reads "HH:MM".
func ParseClock(s string) (Clock, error) {
	var h, m int
	if _, err := fmt.Sscanf(s, "%d:%d", &h, &m); err != nil || h < 0 || h > 24 || m < 0 || m > 59 || (h == 24 && m != 0) || len(s) != 5 {
		return 0, Errorf(CodeClockInvalid, "hours", s)
	}
	return Clock(h*60 + m), nil
}

// String returns "HH:MM".
func (c Clock) String() string { return fmt.Sprintf("%02d:%02d", int(c)/60, int(c)%60) }

// WeeklyHours are office hours: on the chosen days, from Start to End in
// the user's time zone. With Outside set, the rule applies outside these
// hours instead (forward outside Mon–Fri 9:00–18:00). A window whose End is
// before its Start runs over midnight into the next day.
type WeeklyHours struct {
	Days     [7]bool // indexed by time.Weekday
	Start    Clock
	End      Clock
	Outside  bool
	TimeZone string // IANA name, e.g. "Europe/Paris"
}

// OfficeHours returns Monday to Friday from start to end in tz.
func OfficeHours(start, end Clock, tz string, outside bool) *WeeklyHours {
	h := &WeeklyHours{Start: start, End: end, TimeZone: tz, Outside: outside}
	for d := time.Monday; d <= time.Friday; d++ {
		h.Days[d] = true
	}
	return h
}

// Validate checks the window and its time zone.
func (h WeeklyHours) Validate() error {
	if h.Start == h.End || h.Start < 0 || h.End < 0 || h.Start > 1440 || h.End > 1440 {
		return Errorf(CodeHoursInvalid, "hours")
	}
	if h.Days == [7]bool{} {
		return Errorf(CodeHoursNoDay, "hours")
	}
	if _, err := time.LoadLocation(h.TimeZone); err != nil || h.TimeZone == "" {
		return Errorf(CodeTimeZoneInvalid, "hours", h.TimeZone)
	}
	return nil
}

// Applies reports whether at falls in the rule's hours, evaluated on the
// wall clock of the time zone (so DST changes move nothing).
func (h WeeklyHours) Applies(at time.Time) bool {
	loc, err := time.LoadLocation(h.TimeZone)
	if err != nil {
		loc = time.Local
	}
	return h.inWindow(at.In(loc)) != h.Outside
}

// inWindow reports whether the local time t is inside the weekly window.
func (h WeeklyHours) inWindow(t time.Time) bool {
	now := Clock(t.Hour()*60 + t.Minute())
	today := t.Weekday()
	if h.Start < h.End {
		return h.Days[today] && now >= h.Start && now < h.End
	}
	yesterday := (today + 6) % 7
	return (h.Days[today] && now >= h.Start) || (h.Days[yesterday] && now < h.End)
}
