package store

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/ligne-app/ligne/selfcare"
)

func TestAccountRoundTrip(t *testing.T) {
	db := mustOpen(t)
	ctx := context.Background()
	_, err := db.Account(ctx)
	wantCode(t, err, selfcare.CodeNoAccount)
	a := selfcare.Account{DisplayName: "Camille Durand", User: "4021", AuthUser: "u4021", Domain: "sip.example.fr",
		Registrar: "sip.example.fr:5060", OutboundProxy: "proxy.example.fr:5061", Transport: selfcare.TransportTLS,
		SRTP: selfcare.SRTPRequired}
	must(t, db.SetAccount(ctx, a))
	got, err := db.Account(ctx)
	must(t, err)
	if got != a {
		t.Fatalf("got %+v", got)
	}
	bad := a
	bad.Domain = "not a domain"
	wantCode(t, db.SetAccount(ctx, bad), selfcare.CodeDomainInvalid)
	if got, _ := db.Account(ctx); got != a {
		t.Fatal("account changed by a refused save")
	}
}

func TestProfileRoundTrip(t *testing.T) {
	db := withProfile(t)
	ctx := context.Background()
	p, err := db.Profile(ctx)
	must(t, err)
	want := demoProfile(t)
	if !reflect.DeepEqual(p, want) {
		t.Fatal("profile differs after round trip")
	}
	lines, _ := db.Lines(ctx)
	if len(lines) != 2 || lines[0].Kind != selfcare.LineFixed || lines[0].Extension != "4021" || len(lines[0].Numbers) != 2 {
		t.Fatalf("lines %+v", lines)
	}
	devs, _ := db.Devices(ctx)
	if len(devs) != 2 || devs[0].Model != "T46U" || devs[1].Model != "VVX 450" || devs[0].MAC != "805ec0a1b2c3" {
		t.Fatalf("devices %+v", devs)
	}
	internal, _ := db.Contacts(ctx, selfcare.ContactQuery{Kind: selfcare.ContactInternal})
	if len(internal) != len(want.Directory) {
		t.Fatalf("%d internal contacts, want %d", len(internal), len(want.Directory))
	}
	// applying again keeps devices the user changed and does not duplicate
	devs[0].Label = "Mon bureau"
	_, err = db.UpdateDevice(ctx, devs[0])
	must(t, err)
	must(t, db.ApplyProfile(ctx, want))
	devs2, _ := db.Devices(ctx)
	if len(devs2) != 2 || devs2[0].Label != "Mon bureau" {
		t.Fatalf("devices after re-apply %+v", devs2)
	}
	bad := want
	bad.Company.SIPDomain = "bad domain"
	if err := db.ApplyProfile(ctx, bad); err == nil {
		t.Fatal("bad profile applied")
	}
	if p2, _ := db.Profile(ctx); p2.Company.SIPDomain != want.Company.SIPDomain {
		t.Fatal("bad profile changed the stored one")
	}
}

func TestDevices(t *testing.T) {
	db := withProfile(t)
	ctx := context.Background()
	d, err := db.AddDevice(ctx, selfcare.Device{Model: "t48s", MAC: "80-5E-C0-00-00-01", Label: "Accueil"})
	must(t, err)
	if d.ID == 0 || d.MAC == "805EC0000001" || d.Model != "T48S" || d.Settings.Ringtone != "Ring1.wav" {
		t.Fatalf("added %+v", d)
	}
	_, err = db.AddDevice(ctx, selfcare.Device{Model: "T48S", MAC: "805ec0000001"})
	wantCode(t, err, selfcare.CodeDeviceExists)
	_, err = db.AddDevice(ctx, selfcare.Device{Model: "T48S", MAC: "nope"})
	wantCode(t, err, selfcare.CodeMACInvalid)
	d.Settings.LockEnabled, d.Settings.LockCode, d.Settings.LockTimeout = true, "2580", 120
	d.Settings.AudioQuality, d.Settings.ShowSupervisedCaller = selfcare.AudioNarrowband, true
	up, err := db.UpdateDevice(ctx, d)
	must(t, err)
	if up.ConfigVersion != 2 {
		t.Fatalf("config version %d", up.ConfigVersion)
	}
	devs, _ := db.Devices(ctx)
	if got := devs[len(devs)-1]; got.Settings != d.Settings {
		t.Fatalf("settings %+v", got.Settings)
	}
	must(t, db.RemoveDevice(ctx, d.ID))
	wantCode(t, db.RemoveDevice(ctx, d.ID), selfcare.CodeNotFound)
}

func TestPresentedAndKeys(t *testing.T) {
	db := withProfile(t)
	ctx := context.Background()
	p, err := db.Presented(ctx, selfcare.LineFixed)
	must(t, err)
	if p.Number != "+33472104021" {
		t.Fatalf("default presented %+v", p)
	}
	must(t, db.SetPresented(ctx, selfcare.PresentedNumber{Line: selfcare.LineFixed, Kind: selfcare.PresentGroup, Number: "+33472104100"}))
	wantCode(t, db.SetPresented(ctx, selfcare.PresentedNumber{Line: selfcare.LineFixed, Kind: selfcare.PresentAnonymous}), selfcare.CodeAnonymousMobileOnly)
	if p, _ := db.Presented(ctx, selfcare.LineFixed); p.Number != "+33472104100" {
		t.Fatalf("presented %+v", p)
	}
	must(t, db.SetPresented(ctx, selfcare.PresentedNumber{Line: selfcare.LineMobile, Kind: selfcare.PresentAnonymous}))

	ext, err := db.AddContact(ctx, selfcare.Contact{Kind: selfcare.ContactExternal, Name: "Plomberie Rhône", Numbers: []selfcare.TypedNumber{{Number: "04 78 00 00 01"}}})
	must(t, err)
	keys := []selfcare.FunctionKey{
		{Position: 1, Kind: selfcare.KeySupervision, ContactID: "dir:u-003"},
		{Position: 2, Kind: selfcare.KeyShortcut, ContactID: ext.ID, Label: "Plombier"},
	}
	must(t, db.SetKeys(ctx, keys))
	got, _ := db.Keys(ctx)
	if len(got) != 2 || got[0].Number != "4003" || got[1].Number != "+33478000001" || got[1].Label != "Plombier" {
		t.Fatalf("keys %+v", got)
	}
	wantCode(t, db.SetKeys(ctx, []selfcare.FunctionKey{{Position: 1, Kind: selfcare.KeyShortcut, ContactID: "dir:u-003"}}), selfcare.CodeShortcutExternalOnly)
	if again, _ := db.Keys(ctx); len(again) != 2 {
		t.Fatal("refused key set changed the saved one")
	}
	devs, _ := db.Devices(ctx)
	if devs[0].ConfigVersion < 2 {
		t.Fatal("keys change did not raise the phones' config version")
	}
}

func TestKeysOverSmallestDeviceCapacity(t *testing.T) {
	db := withProfile(t) // T46U (207 keys) and VVX 450 (96 keys, one of them the line's)
	ctx := context.Background()
	var keys []selfcare.FunctionKey
	for i := 1; i <= 97; i++ {
		keys = append(keys, selfcare.FunctionKey{Position: i, Kind: selfcare.KeySupervision, ContactID: "dir:u-003"})
	}
	err := db.SetKeys(ctx, keys)
	wantCode(t, err, selfcare.CodeKeysOverCapacity)
	if msg := selfcare.ErrorMessage(err, "en"); msg != "The VVX 450 holds at most 95 function keys." {
		t.Fatalf("message %q", msg)
	}
}

func TestForwardRulesAndDND(t *testing.T) {
	db := withProfile(t)
	ctx := context.Background()
	rules, err := db.ForwardRules(ctx, selfcare.LineFixed)
	must(t, err)
	if len(rules) != 5 {
		t.Fatalf("%d default rules", len(rules))
	}
	hours := selfcare.OfficeHours(9*60, 18*60, "Europe/Paris", true)
	na := selfcare.ForwardRule{Line: selfcare.LineFixed, Kind: selfcare.ForwardNoAnswer, Active: true, Target: selfcare.TargetNumber,
		Number: "06 11 22 33 44", Delay: 25 * time.Second, Schedule: selfcare.Schedule{Hours: hours}}
	_, err = db.SetForwardRule(ctx, na)
	must(t, err)
	imm := selfcare.ForwardRule{Line: selfcare.LineFixed, Kind: selfcare.ForwardImmediate, Active: true, Target: selfcare.TargetVoicemail,
		Schedule: selfcare.Schedule{From: testNow, Until: testNow.Add(48 * time.Hour)}}
	_, err = db.SetForwardRule(ctx, imm)
	wantCode(t, err, selfcare.CodeImmediateNeedsOthersOff)
	rules, _ = db.ForwardRules(ctx, selfcare.LineFixed)
	got, _ := selfcare.FindRule(rules, selfcare.ForwardNoAnswer)
	if !got.Active || got.Number != "+33611223344" || got.Delay != 25*time.Second || got.Schedule.Hours == nil || *got.Schedule.Hours != *hours {
		t.Fatalf("no-answer rule %+v", got)
	}
	if imm2, _ := selfcare.FindRule(rules, selfcare.ForwardImmediate); imm2.Active {
		t.Fatal("refused immediate rule was saved")
	}
	na.Active = false
	_, err = db.SetForwardRule(ctx, na)
	must(t, err)
	rules, err = db.SetForwardRule(ctx, imm)
	must(t, err)
	saved, _ := selfcare.FindRule(rules, selfcare.ForwardImmediate)
	if !saved.Schedule.From.Equal(imm.Schedule.From) || !saved.Schedule.Until.Equal(imm.Schedule.Until) {
		t.Fatalf("period %+v", saved.Schedule)
	}
	must(t, db.SetDND(ctx, true))
	if on, _ := db.DND(ctx); !on {
		t.Fatal("dnd not saved")
	}
}

func TestVoicemail(t *testing.T) {
	db := withProfile(t)
	ctx := context.Background()
	s, _ := db.VoicemailSettings(ctx, selfcare.LineFixed)
	if !s.RecordMessages {
		t.Fatal("recording should be on by default")
	}
	s.PIN, s.EmailCopy, s.EmailCopyAddress = "2468", true, "assistante@lemoine-equipements.fr"
	_, err := db.SetVoicemailSettings(ctx, s)
	must(t, err)
	bad := s
	bad.PIN = "12"
	_, err = db.SetVoicemailSettings(ctx, bad)
	wantCode(t, err, selfcare.CodePINInvalid)
	if got, _ := db.VoicemailSettings(ctx, selfcare.LineFixed); got != s {
		t.Fatalf("settings %+v", got)
	}

	var ids []int64
	for i, name := range []string{"Bureau", "Vacances", "Réunion", "Absent", "Soir"} {
		g, err := db.AddGreeting(ctx, selfcare.Greeting{Line: selfcare.LineFixed, Name: name, Path: "greetings/" + name + ".wav", Duration: time.Duration(i+1) * time.Second, InUse: i == 0})
		must(t, err)
		ids = append(ids, g.ID)
	}
	_, err = db.AddGreeting(ctx, selfcare.Greeting{Line: selfcare.LineFixed, Name: "Sixième", Path: "x.wav", Duration: time.Second})
	wantCode(t, err, selfcare.CodeGreetingLimit)
	must(t, db.UseGreeting(ctx, ids[2]))
	wantCode(t, db.RenameGreeting(ctx, ids[1], "bureau"), selfcare.CodeGreetingNameTaken)
	must(t, db.RenameGreeting(ctx, ids[1], "Congés d'été"))
	gs, _ := db.Greetings(ctx, selfcare.LineFixed)
	inUse := 0
	for _, g := range gs {
		if g.InUse {
			inUse++
			if g.ID != ids[2] {
				t.Fatalf("greeting in use %d", g.ID)
			}
		}
	}
	if inUse != 1 || gs[1].Name != "Congés d'été" {
		t.Fatalf("greetings %+v", gs)
	}

	m, err := db.AddMessage(ctx, selfcare.VoicemailMessage{Line: selfcare.LineFixed, Caller: "+33478000001", At: testNow, Duration: 12 * time.Second, Path: "voicemail/1.wav", TranscriptionState: selfcare.TranscriptionPending})
	must(t, err)
	must(t, db.SetMessageRead(ctx, m.ID, true))
	must(t, db.SetTranscription(ctx, m.ID, selfcare.TranscriptionDone, "Bonjour, rappelez-moi."))
	must(t, db.DeleteMessage(ctx, m.ID))
	if ms, _ := db.Messages(ctx, selfcare.LineFixed); len(ms) != 0 {
		t.Fatal("deleted message still listed")
	}
	must(t, db.RestoreMessage(ctx, m.ID))
	ms, _ := db.Messages(ctx, selfcare.LineFixed)
	if len(ms) != 1 || !ms[0].Read || ms[0].Transcription != "Bonjour, rappelez-moi." || ms[0].Duration != 12*time.Second || !ms[0].At.Equal(testNow) {
		t.Fatalf("messages %+v", ms)
	}
	wantCode(t, db.SetMessageRead(ctx, 999, true), selfcare.CodeNotFound)
}

func TestContacts(t *testing.T) {
	db := withProfile(t)
	ctx := context.Background()
	c, err := db.AddContact(ctx, selfcare.Contact{Kind: selfcare.ContactExternal, Name: "Éric Bérard", Company: "Transports Bérard",
		Numbers: []selfcare.TypedNumber{{Type: selfcare.NumberMobile, Number: "06 98 76 54 32"}}, Email: "eric@berard.fr", Notes: "Livraisons"})
	must(t, err)
	for _, q := range []string{"eric", "BERARD transports", "0698", "+33 6 98 76", "livr"} {
		found, err := db.Contacts(ctx, selfcare.ContactQuery{Search: q})
		must(t, err)
		if q == "livr" {
			if len(found) != 0 {
				t.Errorf("notes are not searched, got %d", len(found))
			}
			continue
		}
		if len(found) != 1 || found[0].ID != c.ID {
			t.Errorf("search %q: %d results", q, len(found))
		}
	}
	if found, _ := db.Contacts(ctx, selfcare.ContactQuery{Search: "émilie"}); len(found) != 1 || found[0].Kind != selfcare.ContactInternal {
		t.Fatalf("internal search: %+v", found)
	}
	got, ok, err := db.LookupNumber(ctx, "+33698765432")
	must(t, err)
	if !ok || got.Name != "Éric Bérard" {
		t.Fatalf("lookup %+v %v", got, ok)
	}
	if got, ok, _ := db.LookupNumber(ctx, "4003"); !ok || got.Name != "Sophie Girard" {
		t.Fatalf("extension lookup %+v", got)
	}
	c.Name = "Éric Bérard (livraisons)"
	_, err = db.UpdateContact(ctx, c)
	must(t, err)
	wantCode(t, db.DeleteContact(ctx, "dir:u-003"), selfcare.CodeContactReadOnly)
	internal, _ := db.ContactByID(ctx, "dir:u-003")
	internal.Kind = selfcare.ContactExternal // even disguised, a directory entry stays read-only
	_, err = db.UpdateContact(ctx, internal)
	wantCode(t, err, selfcare.CodeContactReadOnly)
	must(t, db.DeleteContact(ctx, c.ID))
	if _, ok, _ := db.LookupNumber(ctx, "0698765432"); ok {
		t.Fatal("deleted contact still found")
	}
}

func TestCallLogFiltersAndPaging(t *testing.T) {
	db := withProfile(t)
	ctx := context.Background()
	paris, _ := time.LoadLocation("Europe/Paris")
	base := time.Date(2026, 3, 1, 0, 30, 0, 0, paris) // just after midnight local, before midnight UTC
	recs := []selfcare.CallRecord{
		{Direction: selfcare.DirectionOut, Line: selfcare.LineFixed, Remote: "+33478000001", RemoteName: "Plomberie", Start: base, Answer: base.Add(5 * time.Second), End: base.Add(65 * time.Second), Outcome: selfcare.OutcomeAnswered},
		{Direction: selfcare.DirectionIn, Line: selfcare.LineFixed, Remote: "+33611111111", Start: base.Add(time.Hour), End: base.Add(time.Hour + 20*time.Second), Outcome: selfcare.OutcomeMissed},
		{Direction: selfcare.DirectionIn, Line: selfcare.LineMobile, Remote: "+33622222222", Start: base.Add(2 * time.Hour), End: base.Add(2*time.Hour + 30*time.Second), Outcome: selfcare.OutcomeVoicemail},
		{Direction: selfcare.DirectionIn, Line: selfcare.LineFixed, Remote: "4003", RemoteName: "Sophie Girard", Start: base.AddDate(0, -1, 0), Outcome: selfcare.OutcomeAnswered},
		{Direction: selfcare.DirectionOut, Line: selfcare.LineFixed, Remote: "+33478000002", Start: base.Add(3 * time.Hour), Outcome: selfcare.OutcomeFailed, Reason: "busy"},
	}
	for _, r := range recs {
		_, err := db.AddCall(ctx, r)
		must(t, err)
	}
	march := time.Date(2026, 3, 15, 12, 0, 0, 0, paris)
	for name, c := range map[string]struct {
		f    selfcare.CallFilter
		want int
	}{
		"month":    {selfcare.CallFilter{Month: march}, 4},
		"émis":     {selfcare.CallFilter{Month: march, Direction: selfcare.DirectionOut}, 2},
		"reçus":    {selfcare.CallFilter{Month: march, Direction: selfcare.DirectionIn}, 2},
		"manqués":  {selfcare.CallFilter{Month: march, MissedOnly: true}, 2},
		"mobile":   {selfcare.CallFilter{Month: march, Line: selfcare.LineMobile}, 1},
		"february": {selfcare.CallFilter{Month: march.AddDate(0, -1, 0)}, 1},
		"search":   {selfcare.CallFilter{Search: "plomb"}, 1},
		"digits":   {selfcare.CallFilter{Search: "22 22"}, 1},
		"national": {selfcare.CallFilter{Search: "06 22 22"}, 1},
		"all":      {selfcare.CallFilter{}, 5},
	} {
		got, total, err := db.Calls(ctx, c.f)
		must(t, err)
		if total != c.want || len(got) != c.want {
			t.Errorf("%s: %d/%d, want %d", name, len(got), total, c.want)
		}
	}
	page, total, _ := db.Calls(ctx, selfcare.CallFilter{Limit: 2, Offset: 2})
	if total != 5 || len(page) != 2 || !page[0].Start.Equal(base.Add(time.Hour)) {
		t.Fatalf("page %+v total %d", page, total)
	}
	first, _, _ := db.Calls(ctx, selfcare.CallFilter{Limit: 1})
	if first[0].Class != selfcare.DestFixedFR || first[0].Reason != "busy" {
		t.Fatalf("newest %+v", first[0])
	}
	dup := selfcare.CallRecord{Direction: selfcare.DirectionOut, Line: selfcare.LineMobile, Remote: "+33699999999", Start: base, Outcome: selfcare.OutcomeAnswered, Source: selfcare.SourceOperator, ExternalID: "cdr-1"}
	n, err := db.ImportCalls(ctx, []selfcare.CallRecord{dup, dup})
	must(t, err)
	if n != 1 {
		t.Fatalf("imported %d of a duplicate pair", n)
	}
}
