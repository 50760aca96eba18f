package selfcare

import (
	"strings"
	"testing"
	"time"
)

var paris = mustLoc("Europe/Paris")

func mustLoc(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, paris)
	if err != nil {
		panic(err)
	}
	return t
}

func TestForwardRuleValidate(t *testing.T) {
	now := at("2026-03-10 10:00")
	period := Schedule{From: at("2026-03-01 00:00"), Until: at("2026-03-20 00:00")}
	cases := []struct {
		name string
		rule ForwardRule
		want Code
	}{
		{"immediate to voicemail", ForwardRule{Line: LineFixed, Kind: ForwardImmediate, Active: true, Target: TargetVoicemail}, ""},
		{"immediate to number", ForwardRule{Line: LineFixed, Kind: ForwardImmediate, Active: true, Target: TargetNumber, Number: "06 12 34 56 78"}, ""},
		{"immediate bad number", ForwardRule{Line: LineFixed, Kind: ForwardImmediate, Active: true, Target: TargetNumber, Number: "06 12 AB"}, CodeNumberInvalid},
		{"immediate number missing", ForwardRule{Line: LineFixed, Kind: ForwardImmediate, Active: true, Target: TargetNumber}, CodeRequired},
		{"inactive rule keeps empty number", ForwardRule{Line: LineFixed, Kind: ForwardImmediate, Target: TargetNumber}, ""},
		{"immediate with period", ForwardRule{Line: LineFixed, Kind: ForwardImmediate, Active: true, Target: TargetVoicemail, Schedule: period}, ""},
		{"period reversed", ForwardRule{Line: LineFixed, Kind: ForwardImmediate, Active: true, Target: TargetVoicemail, Schedule: Schedule{From: period.Until, Until: period.From}}, CodePeriodInvalid},
		{"period over", ForwardRule{Line: LineFixed, Kind: ForwardImmediate, Active: true, Target: TargetVoicemail, Schedule: Schedule{From: at("2026-01-01 00:00"), Until: at("2026-02-01 00:00")}}, CodePeriodOver},
		{"mobile immediate has no period", ForwardRule{Line: LineMobile, Kind: ForwardImmediate, Active: true, Target: TargetVoicemail, Schedule: period}, CodeMobileImmediateNoPeriod},
		{"mobile immediate has no hours", ForwardRule{Line: LineMobile, Kind: ForwardImmediate, Active: true, Target: TargetVoicemail, Schedule: Schedule{Hours: OfficeHours(540, 1080, "Europe/Paris", true)}}, CodeMobileImmediateNoPeriod},
		{"no-answer takes no period", ForwardRule{Line: LineFixed, Kind: ForwardNoAnswer, Active: true, Target: TargetVoicemail, Delay: 20 * time.Second, Schedule: period}, CodePeriodNotAllowed},
		{"no-answer office hours", ForwardRule{Line: LineFixed, Kind: ForwardNoAnswer, Active: true, Target: TargetVoicemail, Delay: 20 * time.Second, Schedule: Schedule{Hours: OfficeHours(540, 1080, "Europe/Paris", true)}}, ""},
		{"no-answer min delay", ForwardRule{Line: LineFixed, Kind: ForwardNoAnswer, Active: true, Target: TargetVoicemail, Delay: 10 * time.Second}, ""},
		{"no-answer max delay", ForwardRule{Line: LineFixed, Kind: ForwardNoAnswer, Active: true, Target: TargetVoicemail, Delay: 90 * time.Second}, ""},
		{"no-answer below min", ForwardRule{Line: LineFixed, Kind: ForwardNoAnswer, Active: true, Target: TargetVoicemail, Delay: 5 * time.Second}, CodeDelayOutOfRange},
		{"no-answer above max", ForwardRule{Line: LineFixed, Kind: ForwardNoAnswer, Active: true, Target: TargetVoicemail, Delay: 95 * time.Second}, CodeDelayOutOfRange},
		{"no-answer off step", ForwardRule{Line: LineFixed, Kind: ForwardNoAnswer, Active: true, Target: TargetVoicemail, Delay: 12 * time.Second}, CodeDelayOutOfRange},
		{"not-reachable to number", ForwardRule{Line: LineFixed, Kind: ForwardNotReachable, Active: true, Target: TargetNumber, Number: "+33612345678"}, ""},
		{"busy to voicemail", ForwardRule{Line: LineFixed, Kind: ForwardBusy, Active: true, Target: TargetVoicemail}, ""},
		{"mobile has no busy rule", ForwardRule{Line: LineMobile, Kind: ForwardBusy, Active: true, Target: TargetVoicemail}, CodeForwardKindInvalid},
		{"simultaneous needs a number", ForwardRule{Line: LineFixed, Kind: ForwardSimultaneous, Active: true, Target: TargetVoicemail}, CodeSimultaneousNeedsNumber},
		{"simultaneous to mobile", ForwardRule{Line: LineFixed, Kind: ForwardSimultaneous, Active: true, Target: TargetNumber, Number: "0612345678"}, ""},
		{"unknown target", ForwardRule{Line: LineFixed, Kind: ForwardBusy, Active: true, Target: "fax"}, CodeChoiceInvalid},
		{"unknown line", ForwardRule{Line: "sat", Kind: ForwardBusy, Active: true, Target: TargetVoicemail}, CodeLineInvalid},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := c.rule.Validate(now)
			if got := ErrorCode(err); got != c.want {
				t.Fatalf("code = %q, want %q (err %v)", got, c.want, err)
			}
		})
	}
}

func TestValidateNormalizesForwardNumber(t *testing.T) {
	r, err := ForwardRule{Line: LineFixed, Kind: ForwardBusy, Active: true, Target: TargetNumber, Number: "06 12 34 56 78"}.Validate(at("2026-03-10 10:00"))
	if err != nil || r.Number != "+33612345678" {
		t.Fatalf("got %q, %v", r.Number, err)
	}
}

func TestNoAnswerDelaysOffered(t *testing.T) {
	d := NoAnswerDelays()
	if len(d) != 17 || d[0] != 10*time.Second || d[16] != 90*time.Second {
		t.Fatalf("delays = %v", d)
	}
	for _, x := range d {
		if err := validateDelay(x); err != nil {
			t.Fatalf("offered delay %v refused: %v", x, err)
		}
	}
}

func TestImmediatePrecedence(t *testing.T) {
	now := at("2026-03-10 10:00")
	rules := DefaultForwardRules(LineFixed)
	on := func(k ForwardKind) ForwardRule {
		r, _ := FindRule(rules, k)
		r.Active = true
		if k == ForwardSimultaneous {
			r.Number = "0612345678"
		}
		return r
	}
	rules, err := ApplyForwardRule(rules, on(ForwardImmediate), now)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []ForwardKind{ForwardNoAnswer, ForwardNotReachable, ForwardBusy, ForwardSimultaneous} {
		_, err := ApplyForwardRule(rules, on(k), now)
		if ErrorCode(err) != CodeImmediateExclusive {
			t.Errorf("activating %s while immediate is on: %v, want %s", k, err, CodeImmediateExclusive)
		}
	}
	// switching immediate off lets others on; then immediate cannot come back on
	off, _ := FindRule(rules, ForwardImmediate)
	off.Active = false
	rules, err = ApplyForwardRule(rules, off, now)
	if err != nil {
		t.Fatal(err)
	}
	if rules, err = ApplyForwardRule(rules, on(ForwardBusy), now); err != nil {
		t.Fatal(err)
	}
	_, err = ApplyForwardRule(rules, on(ForwardImmediate), now)
	if ErrorCode(err) != CodeImmediateNeedsOthersOff {
		t.Fatalf("immediate while busy on: %v", err)
	}
	if m := Errorf(CodeImmediateExclusive, "").Message(LangFrench); !strings.HasPrefix(m, "Le renvoi immédiat prend le pas sur tous les renvois.") {
		t.Fatalf("guide's words expected, got %q", m)
	}
}

func TestApplyForwardRuleLeavesInputUntouched(t *testing.T) {
	rules := DefaultForwardRules(LineFixed)
	before := append([]ForwardRule(nil), rules...)
	bad := ForwardRule{Line: LineFixed, Kind: ForwardNoAnswer, Active: true, Target: TargetVoicemail, Delay: 3 * time.Second}
	if _, err := ApplyForwardRule(rules, bad, at("2026-03-10 10:00")); err == nil {
		t.Fatal("bad delay accepted")
	}
	for i := range rules {
		if rules[i] != before[i] {
			t.Fatalf("rule %d changed on error", i)
		}
	}
}

func TestDecide(t *testing.T) {
	imm := ForwardRule{Line: LineFixed, Kind: ForwardImmediate, Active: true, Target: TargetNumber, Number: "+33612345678",
		Schedule: Schedule{From: at("2026-03-01 00:00"), Until: at("2026-03-20 00:00")}}
	busyVM := ForwardRule{Line: LineFixed, Kind: ForwardBusy, Active: true, Target: TargetVoicemail}
	noAns := ForwardRule{Line: LineFixed, Kind: ForwardNoAnswer, Active: true, Target: TargetNumber, Number: "+33699999999", Delay: 15 * time.Second}
	sim := ForwardRule{Line: LineFixed, Kind: ForwardSimultaneous, Active: true, Target: TargetNumber, Number: "+33688888888"}
	cases := []struct {
		name  string
		rules []ForwardRule
		when  string
		dnd   bool
		want  Decision
	}{
		{"nothing active rings", nil, "2026-03-10 10:00", false, Decision{Action: ActionRing}},
		{"immediate inside period", []ForwardRule{imm}, "2026-03-10 10:00", false, Decision{Action: ActionForward, Rule: ForwardImmediate, Number: "+33612345678"}},
		{"immediate before period", []ForwardRule{imm}, "2026-02-28 23:59", false, Decision{Action: ActionRing}},
		{"immediate at period end", []ForwardRule{imm}, "2026-03-20 00:00", false, Decision{Action: ActionRing}},
		{"immediate beats dnd", []ForwardRule{imm, busyVM}, "2026-03-10 10:00", true, Decision{Action: ActionForward, Rule: ForwardImmediate, Number: "+33612345678"}},
		{"dnd with busy rule", []ForwardRule{busyVM}, "2026-03-10 10:00", true, Decision{Action: ActionVoicemail, Rule: ForwardBusy}},
		{"dnd without target is busy", nil, "2026-03-10 10:00", true, Decision{Action: ActionBusy, Rule: ForwardBusy}},
		{"busy rule ignored without dnd", []ForwardRule{busyVM}, "2026-03-10 10:00", false, Decision{Action: ActionRing}},
		{"simultaneous ring", []ForwardRule{sim}, "2026-03-10 10:00", false, Decision{Action: ActionRing, Simultaneous: "+33688888888"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Decide(c.rules, at(c.when), c.dnd)
			if got.Action != c.want.Action || got.Rule != c.want.Rule || got.Number != c.want.Number || got.Simultaneous != c.want.Simultaneous {
				t.Fatalf("got %+v, want %+v", got, c.want)
			}
		})
	}
	d := Decide([]ForwardRule{noAns}, at("2026-03-10 10:00"), false)
	if d.NoAnswer == nil || d.NoAnswer.Delay != 15*time.Second || d.NoAnswer.Number != "+33699999999" {
		t.Fatalf("no-answer leg missing: %+v", d)
	}
}

func TestOfficeHoursAcrossDST(t *testing.T) {
	// Forward outside Mon–Fri 9:00–18:00, Paris time. 2026-03-29 is the
	// spring DST change (02:00 -> 03:00), 2026-10-25 the autumn one.
	h := OfficeHours(9*60, 18*60, "Europe/Paris", true)
	cases := []struct {
		utc  string
		want bool
	}{
		{"2026-03-27T07:59:00Z", true},  // Fri 08:59 CET: before hours
		{"2026-03-27T08:00:00Z", false}, // Fri 09:00 CET
		{"2026-03-27T16:59:00Z", false}, // Fri 17:59 CET
		{"2026-03-27T17:00:00Z", true},  // Fri 18:00 CET
		{"2026-03-28T10:00:00Z", true},  // Saturday
		{"2026-03-29T01:30:00Z", true},  // Sunday 03:30 CEST, the night of the change
		{"2026-03-30T06:59:00Z", true},  // Mon 08:59 CEST (UTC+2 now)
		{"2026-03-30T07:00:00Z", false}, // Mon 09:00 CEST
		{"2026-03-30T15:59:00Z", false}, // Mon 17:59 CEST
		{"2026-03-30T16:00:00Z", true},  // Mon 18:00 CEST
		{"2026-10-26T07:59:00Z", true},  // Mon 08:59 CET, after the autumn change (UTC+1 again)
		{"2026-10-26T08:00:00Z", false}, // Mon 09:00 CET
	}
	for _, c := range cases {
		ts, _ := time.Parse(time.RFC3339, c.utc)
		if got := h.Applies(ts); got != c.want {
			t.Errorf("%s (%s local): applies=%v, want %v", c.utc, ts.In(paris).Format("Mon 15:04 MST"), got, c.want)
		}
	}
}

func TestOfficeHoursOverMidnight(t *testing.T) {
	h := &WeeklyHours{Start: 22 * 60, End: 6 * 60, TimeZone: "Europe/Paris"}
	h.Days[time.Friday] = true
	if !h.Applies(at("2026-03-27 23:00")) || !h.Applies(at("2026-03-28 05:59")) {
		t.Fatal("night window from Friday not applied")
	}
	if h.Applies(at("2026-03-28 06:00")) || h.Applies(at("2026-03-28 23:00")) {
		t.Fatal("window applied outside Friday night")
	}
}

func TestScheduleValidation(t *testing.T) {
	now := at("2026-03-10 10:00")
	for _, c := range []struct {
		h    WeeklyHours
		want Code
	}{
		{WeeklyHours{Start: 540, End: 540, Days: [7]bool{false, true}, TimeZone: "Europe/Paris"}, CodeHoursInvalid},
		{WeeklyHours{Start: 540, End: 600, TimeZone: "Europe/Paris"}, CodeHoursNoDay},
		{WeeklyHours{Start: 540, End: 600, Days: [7]bool{false, true}, TimeZone: "Mars/Olympus"}, CodeTimeZoneInvalid},
		{WeeklyHours{Start: 540, End: 600, Days: [7]bool{false, true}, TimeZone: "America/New_York"}, ""},
	} {
		if got := ErrorCode(Schedule{Hours: &c.h}.Validate(now, true)); got != c.want {
			t.Errorf("%+v: %q, want %q", c.h, got, c.want)
		}
	}
	if _, err := ParseClock("25:00"); err == nil {
		t.Error("25:00 accepted")
	}
	if c, err := ParseClock("09:30"); err != nil || c != 570 || c.String() != "09:30" {
		t.Errorf("09:30 -> %v %v", c, err)
	}
}

func TestActiveNowFollowsSchedule(t *testing.T) {
	r := ForwardRule{Line: LineFixed, Kind: ForwardImmediate, Active: true, Target: TargetVoicemail,
		Schedule: Schedule{From: at("2026-03-01 00:00"), Until: at("2026-03-02 00:00")}}
	if len(ActiveNow([]ForwardRule{r}, at("2026-03-01 12:00"))) != 1 || len(ActiveNow([]ForwardRule{r}, at("2026-03-03 12:00"))) != 0 {
		t.Fatal("ActiveNow ignores the period")
	}
}
