package softphone

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// MWIEvent reports the voicemail counts (RFC 3842 message-summary).
type MWIEvent struct {
	Time      time.Time `json:"time"`
	Waiting   bool      `json:"waiting"`
	Account   string    `json:"account,omitempty"`
	New       int       `json:"new"`
	Old       int       `json:"old"`
	UrgentNew int       `json:"urgent_new"`
	UrgentOld int       `json:"urgent_old"`
}

// Name implements Event.
func (MWIEvent) Name() string { return "mwi" }

// parseMessageSummary reads a simple-message-summary body.
func parseMessageSummary(body string) (MWIEvent, error) {
	var ev MWIEvent
	seen := false
	for _, line := range strings.Split(body, "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		switch strings.ToLower(strings.TrimSpace(k)) {
		case "messages-waiting":
			ev.Waiting, seen = strings.EqualFold(v, "yes"), true
		case "message-account":
			ev.Account = v
		case "voice-message":
			ev.New, ev.Old, ev.UrgentNew, ev.UrgentOld = parseCounts(v)
		}
	}
	if !seen {
		return ev, fmt.Errorf("%w: message-summary without Messages-Waiting", ErrMalformed)
	}
	return ev, nil
}

// parseCounts reads "2/8 (0/2)".
func parseCounts(v string) (n, o, un, uo int) {
	main, urgent, _ := strings.Cut(v, "(")
	n, o = pair(main)
	un, uo = pair(strings.TrimSuffix(strings.TrimSpace(urgent), ")"))
	return n, o, un, uo
}

func pair(s string) (int, int) {
	a, b, _ := strings.Cut(strings.TrimSpace(s), "/")
	return count(a), count(b)
}

// count reads one message count; anything but a non-negative number
// counts as none.
func count(s string) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// WatchMWI subscribes to our mailbox's message-summary; counts arrive as
// MWIEvent.
func (p *Phone) WatchMWI() error {
	if err := p.ready(); err != nil {
		return err
	}
	p.mwiOnce.Do(func() {
		p.startSubscription("message-summary", "application/simple-message-summary", p.localURI(),
			p.onMWI, func(reason string) { p.log.Info("MWI subscription failed", "reason", reason) })
	})
	return nil
}

func (p *Phone) onMWI(body []byte) {
	if len(strings.TrimSpace(string(body))) == 0 {
		return
	}
	ev, err := parseMessageSummary(string(body))
	if err != nil {
		p.protocolError("message-summary notify", err)
		return
	}
	ev.Time = p.now()
	p.lastMWI.Store(&ev)
	p.emit(ev)
}

// MWI returns the mailbox state last heard (zero before any NOTIFY), for a
// view that starts after it.
func (p *Phone) MWI() MWIEvent {
	if ev := p.lastMWI.Load(); ev != nil {
		return *ev
	}
	return MWIEvent{}
}

// protocolError reports a peer message we could not use.
func (p *Phone) protocolError(op string, err error) {
	p.log.Warn("protocol error", "operation", op, "error", err)
	p.emit(ProtocolErrorEvent{Time: p.now(), Operation: op, Error: err.Error()})
}
