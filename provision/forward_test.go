package provision_test

import (
	"testing"
	"time"

	"github.com/ligne-app/ligne/provision"
	"github.com/ligne-app/ligne/selfcare"
)

func rule(kind selfcare.ForwardKind, target selfcare.ForwardTarget, number string) selfcare.ForwardRule {
	return selfcare.ForwardRule{Line: selfcare.LineFixed, Kind: kind, Active: true, Target: target, Number: number, Delay: 20 * time.Second}
}

func TestPhoneForwardFollowsTheRulesAtTheSyncInstant(t *testing.T) {
	// Tuesday 24 November 2026: 15:00 and 20:00 in Paris.
	paris, _ := time.LoadLocation("Europe/Paris")
	day, evening := time.Date(2026, 11, 24, 15, 0, 0, 0, paris), time.Date(2026, 11, 24, 20, 0, 0, 0, paris)
	outsideHours := rule(selfcare.ForwardImmediate, selfcare.TargetNumber, "+33612345678")
	outsideHours.Schedule.Hours = selfcare.OfficeHours(9*60, 18*60, "Europe/Paris", true)
	noAnswer := rule(selfcare.ForwardNoAnswer, selfcare.TargetVoicemail, "")
	busy := rule(selfcare.ForwardBusy, selfcare.TargetNumber, "+33699999999")
	cases := []struct {
		name  string
		rules []selfcare.ForwardRule
		dnd   bool
		at    time.Time
		want  provision.PhoneForward
	}{
		{"no rule", nil, false, day, provision.PhoneForward{}},
		{"no answer to voicemail", []selfcare.ForwardRule{noAnswer}, false, day, provision.PhoneForward{NoAnswer: "8500", NoAnswerDelay: 20 * time.Second}},
		{"office hours: not yet", []selfcare.ForwardRule{outsideHours}, false, day, provision.PhoneForward{}},
		{"office hours: evening", []selfcare.ForwardRule{outsideHours}, false, evening, provision.PhoneForward{Always: "+33612345678"}},
		{"DND alone", nil, true, day, provision.PhoneForward{DND: true}},
		{"DND with forward on busy", []selfcare.ForwardRule{busy}, true, day, provision.PhoneForward{DNDTarget: "+33699999999"}},
		{"forward on busy without DND", []selfcare.ForwardRule{busy}, false, day, provision.PhoneForward{}},
		{"inactive rule", []selfcare.ForwardRule{{Kind: selfcare.ForwardImmediate, Target: selfcare.TargetVoicemail}}, false, day, provision.PhoneForward{}},
	}
	for _, c := range cases {
		if got := provision.PhoneForwardAt(c.rules, c.dnd, c.at, "8500"); got != c.want {
			t.Errorf("%s: %+v, want %+v", c.name, got, c.want)
		}
	}
}

func TestYealinkNoAnswerCountsRings(t *testing.T) {
	for secs, rings := range map[int]string{10: "2", 20: "3", 25: "4", 30: "5", 90: "15"} {
		in := fixture(t, "T46U", 0)
		in.Forward.NoAnswerDelay = time.Duration(secs) * time.Second
		p, err := provision.ParseYealink(render(t, in)[yealinkMAC+".cfg"])
		if err != nil {
			t.Fatal(err)
		}
		if got := p["forward.no_answer.timeout"]; got != rings {
			t.Errorf("%d s: %s rings, want %s (6 s a ring)", secs, got, rings)
		}
		poly, err := provision.ParsePolycom(render(t, fixture(t, "VVX 450", 0))[polyMAC+"-ligne.cfg"])
		if err != nil || poly["divert.noanswer.1.timeout"] != "20" {
			t.Errorf("Poly counts seconds: %q %v", poly["divert.noanswer.1.timeout"], err)
		}
	}
}
