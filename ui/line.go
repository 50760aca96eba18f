package ui

import (
	"context"
	"slices"
	"time"

	"github.com/ligne-app/ligne/internal/engine"
	"github.com/ligne-app/ligne/selfcare"
	"github.com/ligne-app/ligne/softphone"
)

// line is the window's view of the running engine: registration, calls,
// supervised colleagues and mailbox. It is updated from the engine's events
// on the UI goroutine, and tells the views that watch it.
type line struct {
	u     *App
	eng   *engine.Engine
	reg   softphone.RegistrationEvent
	calls []*softphone.Call // in arrival order; ended calls are removed
	blf   map[string]softphone.BLFEvent
	mwi   softphone.MWIEvent
	// unread is Ligne's own voicemail's new messages per line; when it
	// reports, it wins over the server's MWI.
	unread map[selfcare.LineKind]int
	muted  bool
	// sectionWatchers are the watchers of the section on screen; opening
	// another section drops them.
	sectionWatchers []func()
	volume          float64                    // loudspeaker volume of calls, 1 = unchanged
	answered        map[string]time.Time       // call id -> when it was answered
	consult         map[string]*softphone.Call // consultation call id -> the call to transfer
	watchers        []func()
}

// newLine follows eng until the window closes; eng nil is the demo.
func (u *App) newLine(eng *engine.Engine) *line {
	l := &line{u: u, eng: eng, blf: map[string]softphone.BLFEvent{}, answered: map[string]time.Time{}, unread: map[selfcare.LineKind]int{},
		consult: map[string]*softphone.Call{}, volume: 1}
	if eng == nil {
		return l
	}
	events := eng.Phone.Subscribe(u.ctx) // before reading the state, so no change is missed
	l.reg, l.mwi = eng.Phone.Registration(), eng.Phone.MWI()
	for _, ev := range eng.Phone.Colleagues() { // NOTIFYs that came before the window
		l.blf[ev.Colleague] = ev
	}
	for _, c := range eng.Phone.Calls() {
		if c.State() != softphone.StateEnded {
			l.add(c)
		}
	}
	go l.follow(events)
	return l
}

// follow hands the engine's events to the UI goroutine, with the names of
// the parties they mention looked up here (the contacts are read off the
// UI goroutine).
func (l *line) follow(events <-chan softphone.Event) {
	known := map[string]bool{}
	for ev := range events {
		names := l.lookupParties(ev, known)
		l.u.dispatch(func() {
			for number, name := range names {
				l.u.names[number] = name
			}
			l.apply(ev)
		})
	}
}

// lookupParties finds the contact names of the parties of ev not found yet.
func (l *line) lookupParties(ev softphone.Event, known map[string]bool) map[string]string {
	out := map[string]string{}
	for _, p := range partiesOf(ev) {
		number := callerNumber(p)
		if number == "" || known[number] {
			continue
		}
		if c, ok, err := l.u.deps.Services.LookupNumber(l.u.ctx, number); err == nil && ok {
			out[number], known[number] = c.Name, true // misses are looked up again: the contact may come later
		}
	}
	return out
}

// partiesOf lists the parties an event mentions.
func partiesOf(ev softphone.Event) []softphone.Party {
	switch e := ev.(type) {
	case softphone.CallIncomingEvent:
		return []softphone.Party{e.From}
	case softphone.CallAnsweredEvent:
		return []softphone.Party{e.Remote}
	case softphone.CallProgressEvent:
		if e.Call != nil {
			return []softphone.Party{e.Call.Remote()}
		}
	case softphone.BLFEvent:
		return []softphone.Party{e.Caller}
	}
	return nil
}

// watch calls fn on the UI goroutine after every change.
func (l *line) watch(fn func()) { l.watchers = append(l.watchers, fn) }

// watchSection is watch for a section's views: the watcher lasts until
// another section opens.
func (l *line) watchSection(fn func()) { l.sectionWatchers = append(l.sectionWatchers, fn) }

func (l *line) changed() {
	for _, fn := range l.watchers {
		fn()
	}
	for _, fn := range l.sectionWatchers {
		fn()
	}
}

// apply updates the view with one engine event.
func (l *line) apply(ev softphone.Event) {
	switch e := ev.(type) {
	case softphone.RegistrationEvent:
		l.reg = e
	case softphone.CallIncomingEvent:
		l.add(e.Call)
		l.u.notifyIncoming(e)
	case softphone.CallAnsweredEvent:
		l.add(e.Call)
		l.answered[e.CallID] = e.Time
	case softphone.CallProgressEvent, softphone.CallHoldEvent:
		l.add(callOf(e))
	case softphone.CallEndedEvent:
		l.remove(e.CallID)
		l.u.notifyEnded(e)
	case softphone.BLFEvent:
		l.blf[e.Colleague] = e
	case softphone.MWIEvent:
		if len(l.unread) == 0 && e.New > l.mwi.New {
			l.u.notifyVoicemail(e.New)
		}
		l.mwi = e
	}
	l.changed()
}

// callOf returns the call handle an event carries.
func callOf(ev softphone.Event) *softphone.Call {
	switch e := ev.(type) {
	case softphone.CallProgressEvent:
		return e.Call
	case softphone.CallHoldEvent:
		return e.Call
	}
	return nil
}

func (l *line) add(c *softphone.Call) {
	if c != nil && !slices.Contains(l.calls, c) {
		l.calls = append(l.calls, c)
	}
}

func (l *line) remove(id string) {
	l.calls = slices.DeleteFunc(l.calls, func(c *softphone.Call) bool { return c.ID() == id })
	delete(l.answered, id)
	delete(l.consult, id)
}

// ringing returns the incoming calls waiting for an answer.
func (l *line) ringing() []*softphone.Call {
	var out []*softphone.Call
	for _, c := range l.calls {
		if c.Direction() == softphone.Incoming && c.State() == softphone.StateRinging {
			out = append(out, c)
		}
	}
	return out
}

// current is the call that has the microphone and loudspeaker: the one the
// audio router chose, else the last active one.
func (l *line) current() *softphone.Call {
	if l.eng != nil && l.eng.Audio != nil {
		if c := l.eng.Audio.Current(); c != nil && c.State() != softphone.StateEnded {
			return c
		}
	}
	for i := len(l.calls) - 1; i >= 0; i-- {
		if local, _ := l.calls[i].OnHold(); l.calls[i].State() == softphone.StateActive && !local {
			return l.calls[i]
		}
	}
	return nil
}

// dial places a call to a canonical number or URI with the presented number.
func (l *line) dial(number string) error {
	if l.eng == nil {
		return selfcare.Errorf(selfcare.CodeNoAccount, "")
	}
	if cur := l.current(); cur != nil {
		l.run(func(ctx context.Context) error { return cur.Hold(ctx) })
	}
	opts := softphone.DialOptions{}
	if pn, err := l.u.deps.Services.Presented(l.u.ctx, selfcare.LineFixed); err == nil {
		id := engine.Identity(pn)
		opts.Identity = &id
	}
	_, err := l.eng.Phone.Dial(l.u.ctx, dialTarget(number), opts)
	return err
}

// dialTarget turns a canonical number into what the engine dials: the
// number itself (the engine puts it in the account's domain) or the URI.
func dialTarget(n string) string { return n }

// answer takes a ringing call, holding the current one first.
func (l *line) answer(c *softphone.Call) {
	cur := l.current()
	l.run(func(ctx context.Context) error {
		if cur != nil && cur != c {
			if err := cur.Hold(ctx); err != nil {
				return err
			}
		}
		return c.Answer(ctx)
	})
}

// toVoicemail sends the ringing call c to the voicemail (Ligne's own, or
// the company's number).
func (l *line) toVoicemail(c *softphone.Call) {
	l.run(func(ctx context.Context) error { return l.eng.SendToVoicemail(ctx, c) })
}

// focus resumes c and holds the others (swap).
func (l *line) focus(c *softphone.Call) {
	others := slices.DeleteFunc(slices.Clone(l.calls), func(x *softphone.Call) bool { return x == c })
	l.run(func(ctx context.Context) error {
		for _, o := range others {
			if local, _ := o.OnHold(); !local && o.State() == softphone.StateActive {
				if err := o.Hold(ctx); err != nil {
					return err
				}
			}
		}
		if err := c.Resume(ctx); err != nil {
			return err
		}
		if l.eng.Audio != nil {
			l.eng.Audio.Focus(c)
		}
		return nil
	})
}

// setMute mutes or unmutes the microphone.
func (l *line) setMute(m bool) {
	l.muted = m
	if l.eng != nil && l.eng.Audio != nil {
		l.eng.Audio.SetMute(m)
	}
	l.changed()
}

// run performs a call command off the UI goroutine and shows its error.
func (l *line) run(cmd func(ctx context.Context) error) {
	go func() {
		if err := cmd(l.u.ctx); err != nil && l.u.ctx.Err() == nil {
			l.u.deps.Logger.Warn("call command", "err", err)
			l.u.dispatch(func() { l.u.showCallError(err) })
		}
	}()
}

// consultFor starts an attended transfer of c: c is held and target is
// called; the new call remembers which call it will transfer.
func (l *line) consultFor(c *softphone.Call, target string) {
	l.run(func(ctx context.Context) error {
		if err := c.Hold(ctx); err != nil {
			return err
		}
		consult, err := l.eng.Phone.Dial(ctx, target, softphone.DialOptions{})
		if err != nil {
			return err
		}
		l.u.dispatch(func() { l.consult[consult.ID()] = c; l.add(consult); l.changed() })
		return nil
	})
}

// completeTransfer connects the consulted party with the held call.
func (l *line) completeTransfer(consult *softphone.Call) {
	orig := l.consult[consult.ID()]
	if orig == nil {
		return
	}
	l.run(func(ctx context.Context) error { return orig.AttendedTransfer(ctx, consult) })
}

// cancelTransfer hangs up the consultation and takes the held call back.
func (l *line) cancelTransfer(consult *softphone.Call) {
	orig := l.consult[consult.ID()]
	l.run(func(ctx context.Context) error {
		if err := consult.Hangup(ctx); err != nil {
			return err
		}
		if orig != nil {
			return orig.Resume(ctx)
		}
		return nil
	})
}

// canMerge reports whether the two calls in progress can become a conference.
func (l *line) canMerge() bool {
	if l.eng == nil || l.eng.Audio == nil || len(l.calls) != 2 || l.inConference() {
		return false
	}
	for _, c := range l.calls {
		if c.State() != softphone.StateActive {
			return false
		}
	}
	return true
}

// inConference reports whether a local conference is running.
func (l *line) inConference() bool {
	if l.eng == nil || l.eng.Audio == nil {
		return false
	}
	_, _, ok := l.eng.Audio.Conference()
	return ok
}

// merge joins the two calls in a three-way conference mixed here.
func (l *line) merge() {
	a, b := l.calls[0], l.calls[1]
	l.run(func(ctx context.Context) error {
		for _, c := range []*softphone.Call{a, b} {
			if local, _ := c.OnHold(); local {
				if err := c.Resume(ctx); err != nil {
					return err
				}
			}
		}
		l.eng.Audio.Merge(l.u.ctx, a, b)
		l.u.dispatch(l.changed)
		return nil
	})
}

// CallCounts reports how many calls are active and how many ring here
// (for the screenshot mode of the root program).
func (u *App) CallCounts() (active, ringing int) {
	if u.line == nil {
		return 0, 0
	}
	for _, c := range u.line.calls {
		if c.State() == softphone.StateActive {
			active++
		}
	}
	return active, len(u.line.ringing())
}

// HangupAll ends every call (for the screenshot mode of the root program).
func (u *App) HangupAll() {
	if u.line == nil {
		return
	}
	for _, c := range u.line.calls {
		u.line.run(c.Hangup)
	}
}

// waiting is the number of new voicemail messages to show: Ligne's own
// voicemail's count when it reports one, else the server's (MWI).
func (l *line) waiting() int {
	if len(l.unread) > 0 {
		n := 0
		for _, c := range l.unread {
			n += c
		}
		return n
	}
	return l.mwi.New
}

// SetVoicemailCount is how Ligne's own voicemail reports a line's unread
// messages; the badge and the status bar show it.
func (u *App) SetVoicemailCount(line selfcare.LineKind, unread int) {
	if u.line == nil {
		u.line = u.newLine(u.deps.Engine)
	}
	before := u.line.waiting()
	u.line.unread[line] = unread
	if after := u.line.waiting(); after > before {
		u.notifyVoicemail(after)
	}
	u.line.changed()
}
