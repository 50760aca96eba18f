package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/ligne-app/ligne/selfcare"
)

func forwardCommand() *command {
	return &command{
		name: "forward",
		help: "set, turn off or list the forwarding rules",
		usage: "forward set immediate|no-answer|not-reachable|busy|simultaneous --to NUMBER|voicemail\n" +
			"            [--delay 20s] [--from 2026-03-01T09:00 --until 2026-03-08T18:00]\n" +
			"            [--hours mon-fri,09:00-18:00 [--outside]] [--line fixed|mobile]\n" +
			"forward off KIND [--line fixed|mobile] ; forward list [--json] [--line fixed|mobile]",
		run: func(ctx context.Context, e *env, args []string) error {
			if len(args) == 0 {
				return e.usagef("forward set|off|list")
			}
			switch args[0] {
			case "set":
				return forwardSet(ctx, e, args[1:], true)
			case "off":
				return forwardSet(ctx, e, args[1:], false)
			case "list":
				return forwardList(ctx, e, args[1:])
			}
			return e.usagef("forward set|off|list, not %q", args[0])
		},
	}
}

func dndCommand() *command {
	return &command{name: "dnd", help: "turn Do Not Disturb on or off", usage: "dnd on|off",
		run: func(ctx context.Context, e *env, args []string) error {
			if len(args) != 1 || (args[0] != "on" && args[0] != "off") {
				return e.usagef("dnd on|off")
			}
			db, err := e.store(ctx)
			if err != nil {
				return err
			}
			return db.SetDND(ctx, args[0] == "on")
		}}
}

// forwardFlags are the options of forward set and off.
type forwardFlags struct {
	to, from, until, hours, line string
	delay                        time.Duration
	outside                      bool
}

// forwardSet changes one rule: on with its options (set) or off (off),
// keeping the rule's other fields. Nothing changes when the rule is refused.
func forwardSet(ctx context.Context, e *env, args []string, on bool) error {
	if len(args) == 0 {
		return e.usagef("forward set|off KIND ...")
	}
	kind := selfcare.ForwardKind(args[0])
	var f forwardFlags
	fs := flag.NewFlagSet("forward", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.StringVar(&f.to, "to", "", "a number, or voicemail")
	fs.DurationVar(&f.delay, "delay", 0, "no-answer delay, 10s to 1m30s in 5 s steps")
	fs.StringVar(&f.from, "from", "", "start of the period (immediate only)")
	fs.StringVar(&f.until, "until", "", "end of the period")
	fs.StringVar(&f.hours, "hours", "", "office hours, e.g. mon-fri,09:00-18:00")
	fs.BoolVar(&f.outside, "outside", false, "apply outside the office hours")
	fs.StringVar(&f.line, "line", "fixed", "fixed or mobile")
	if err := fs.Parse(args[1:]); err != nil {
		return errUsage
	}
	db, err := e.store(ctx)
	if err != nil {
		return err
	}
	rules, err := db.ForwardRules(ctx, selfcare.LineKind(f.line))
	if err != nil {
		return err
	}
	r, ok := selfcare.FindRule(rules, kind)
	if !ok {
		return fieldError(e, selfcare.Errorf(selfcare.CodeForwardKindInvalid, "kind", string(kind)))
	}
	if r, err = f.apply(r, on, orgLocation(ctx, db)); err != nil {
		return fieldError(e, err)
	}
	if _, err := db.SetForwardRule(ctx, r); err != nil {
		return fieldError(e, err)
	}
	fmt.Fprintln(e.stdout, e.tr().T("cli.forward.saved", e.tr().T("forward.kind."+string(kind))))
	return nil
}

// apply sets the flags on r.
func (f forwardFlags) apply(r selfcare.ForwardRule, on bool, loc *time.Location) (selfcare.ForwardRule, error) {
	r.Active = on
	switch {
	case f.to == "voicemail":
		r.Target = selfcare.TargetVoicemail
	case f.to != "":
		r.Target, r.Number = selfcare.TargetNumber, f.to
	}
	if f.delay != 0 {
		r.Delay = f.delay
	}
	var err error
	if f.from != "" || f.until != "" {
		if r.Schedule.From, err = parseWhen("from", f.from, loc); err != nil {
			return r, err
		}
		if r.Schedule.Until, err = parseWhen("until", f.until, loc); err != nil {
			return r, err
		}
	}
	if f.hours != "" {
		if r.Schedule.Hours, err = parseHours(f.hours, f.outside, loc.String()); err != nil {
			return r, err
		}
	}
	return r, nil
}

// parseWhen reads 2026-03-01T09:00 (local) or RFC 3339.
func parseWhen(field, s string, loc *time.Location) (time.Time, error) {
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04", "2006-01-02 15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, selfcare.Errorf(selfcare.CodeDateInvalid, field, s)
}

var weekdays = map[string]time.Weekday{"sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6,
	"dim": 0, "lun": 1, "mar": 2, "mer": 3, "jeu": 4, "ven": 5, "sam": 6}

// parseHours reads "mon-fri,09:00-18:00" (or "lun-ven,...").
func parseHours(s string, outside bool, tz string) (*selfcare.WeeklyHours, error) {
	days, span, ok := strings.Cut(strings.ToLower(s), ",")
	first, last, ok1 := strings.Cut(days, "-")
	start, end, ok2 := strings.Cut(span, "-")
	d1, okd1 := weekdays[first]
	d2, okd2 := weekdays[last]
	if !ok || !ok1 || !ok2 || !okd1 || !okd2 {
		return nil, selfcare.Errorf(selfcare.CodeHoursInvalid, "hours")
	}
	cs, err := selfcare.ParseClock(start)
	if err != nil {
		return nil, err
	}
	ce, err := selfcare.ParseClock(end)
	if err != nil {
		return nil, err
	}
	h := &selfcare.WeeklyHours{Start: cs, End: ce, Outside: outside, TimeZone: tz}
	for d := d1; ; d = (d + 1) % 7 {
		h.Days[d] = true
		if d == d2 {
			break
		}
	}
	return h, nil
}

// forwardList prints the rules of a line, as text or JSON.
func forwardList(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("forward list", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	asJSON := fs.Bool("json", false, "one JSON array")
	line := fs.String("line", "fixed", "fixed or mobile")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	db, err := e.store(ctx)
	if err != nil {
		return err
	}
	rules, err := db.ForwardRules(ctx, selfcare.LineKind(*line))
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rulesJSON(rules))
	}
	for _, r := range rules {
		fmt.Fprintf(e.stdout, "%-14s %-3s %s\n", r.Kind, onOff(r.Active), describe(r))
	}
	return nil
}

// ruleJSON is a rule as lignectl forward list --json prints it.
type ruleJSON struct {
	Kind    string `json:"kind"`
	Active  bool   `json:"active"`
	Target  string `json:"target"`
	Number  string `json:"number,omitempty"`
	DelayS  int    `json:"delay_s,omitempty"`
	From    string `json:"from,omitempty"`
	Until   string `json:"until,omitempty"`
	Hours   string `json:"hours,omitempty"`
	Outside bool   `json:"outside,omitempty"`
}

func rulesJSON(rules []selfcare.ForwardRule) []ruleJSON {
	out := make([]ruleJSON, 0, len(rules))
	for _, r := range rules {
		j := ruleJSON{Kind: string(r.Kind), Active: r.Active, Target: string(r.Target), Number: r.Number, DelayS: int(r.Delay.Seconds())}
		if r.Schedule.HasPeriod() {
			j.From, j.Until = r.Schedule.From.Format(time.RFC3339), r.Schedule.Until.Format(time.RFC3339)
		}
		if h := r.Schedule.Hours; h != nil {
			j.Hours, j.Outside = h.Start.String()+"-"+h.End.String(), h.Outside
		}
		out = append(out, j)
	}
	return out
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

// describe is a rule's target, delay and schedule in one line.
func describe(r selfcare.ForwardRule) string {
	s := "-> voicemail"
	if r.Target == selfcare.TargetNumber {
		s = "-> " + r.Number
	}
	if r.Kind == selfcare.ForwardNoAnswer {
		s += fmt.Sprintf(" after %s", r.Delay)
	}
	if r.Schedule.HasPeriod() {
		s += " from " + r.Schedule.From.Format("2006-01-02 15:04") + " until " + r.Schedule.Until.Format("2006-01-02 15:04")
	}
	if h := r.Schedule.Hours; h != nil {
		s += " hours " + h.Start.String() + "-" + h.End.String()
		if h.Outside {
			s += " (outside)"
		}
	}
	return s
}
