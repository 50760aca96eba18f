// Package demo fills an empty store with the demo workspace: the demo
// organization profile plus believable user data (external contacts,
// function keys, forwarding, voicemail, three months of calls and mobile
// usage), so that a first run shows every screen with content.
package demo

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/ligne-app/ligne/assets"
	"github.com/ligne-app/ligne/selfcare"
	"github.com/ligne-app/ligne/store"
)

// Seed makes db the demo workspace as of now. It refuses a store that
// already has an account, so it never mixes demo data into real data.
func Seed(ctx context.Context, db *store.DB, now time.Time) error {
	if _, err := db.Account(ctx); selfcare.ErrorCode(err) != selfcare.CodeNoAccount {
		return fmt.Errorf("seed demo: the workspace already has an account")
	}
	p, err := selfcare.ParseProfile(bytes.NewReader(assets.DemoProfile()))
	if err != nil {
		return fmt.Errorf("seed demo: %w", err)
	}
	steps := []func(context.Context, *store.DB, selfcare.Profile, time.Time) error{
		applyProfile, addContacts, setKeys, setForwarding, setVoicemail, addCalls, addUsage,
	}
	for _, step := range steps {
		if err := step(ctx, db, p, now); err != nil {
			return fmt.Errorf("seed demo: %w", err)
		}
	}
	acct := selfcare.Account{Demo: true, DisplayName: p.User.Name, User: p.User.Lines[0].Extension,
		Domain: p.Company.SIPDomain, Transport: selfcare.TransportTLS}
	return db.SetAccount(ctx, acct)
}

func applyProfile(ctx context.Context, db *store.DB, p selfcare.Profile, _ time.Time) error {
	return db.ApplyProfile(ctx, p)
}

// externals are the user's own contacts in the demo.
var externals = []selfcare.Contact{
	{Name: "Transports Bérard", Company: "Transports Bérard", Numbers: []selfcare.TypedNumber{{Type: selfcare.NumberWork, Number: "+33478601020"}}, Email: "contact@transports-berard.fr", Notes: "Livraisons le mardi et le jeudi."},
	{Name: "Éric Bérard", Company: "Transports Bérard", Numbers: []selfcare.TypedNumber{{Type: selfcare.NumberMobile, Number: "+33698765432"}}},
	{Name: "Cabinet Arnaud Expertise", Company: "Arnaud Expertise", Numbers: []selfcare.TypedNumber{{Type: selfcare.NumberWork, Number: "+33472334455"}}, Email: "accueil@arnaud-expertise.fr"},
	{Name: "Lucie Arnaud", Company: "Arnaud Expertise", Numbers: []selfcare.TypedNumber{{Type: selfcare.NumberWork, Number: "+33472334456"}, {Type: selfcare.NumberMobile, Number: "+33611002233"}}},
	{Name: "Hôtel des Célestins", Numbers: []selfcare.TypedNumber{{Type: selfcare.NumberWork, Number: "+33478372828"}}},
	{Name: "Menuiserie Pellet", Company: "Pellet SARL", Numbers: []selfcare.TypedNumber{{Type: selfcare.NumberWork, Number: "+33474205566"}}},
	{Name: "Grégoire Pellet", Company: "Pellet SARL", Numbers: []selfcare.TypedNumber{{Type: selfcare.NumberMobile, Number: "+33680112233"}}},
	{Name: "Banque Rhône-Alpes", Numbers: []selfcare.TypedNumber{{Type: selfcare.NumberWork, Number: "+33472101010"}}, Notes: "Conseillère : Mme Daniel."},
	{Name: "Isolation Savoie", Company: "Isolation Savoie", Numbers: []selfcare.TypedNumber{{Type: selfcare.NumberWork, Number: "+33479626262"}}},
	{Name: "Maxime Royer", Company: "Royer Architectes", Numbers: []selfcare.TypedNumber{{Type: selfcare.NumberMobile, Number: "+33675849302"}}, Email: "m.royer@royer-architectes.fr"},
	{Name: "Atelier Vidal", Numbers: []selfcare.TypedNumber{{Type: selfcare.NumberWork, Number: "+33477450099"}}},
	{Name: "Clinique Saint-Joseph", Numbers: []selfcare.TypedNumber{{Type: selfcare.NumberWork, Number: "+33478616161"}}},
	{Name: "Agence Geneva Supplies", Company: "Geneva Supplies SA", Numbers: []selfcare.TypedNumber{{Type: selfcare.NumberWork, Number: "+41223456789"}}},
}

func addContacts(ctx context.Context, db *store.DB, _ selfcare.Profile, _ time.Time) error {
	for _, c := range externals {
		c.Kind, c.Source = selfcare.ContactExternal, "user"
		c.Numbers = append([]selfcare.TypedNumber(nil), c.Numbers...)
		if _, err := db.AddContact(ctx, c); err != nil {
			return fmt.Errorf("contact %s: %w", c.Name, err)
		}
	}
	return nil
}

func setKeys(ctx context.Context, db *store.DB, _ selfcare.Profile, _ time.Time) error {
	keys := []selfcare.FunctionKey{
		{Position: 1, Kind: selfcare.KeySupervision, ContactID: "dir:u-003", Label: "Sophie (accueil)"},
		{Position: 2, Kind: selfcare.KeySupervision, ContactID: "dir:u-014"},
		{Position: 3, Kind: selfcare.KeySupervision, ContactID: "dir:u-015"},
		{Position: 4, Kind: selfcare.KeySupervision, ContactID: "dir:u-007"},
		{Position: 5, Kind: selfcare.KeySupervision, ContactID: "dir:u-010"},
		{Position: 6, Kind: selfcare.KeySupervision, ContactID: "dir:u-004"},
		{Position: 7, Kind: selfcare.KeyShortcut, ContactID: "ext:1", Label: "Bérard"},
		{Position: 8, Kind: selfcare.KeyShortcut, ContactID: "ext:3", Label: "Expert-comptable"},
		{Position: 9, Kind: selfcare.KeyShortcut, ContactID: "ext:10", Label: "M. Royer"},
	}
	return db.SetKeys(ctx, keys)
}

func setForwarding(ctx context.Context, db *store.DB, p selfcare.Profile, _ time.Time) error {
	rules := []selfcare.ForwardRule{
		{Line: selfcare.LineFixed, Kind: selfcare.ForwardNoAnswer, Active: true, Target: selfcare.TargetVoicemail, Delay: 20 * time.Second},
		{Line: selfcare.LineFixed, Kind: selfcare.ForwardBusy, Active: true, Target: selfcare.TargetVoicemail},
		{Line: selfcare.LineFixed, Kind: selfcare.ForwardNotReachable, Active: true, Target: selfcare.TargetNumber, Number: p.User.Lines[1].Numbers[0]},
		{Line: selfcare.LineFixed, Kind: selfcare.ForwardSimultaneous, Target: selfcare.TargetNumber, Number: p.User.Lines[1].Numbers[0]},
		{Line: selfcare.LineMobile, Kind: selfcare.ForwardNoAnswer, Active: true, Target: selfcare.TargetVoicemail, Delay: 25 * time.Second},
	}
	for _, r := range rules {
		if _, err := db.SetForwardRule(ctx, r); err != nil {
			return fmt.Errorf("rule %s/%s: %w", r.Line, r.Kind, err)
		}
	}
	return nil
}

func setVoicemail(ctx context.Context, db *store.DB, _ selfcare.Profile, now time.Time) error {
	s := selfcare.DefaultVoicemailSettings(selfcare.LineFixed)
	s.PIN = "2580"
	if _, err := db.SetVoicemailSettings(ctx, s); err != nil {
		return err
	}
	for i, m := range demoMessages(now) {
		m.Path = fmt.Sprintf("%s/demo-%d.wav", store.DirVoicemail, i+1)
		if _, err := db.AddMessage(ctx, m); err != nil {
			return err
		}
	}
	return nil
}

// demoMessages are the voicemail messages of the demo, newest last.
func demoMessages(now time.Time) []selfcare.VoicemailMessage {
	day := func(d, h, m int) time.Time {
		t := now.AddDate(0, 0, -d)
		return time.Date(t.Year(), t.Month(), t.Day(), h, m, 0, 0, now.Location())
	}
	done := selfcare.TranscriptionDone
	return []selfcare.VoicemailMessage{
		{Line: selfcare.LineFixed, Caller: "+33472334456", At: day(6, 9, 12), Duration: 31 * time.Second, Read: true, TranscriptionState: done,
			Transcription: "Bonjour Camille, c'est Lucie Arnaud. Je vous envoie le bilan cet après-midi, rappelez-moi si vous avez des questions."},
		{Line: selfcare.LineFixed, Caller: "+33478601020", At: day(3, 14, 47), Duration: 18 * time.Second, Read: true, TranscriptionState: done,
			Transcription: "Transports Bérard, la livraison de jeudi est décalée à vendredi matin."},
		{Line: selfcare.LineFixed, Caller: "+33680112233", At: day(1, 11, 5), Duration: 42 * time.Second, TranscriptionState: done,
			Transcription: "Bonjour, Grégoire Pellet. Les plans de la salle de réunion sont prêts, on peut se voir la semaine prochaine ?"},
		{Line: selfcare.LineFixed, Caller: "+33145678901", At: day(0, 8, 40), Duration: 9 * time.Second, TranscriptionState: selfcare.TranscriptionUnavailable},
		{Line: selfcare.LineMobile, Caller: "+33675849302", At: day(0, 10, 15), Duration: 27 * time.Second, TranscriptionState: done,
			Transcription: "Maxime Royer. Je serai sur le chantier de Villeurbanne demain à dix heures."},
	}
}

// addCalls writes three months of believable calls, deterministically.
func addCalls(ctx context.Context, db *store.DB, p selfcare.Profile, now time.Time) error {
	rng := rand.New(rand.NewPCG(2017, 7))
	people := callees(p)
	start := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, now.Location()).AddDate(0, -2, 0)
	var recs []selfcare.CallRecord
	for d := start; d.Before(now); d = d.AddDate(0, 0, 1) {
		if d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
			continue
		}
		for i := 0; i < 3+rng.IntN(6); i++ {
			r := randomCall(rng, d, people)
			if r.Start.Before(now) {
				recs = append(recs, r)
			}
		}
	}
	_, err := db.ImportCalls(ctx, recs)
	return err
}

// callee is someone the demo user calls.
type callee struct{ number, name string }

func callees(p selfcare.Profile) []callee {
	var out []callee
	for _, c := range externals {
		out = append(out, callee{c.Numbers[0].Number, c.Name})
	}
	for _, d := range p.Directory[:12] {
		out = append(out, callee{d.Extension, d.Name})
	}
	return append(out, callee{"+33145678901", ""}, callee{"+33612987654", ""})
}

// randomCall returns one call on day d.
func randomCall(rng *rand.Rand, d time.Time, people []callee) selfcare.CallRecord {
	who := people[rng.IntN(len(people))]
	start := d.Add(time.Duration(8*60+rng.IntN(10*60)) * time.Minute).Add(time.Duration(rng.IntN(60)) * time.Second)
	r := selfcare.CallRecord{Line: selfcare.LineFixed, Remote: who.number, RemoteName: who.name, Start: start, Source: selfcare.SourceLigne}
	if rng.IntN(5) == 0 {
		r.Line = selfcare.LineMobile
	}
	r.Direction = selfcare.DirectionOut
	if rng.IntN(2) == 0 {
		r.Direction = selfcare.DirectionIn
	}
	ring := time.Duration(3+rng.IntN(15)) * time.Second
	talk := time.Duration(20+rng.IntN(600)) * time.Second
	switch x := rng.IntN(10); {
	case x < 7:
		r.Outcome, r.Answer, r.End = selfcare.OutcomeAnswered, start.Add(ring), start.Add(ring+talk)
	case r.Direction == selfcare.DirectionIn && x < 9:
		r.Outcome, r.End = selfcare.OutcomeMissed, start.Add(20*time.Second)
	case r.Direction == selfcare.DirectionIn:
		r.Outcome, r.End = selfcare.OutcomeVoicemail, start.Add(20*time.Second+talk/10)
	default:
		r.Outcome, r.End, r.Reason = selfcare.OutcomeFailed, start.Add(ring), "busy"
	}
	return r
}

// addUsage writes daily mobile data and a few SMS.
func addUsage(ctx context.Context, db *store.DB, _ selfcare.Profile, now time.Time) error {
	rng := rand.New(rand.NewPCG(42, 99))
	start := time.Date(now.Year(), now.Month(), 1, 12, 0, 0, 0, now.Location()).AddDate(0, -2, 0)
	for d := start; d.Before(now); d = d.AddDate(0, 0, 1) {
		mb := int64(150+rng.IntN(900)) << 20
		if err := db.AddUsage(ctx, selfcare.UsageRecord{Line: selfcare.LineMobile, At: d, Kind: selfcare.UsageData, Amount: mb}); err != nil {
			return err
		}
		for i := 0; i < rng.IntN(4); i++ {
			if err := db.AddUsage(ctx, selfcare.UsageRecord{Line: selfcare.LineMobile, At: d.Add(time.Duration(i) * time.Hour), Kind: selfcare.UsageSMS, Amount: 1, Remote: "+33612987654"}); err != nil {
				return err
			}
		}
	}
	return nil
}
