package engine

import (
	"context"
	"log/slog"
	"time"

	"github.com/ligne-app/ligne/selfcare"
	"github.com/ligne-app/ligne/softphone"
)

// RuleStore is what the forwarding policy reads.
type RuleStore interface {
	ForwardRules(ctx context.Context, line selfcare.LineKind) ([]selfcare.ForwardRule, error)
	DND(ctx context.Context) (bool, error)
	VoicemailSettings(ctx context.Context, line selfcare.LineKind) (selfcare.VoicemailSettings, error)
	Profile(ctx context.Context) (selfcare.Profile, error)
}

// Policy executes the forwarding rules of "Gestion des appels" on each
// incoming call: immediate forwarding, DND ("renvoi sur occupation"),
// no-answer, simultaneous ring, and the local voicemail. It reads the
// rules at every call, so a change applies to the next call.
type Policy struct {
	Store     RuleStore
	Voicemail Voicemail // nil: voicemail targets fall back to the platform's voicemail number
	Recorder  *Recorder // marks calls answered by the voicemail
	machine   *callSet  // calls the voicemail answers (no sound card for them)
	Line      selfcare.LineKind
	Now       func() time.Time
	Logger    *slog.Logger
}

// Decide is a softphone.IncomingPolicy.
func (p *Policy) Decide(ctx context.Context, in softphone.IncomingCall) softphone.Disposition {
	if p.isAccess(ctx, in) {
		return p.answerWith(in, p.menu)
	}
	rules, err := p.Store.ForwardRules(ctx, p.line())
	if err != nil {
		p.log().Error("read forwarding rules: ringing", "err", err)
		return softphone.Disposition{Action: softphone.ActionRing}
	}
	dnd, _ := p.Store.DND(ctx)
	return p.disposition(ctx, in, selfcare.Decide(rules, p.now(), dnd))
}

// disposition turns the rules' decision into the engine's.
func (p *Policy) disposition(ctx context.Context, in softphone.IncomingCall, d selfcare.Decision) softphone.Disposition {
	switch d.Action {
	case selfcare.ActionForward:
		return redirect(d.Number, diversionReason(d.Rule))
	case selfcare.ActionVoicemail:
		return p.toVoicemail(ctx, in, diversionReason(d.Rule))
	case selfcare.ActionBusy:
		return softphone.Disposition{Action: softphone.ActionReject, Code: 486}
	}
	ring := softphone.Disposition{Action: softphone.ActionRing, Simultaneous: d.Simultaneous}
	if d.NoAnswer != nil {
		next := p.target(ctx, in, *d.NoAnswer)
		ring.NoAnswer, ring.Then = d.NoAnswer.Delay, &next
	}
	return ring
}

// target is where a rule sends the call: a number or the voicemail.
func (p *Policy) target(ctx context.Context, in softphone.IncomingCall, r selfcare.ForwardRule) softphone.Disposition {
	if r.Target == selfcare.TargetVoicemail {
		return p.toVoicemail(ctx, in, diversionReason(r.Kind))
	}
	return redirect(r.Number, diversionReason(r.Kind))
}

// toVoicemail answers with the local voicemail, or redirects to the
// platform's voicemail number when Ligne has none.
func (p *Policy) toVoicemail(ctx context.Context, in softphone.IncomingCall, reason string) softphone.Disposition {
	if p.Voicemail != nil {
		return p.answerWith(in, p.deposit)
	}
	if prof, err := p.Store.Profile(ctx); err == nil && prof.Company.VoicemailNumber != "" {
		return redirect(prof.Company.VoicemailNumber, reason)
	}
	return softphone.Disposition{Action: softphone.ActionReject, Code: 480}
}

func (p *Policy) deposit(ctx context.Context, c *softphone.Call) {
	if p.Recorder != nil {
		p.Recorder.MarkVoicemail(c.ID())
	}
	p.Voicemail.Deposit(ctx, c, p.line())
}

func (p *Policy) menu(ctx context.Context, c *softphone.Call) { p.Voicemail.Menu(ctx, c, p.line()) }

// answerWith answers the call and hands it to fn; the call is the
// voicemail's from the decision on, so the sound card never takes it.
func (p *Policy) answerWith(in softphone.IncomingCall, fn func(context.Context, *softphone.Call)) softphone.Disposition {
	if p.machine != nil {
		p.machine.add(in.CallID)
	}
	return softphone.Disposition{Action: softphone.ActionAnswer, OnAnswer: fn}
}

// isAccess reports a call to the voicemail access number (the line's
// direct access number, or the company's voicemail number).
func (p *Policy) isAccess(ctx context.Context, in softphone.IncomingCall) bool {
	if p.Voicemail == nil {
		return false
	}
	to := in.To.User
	if s, err := p.Store.VoicemailSettings(ctx, p.line()); err == nil && s.AccessNumber != "" && selfcare.SameNumber(to, s.AccessNumber) {
		return true
	}
	prof, err := p.Store.Profile(ctx)
	return err == nil && prof.Company.VoicemailNumber != "" && selfcare.SameNumber(to, prof.Company.VoicemailNumber)
}

func redirect(number, reason string) softphone.Disposition {
	return softphone.Disposition{Action: softphone.ActionRedirect, Target: number, DiversionReason: reason}
}

// diversionReason is the RFC 5806 reason of a rule.
func diversionReason(k selfcare.ForwardKind) string {
	switch k {
	case selfcare.ForwardBusy:
		return "user-busy"
	case selfcare.ForwardNoAnswer:
		return "no-answer"
	case selfcare.ForwardNotReachable:
		return "unavailable"
	}
	return "unconditional"
}

func (p *Policy) line() selfcare.LineKind {
	if p.Line == "" {
		return selfcare.LineFixed
	}
	return p.Line
}

func (p *Policy) now() time.Time {
	if p.Now == nil {
		return time.Now()
	}
	return p.Now()
}

func (p *Policy) log() *slog.Logger {
	if p.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return p.Logger
}
