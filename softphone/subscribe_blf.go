package softphone

import (
	"context"
	"encoding/xml"
	"fmt"
	"strings"
	"sync"
	"time"
)

// ColleagueState is a supervised colleague's line state (BLF).
type ColleagueState string

// Colleague states.
const (
	ColleagueUnknown ColleagueState = "unknown" // no answer to our subscription, or offline
	ColleagueIdle    ColleagueState = "idle"
	ColleagueRinging ColleagueState = "ringing"
	ColleagueInCall  ColleagueState = "in_call"
)

// BLFEvent reports a colleague's state (RFC 4235 dialog events).
type BLFEvent struct {
	Time      time.Time      `json:"time"`
	Colleague string         `json:"colleague"`
	State     ColleagueState `json:"state"`
	// Caller is who calls a ringing colleague, or talks with a busy one.
	Caller Party  `json:"caller,omitempty"`
	Reason string `json:"reason,omitempty"`
	// Dialog identifies the colleague's ringing dialog, for pickup.
	Dialog DialogRef `json:"dialog,omitempty"`
}

// Name implements Event.
func (BLFEvent) Name() string { return "blf" }

// DialogRef identifies a colleague's dialog as its UA sees it.
type DialogRef struct {
	CallID    string `json:"call_id,omitempty"`
	LocalTag  string `json:"local_tag,omitempty"`
	RemoteTag string `json:"remote_tag,omitempty"`
	// RemoteTarget is the other party's contact (the caller, for pickup).
	RemoteTarget string `json:"remote_target,omitempty"`
}

type dialogInfo struct {
	XMLName xml.Name     `xml:"dialog-info"`
	Entity  string       `xml:"entity,attr"`
	Dialogs []dialogElem `xml:"dialog"`
}

type dialogElem struct {
	ID        string        `xml:"id,attr"`
	CallID    string        `xml:"call-id,attr"`
	LocalTag  string        `xml:"local-tag,attr"`
	RemoteTag string        `xml:"remote-tag,attr"`
	Direction string        `xml:"direction,attr"`
	State     string        `xml:"state"`
	Remote    dialogPartner `xml:"remote"`
}

type dialogPartner struct {
	Identity struct {
		Display string `xml:"display,attr"`
		URI     string `xml:",chardata"`
	} `xml:"identity"`
	Target struct {
		URI string `xml:"uri,attr"`
	} `xml:"target"`
}

// parseDialogInfo turns a dialog-info body into a colleague state: any
// confirmed dialog is a call, else an early one is ringing, else idle.
func parseDialogInfo(body []byte) (BLFEvent, error) {
	var di dialogInfo
	if err := xml.Unmarshal(body, &di); err != nil {
		return BLFEvent{}, fmt.Errorf("%w: dialog-info: %v", ErrMalformed, err)
	}
	ev := BLFEvent{State: ColleagueIdle}
	for _, d := range di.Dialogs {
		switch strings.ToLower(strings.TrimSpace(d.State)) {
		case "confirmed":
			ev.State, ev.Caller, ev.Dialog = ColleagueInCall, partnerParty(d), dialogRef(d)
			return ev, nil
		case "early", "proceeding", "trying":
			if d.Direction != "initiator" && ev.State == ColleagueIdle {
				ev.State, ev.Caller, ev.Dialog = ColleagueRinging, partnerParty(d), dialogRef(d)
			}
		}
	}
	return ev, nil
}

func partnerParty(d dialogElem) Party {
	uri := strings.TrimSpace(d.Remote.Identity.URI)
	user := strings.TrimPrefix(strings.TrimPrefix(uri, "sips:"), "sip:")
	user, _, _ = strings.Cut(user, "@")
	return Party{DisplayName: d.Remote.Identity.Display, User: user, URI: uri}
}

func dialogRef(d dialogElem) DialogRef {
	return DialogRef{CallID: d.CallID, LocalTag: d.LocalTag, RemoteTag: d.RemoteTag, RemoteTarget: d.Remote.Target.URI}
}

// colleagues keeps the last state of each supervised colleague.
type colleagues struct {
	mu    sync.Mutex
	state map[string]BLFEvent
	subs  map[string]*subscription
}

// Supervise subscribes to a colleague's dialog state (a BLF key); states
// arrive as BLFEvent. colleague is a user, number or SIP URI.
func (p *Phone) Supervise(colleague string) error {
	if err := p.ready(); err != nil {
		return err
	}
	uri, err := p.targetURI(colleague)
	if err != nil {
		return fmt.Errorf("supervise %q: %w", colleague, err)
	}
	p.blf.mu.Lock()
	defer p.blf.mu.Unlock()
	if _, ok := p.blf.subs[colleague]; ok {
		return nil
	}
	p.blf.subs[colleague] = p.startSubscription("dialog", "application/dialog-info+xml", uri,
		func(body []byte) { p.onDialogInfo(colleague, body) },
		func(reason string) {
			p.setColleague(BLFEvent{Colleague: colleague, State: ColleagueUnknown, Reason: reason})
		})
	return nil
}

// Unsupervise ends the subscription to a colleague.
func (p *Phone) Unsupervise(ctx context.Context, colleague string) {
	p.blf.mu.Lock()
	sub := p.blf.subs[colleague]
	delete(p.blf.subs, colleague)
	delete(p.blf.state, colleague)
	p.blf.mu.Unlock()
	if sub != nil {
		sub.stop(ctx)
	}
}

// Colleague returns the last known state of a supervised colleague.
func (p *Phone) Colleague(colleague string) BLFEvent {
	p.blf.mu.Lock()
	defer p.blf.mu.Unlock()
	if ev, ok := p.blf.state[colleague]; ok {
		return ev
	}
	return BLFEvent{Colleague: colleague, State: ColleagueUnknown}
}

// Colleagues returns the last known state of every colleague supervised
// and heard of, for a view that starts after the first NOTIFYs.
func (p *Phone) Colleagues() []BLFEvent {
	p.blf.mu.Lock()
	defer p.blf.mu.Unlock()
	out := make([]BLFEvent, 0, len(p.blf.state))
	for _, ev := range p.blf.state {
		out = append(out, ev)
	}
	return out
}

func (p *Phone) onDialogInfo(colleague string, body []byte) {
	if len(strings.TrimSpace(string(body))) == 0 {
		// no publication for the colleague: no dialog, idle
		p.setColleague(BLFEvent{Colleague: colleague, State: ColleagueIdle})
		return
	}
	ev, err := parseDialogInfo(body)
	if err != nil {
		p.protocolError("dialog notify", err)
		return
	}
	ev.Colleague = colleague
	p.setColleague(ev)
}

func (p *Phone) setColleague(ev BLFEvent) {
	ev.Time = p.now()
	p.blf.mu.Lock()
	p.blf.state[ev.Colleague] = ev
	p.blf.mu.Unlock()
	p.emit(ev)
}
