package engine

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/ligne-app/ligne/selfcare"
	"github.com/ligne-app/ligne/softphone"
)

// CallLog is where the recorder writes, and how it names callers.
type CallLog interface {
	AddCall(ctx context.Context, r selfcare.CallRecord) (selfcare.CallRecord, error)
	LookupNumber(ctx context.Context, number string) (selfcare.Contact, bool, error)
}

// Recorder turns the engine's call events into call log records: one per
// call, written when the call ends (or when a rule redirected it).
type Recorder struct {
	Log    CallLog
	Line   selfcare.LineKind
	Logger *slog.Logger
	mu     sync.Mutex // the voicemail marks calls from its own goroutine
	calls  map[string]*callTrack
	done   map[string]bool // calls already written (a redirect ends a ringing call too)
}

// callTrack is what the recorder knows of a call in progress.
type callTrack struct {
	incoming  bool
	remote    softphone.Party
	start     time.Time
	answered  time.Time
	voicemail bool
	// answeredOn is the number that answered a simultaneous ring, when
	// it answered first.
	answeredOn string
}

// Run records the events of ch until it is closed or ctx ends.
func (r *Recorder) Run(ctx context.Context, ch <-chan softphone.Event) {
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-ch:
			if !ok {
				return
			}
			r.Handle(ctx, ev)
		}
	}
}

// MarkVoicemail notes that the call with id was answered by the local
// voicemail rather than by the user (the voicemail calls it).
func (r *Recorder) MarkVoicemail(id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.track(id, time.Time{}).voicemail = true
}

// Handle updates the call's track with one event, writing the record on
// the call's last event.
func (r *Recorder) Handle(ctx context.Context, ev softphone.Event) {
	if rec, ok := r.update(ev); ok {
		r.write(ctx, rec)
	}
}

// update applies ev to the tracks and returns the record to write when
// the call is over.
func (r *Recorder) update(ev softphone.Event) (selfcare.CallRecord, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch e := ev.(type) {
	case softphone.CallIncomingEvent:
		t := r.track(e.CallID, e.Time)
		t.incoming, t.remote = true, e.From
	case softphone.CallProgressEvent:
		r.track(e.CallID, e.Time)
	case softphone.CallAnsweredEvent:
		t := r.track(e.CallID, e.Time)
		t.answered = e.Time
		if e.Remote.URI != "" {
			t.remote = e.Remote
		}
	case softphone.CallForwardedEvent:
		if e.Code == 200 { // the simultaneous ring's other number answered: the call goes on there
			r.track(e.CallID, e.Time).answeredOn = partyNumber(softphone.Party{URI: e.Target, User: userOf(e.Target)})
			return selfcare.CallRecord{}, false
		}
		r.markDone(e.CallID)
		return r.forwarded(e), true
	case softphone.CallEndedEvent:
		if r.done[e.CallID] || r.decidedByRule(e) || (e.Call != nil && e.Call.SimultaneousLeg()) {
			delete(r.done, e.CallID)
			delete(r.calls, e.CallID)
			return selfcare.CallRecord{}, false
		}
		return r.ended(e), true
	}
	return selfcare.CallRecord{}, false
}

// decidedByRule reports an incoming call that ended without ever ringing:
// a rule refused or redirected it, and its CallForwardedEvent carries the
// record.
func (r *Recorder) decidedByRule(e softphone.CallEndedEvent) bool {
	_, seen := r.calls[e.CallID]
	return !seen && e.Call != nil && e.Call.Direction() == softphone.Incoming &&
		(e.Reason == softphone.EndRejected || e.Reason == softphone.EndForwarded || e.Reason == softphone.EndBusy)
}

// markDone remembers that the call's record is written.
func (r *Recorder) markDone(id string) {
	if r.done == nil {
		r.done = map[string]bool{}
	}
	r.done[id] = true
}

// track returns the call's track, creating it at start.
func (r *Recorder) track(id string, start time.Time) *callTrack {
	if r.calls == nil {
		r.calls = map[string]*callTrack{}
	}
	t, ok := r.calls[id]
	if !ok {
		t = &callTrack{start: start}
		r.calls[id] = t
	}
	return t
}

// ended builds the record of a call that ended.
func (r *Recorder) ended(e softphone.CallEndedEvent) selfcare.CallRecord {
	t := r.track(e.CallID, e.Time.Add(-e.Duration))
	delete(r.calls, e.CallID)
	if e.Call != nil {
		t.incoming = e.Call.Direction() == softphone.Incoming
		if p := e.Call.Remote(); p.URI != "" {
			t.remote = p
		}
	}
	rec := r.base(t.incoming, t.remote, t.start)
	rec.Answer, rec.End = t.answered, e.Time
	rec.Outcome, rec.Reason = outcome(t, e)
	if rec.Outcome == selfcare.OutcomeAnswered {
		rec.ForwardedTo = t.answeredOn
	}
	return rec
}

// forwarded builds the record of a call a rule redirected or refused.
func (r *Recorder) forwarded(e softphone.CallForwardedEvent) selfcare.CallRecord {
	start := e.Time
	if t, ok := r.calls[e.CallID]; ok && !t.start.IsZero() {
		start = t.start
	}
	rec := r.base(true, e.From, start)
	rec.End = e.Time
	if e.Code >= 300 && e.Code < 400 {
		rec.Outcome, rec.ForwardedTo = selfcare.OutcomeForwarded, partyNumber(softphone.Party{URI: e.Target, User: userOf(e.Target)})
		return rec
	}
	rec.Outcome, rec.Reason = selfcare.OutcomeRejected, "dnd"
	return rec
}

// base fills what every record has.
func (r *Recorder) base(incoming bool, p softphone.Party, start time.Time) selfcare.CallRecord {
	rec := selfcare.CallRecord{Line: r.Line, Direction: selfcare.DirectionOut, Remote: partyNumber(p),
		RemoteName: p.DisplayName, Start: start, Source: selfcare.SourceLigne}
	if incoming {
		rec.Direction = selfcare.DirectionIn
	}
	if rec.Line == "" {
		rec.Line = selfcare.LineFixed
	}
	return rec
}

// outcome decides how the call ended, for the call log.
func outcome(t *callTrack, e softphone.CallEndedEvent) (selfcare.Outcome, string) {
	switch {
	case t.voicemail:
		return selfcare.OutcomeVoicemail, ""
	case !t.answered.IsZero():
		return selfcare.OutcomeAnswered, ""
	case e.Reason == softphone.EndForwarded:
		return selfcare.OutcomeForwarded, ""
	case !t.incoming:
		return selfcare.OutcomeFailed, string(e.Reason)
	case e.Reason == softphone.EndRejected || e.Reason == softphone.EndDeclined || e.Reason == softphone.EndBusy:
		return selfcare.OutcomeRejected, ""
	}
	return selfcare.OutcomeMissed, ""
}

// write stores rec with the caller's name from the contacts.
func (r *Recorder) write(ctx context.Context, rec selfcare.CallRecord) {
	if c, ok, err := r.Log.LookupNumber(ctx, rec.Remote); err == nil && ok {
		rec.RemoteName = c.Name
	}
	if _, err := r.Log.AddCall(ctx, rec); err != nil && r.Logger != nil {
		r.Logger.Error("record call", "err", err)
	}
}

// partyNumber is the canonical number of a party, or its URI.
func partyNumber(p softphone.Party) string {
	if n, _, err := selfcare.NormalizeNumber("", p.User); err == nil {
		return n
	}
	if p.URI != "" {
		return p.URI
	}
	return p.User
}

// userOf returns the user part of a SIP URI.
func userOf(uri string) string {
	s := strings.TrimPrefix(strings.TrimPrefix(uri, "sips:"), "sip:")
	user, _, _ := strings.Cut(s, "@")
	return user
}
