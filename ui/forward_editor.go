package ui

import (
	"context"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/ligne-app/ligne/selfcare"
)

// ruleEditor is the card of one forwarding rule, as the guide draws it.
// Every change is saved at once; a refused change shows its error inline
// and the card goes back to what is saved.
type ruleEditor struct {
	u        *App
	rule     selfcare.ForwardRule // what is saved
	dnd      bool
	tz       string
	active   *widget.Check
	target   *widget.RadioGroup
	number   *widget.Entry
	delay    *widget.Select
	status   *widget.Label
	errL     *widget.Label
	schedule *scheduleEditor
	applying bool // set while widgets are filled from the saved rule
}

func newRuleEditor(u *App, r selfcare.ForwardRule, dnd bool, tz string) *ruleEditor {
	e := &ruleEditor{u: u, rule: r, dnd: dnd, tz: tz, status: note(""), errL: errorLabel()}
	e.active = widget.NewCheck(u.T("forward.state.on"), func(on bool) { e.change(func(r *selfcare.ForwardRule) { r.Active = on }) })
	targets := []string{u.T("forward.target.voicemail"), u.T("forward.target.numberchoice")}
	e.target = widget.NewRadioGroup(targets, func(s string) {
		e.change(func(r *selfcare.ForwardRule) {
			r.Target = map[bool]selfcare.ForwardTarget{true: selfcare.TargetVoicemail, false: selfcare.TargetNumber}[s == targets[0]]
		})
	})
	e.target.Horizontal = true
	e.number = widget.NewEntry()
	e.number.SetPlaceHolder("06 12 34 56 78")
	e.number.OnSubmitted = func(string) { e.saveNumber() }
	e.delay = widget.NewSelect(e.delayOptions(), func(string) { e.saveDelay() })
	if r.Kind == selfcare.ForwardImmediate && r.Line == selfcare.LineFixed || e.hoursAllowed() {
		e.schedule = newScheduleEditor(e)
	}
	e.fill()
	return e
}

// hoursAllowed reports whether office hours apply to this rule.
func (e *ruleEditor) hoursAllowed() bool {
	r := e.rule
	return r.Kind != selfcare.ForwardNotReachable && !(r.Kind == selfcare.ForwardImmediate && r.Line == selfcare.LineMobile)
}

// object lays the card out.
func (e *ruleEditor) object() fyne.CanvasObject {
	u, r := e.u, e.rule
	objs := []fyne.CanvasObject{e.active, muted(u.T("forward.help." + string(r.Kind)))}
	if r.Kind != selfcare.ForwardSimultaneous {
		objs = append(objs, e.target)
	}
	ok := widget.NewButton(u.T("common.ok"), e.saveNumber)
	objs = append(objs, container.NewBorder(nil, nil, nil, ok, e.number))
	if r.Kind == selfcare.ForwardNoAnswer {
		objs = append(objs, container.NewBorder(nil, nil, widget.NewLabel(u.T("forward.field.delay")), nil, e.delay))
	}
	if e.schedule != nil {
		objs = append(objs, e.schedule.object())
	}
	objs = append(objs, e.extras()...)
	objs = append(objs, e.status, e.errL)
	return widget.NewCard(u.T("forward.kind."+string(r.Kind)), "", container.NewVBox(objs...))
}

// extras are the rule-specific notes: DND on the busy rule, and the fact
// that a running Ligne cannot execute not-reachable.
func (e *ruleEditor) extras() []fyne.CanvasObject {
	switch e.rule.Kind {
	case selfcare.ForwardBusy:
		dnd := widget.NewCheck(e.u.T("status.dnd"), func(on bool) {
			if err := e.u.deps.Services.SetDND(e.u.ctx, on); err != nil {
				e.u.showError(e.errL, err)
			}
		})
		dnd.SetChecked(e.dnd)
		return []fyne.CanvasObject{dnd}
	case selfcare.ForwardNotReachable:
		n := wrapped(e.u.T("forward.notreachable.note"))
		n.Importance = widget.WarningImportance
		return []fyne.CanvasObject{n}
	}
	return nil
}

// fill shows the saved rule without saving anything.
func (e *ruleEditor) fill() {
	e.applying = true
	defer func() { e.applying = false }()
	r := e.rule
	e.active.SetChecked(r.Active)
	e.target.SetSelected(e.target.Options[0])
	if r.Target == selfcare.TargetNumber {
		e.target.SetSelected(e.target.Options[1])
	}
	e.number.SetText(numberLabel(r.Number))
	if r.Target == selfcare.TargetVoicemail && r.Kind != selfcare.ForwardSimultaneous {
		e.number.Disable()
	} else {
		e.number.Enable()
	}
	e.delay.SetSelected(e.delayLabel(r.Delay))
	if e.schedule != nil {
		e.schedule.fill()
	}
}

// change applies edit to a copy of the saved rule and saves it.
func (e *ruleEditor) change(edit func(*selfcare.ForwardRule)) {
	if e.applying {
		return
	}
	next := e.rule
	edit(&next)
	e.save(next)
}

// save stores next; on success it becomes the card's rule, on error the
// card shows the error and returns to the saved rule.
func (e *ruleEditor) save(next selfcare.ForwardRule) {
	rules, err := e.u.deps.Services.SetForwardRule(context.WithoutCancel(e.u.ctx), next)
	if err != nil {
		e.u.showError(e.errL, err)
		e.status.SetText("")
		e.fill()
		return
	}
	e.u.showError(e.errL, nil)
	if saved, ok := selfcare.FindRule(rules, next.Kind); ok {
		e.rule = saved
	}
	e.status.SetText(e.u.T("common.saved"))
	e.fill()
}

func (e *ruleEditor) saveNumber() {
	e.change(func(r *selfcare.ForwardRule) { r.Target, r.Number = selfcare.TargetNumber, e.number.Text })
}

func (e *ruleEditor) saveDelay() {
	for _, d := range selfcare.NoAnswerDelays() {
		if e.delayLabel(d) == e.delay.Selected {
			e.change(func(r *selfcare.ForwardRule) { r.Delay = d })
		}
	}
}

// delayOptions are the guide's delays, 10 s to 1 min 30 s in 5 s steps.
func (e *ruleEditor) delayOptions() []string {
	var out []string
	for _, d := range selfcare.NoAnswerDelays() {
		out = append(out, e.delayLabel(d))
	}
	return out
}

func (e *ruleEditor) delayLabel(d time.Duration) string {
	if d >= time.Minute {
		return fmt.Sprintf("%d min %02d s", int(d.Minutes()), int(d.Seconds())%60)
	}
	return fmt.Sprintf("%d s", int(d.Seconds()))
}
