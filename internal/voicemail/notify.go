package voicemail

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/ligne-app/ligne/selfcare"
)

// Events a notification reports.
const (
	EventDeposited   = "deposited"    // a message was left
	EventNoMessage   = "no_message"   // a caller reached the voicemail and left none
	EventMailboxFull = "mailbox_full" // a caller found the mailbox full
)

// Outbox kinds.
const (
	KindEmail = "email"
	KindSMS   = "sms"
)

// Notice is what one notification says.
type Notice struct {
	Event         string            `json:"event"`
	Line          selfcare.LineKind `json:"line"`
	Caller        string            `json:"caller"`
	CallerName    string            `json:"caller_name,omitempty"`
	At            time.Time         `json:"at"`
	Duration      time.Duration     `json:"duration_ns,omitempty"`
	MessageID     int64             `json:"message_id,omitempty"`
	Path          string            `json:"path,omitempty"` // WAV relative to the data folder
	Transcription string            `json:"transcription,omitempty"`
}

// outgoing is one queued email or SMS.
type outgoing struct {
	To     []string `json:"to"`
	Notice Notice   `json:"notice"`
	Attach bool     `json:"attach,omitempty"` // the WAV goes along (email)
	Text   bool     `json:"text,omitempty"`   // the transcription goes along
	Copy   bool     `json:"copy,omitempty"`   // the "email copy" of a message
}

func noticeFor(event string, who caller, at time.Time) Notice {
	return Notice{Event: event, Caller: who.number, CallerName: who.name, At: at}
}

func depositNotice(m selfcare.VoicemailMessage) Notice {
	return Notice{Event: EventDeposited, Line: m.Line, Caller: m.Caller, CallerName: m.CallerName, At: m.At,
		Duration: m.Duration, MessageID: m.ID, Path: m.Path, Transcription: m.Transcription}
}

// wants reports whether a set of notifications asks for event.
func wants(n selfcare.Notifications, event string) bool {
	switch event {
	case EventDeposited:
		return n.MessageDeposited
	case EventNoMessage:
		return n.CallWithoutMessage
	case EventMailboxFull:
		return n.MailboxFull
	}
	return false
}

// notify queues what the line's settings ask for this notice, and wakes
// the outbox.
func (m *Machine) notify(ctx context.Context, s selfcare.VoicemailSettings, n Notice) {
	ctx = context.WithoutCancel(ctx)
	n.Line = s.Line
	for _, o := range m.plan(ctx, s, n) {
		m.queue(ctx, o.kind, o.out)
	}
	m.Kick()
}

type planned struct {
	kind string
	out  outgoing
}

// plan lists the emails and SMS a notice gives.
func (m *Machine) plan(ctx context.Context, s selfcare.VoicemailSettings, n Notice) []planned {
	var out []planned
	deposit := n.Event == EventDeposited
	if wants(s.EmailNotify, n.Event) {
		if to := m.notifyAddress(ctx); to != "" {
			out = append(out, planned{KindEmail, outgoing{To: []string{to}, Notice: n, Attach: deposit, Text: s.EmailNotify.Transcription}})
		}
	}
	if deposit && s.EmailCopy && s.EmailCopyAddress != "" {
		out = append(out, planned{KindEmail, outgoing{To: []string{s.EmailCopyAddress}, Notice: n, Attach: true,
			Text: s.EmailNotify.Transcription, Copy: true}})
	}
	if wants(s.SMSNotify, n.Event) && s.SMSNumber != "" {
		out = append(out, planned{KindSMS, outgoing{To: []string{s.SMSNumber}, Notice: n, Text: s.SMSNotify.Transcription}})
	}
	return out
}

// notifyAddress is the line's address: the system setting, else the
// profile user's.
func (m *Machine) notifyAddress(ctx context.Context) string {
	if sys, err := m.System(ctx); err == nil && sys.NotifyEmail != "" {
		return sys.NotifyEmail
	}
	if p, err := m.st.Profile(ctx); err == nil {
		return p.User.Email
	}
	return ""
}

func (m *Machine) queue(ctx context.Context, kind string, o outgoing) {
	b, err := json.Marshal(o)
	if err != nil {
		m.log.Error("queue notification", "err", err)
		return
	}
	if _, err := m.st.QueueNotification(ctx, kind, string(b), m.now()); err != nil {
		m.log.Error("queue notification", "err", err)
	}
}

// Kick wakes the outbox to send what is due now.
func (m *Machine) Kick() {
	select {
	case m.kick <- struct{}{}:
	default:
	}
}

// runOutbox sends due notifications whenever kicked, and every 15 s.
func (m *Machine) runOutbox(ctx context.Context) {
	t := time.NewTicker(15 * time.Second)
	defer t.Stop()
	for {
		m.Flush(ctx)
		select {
		case <-ctx.Done():
			return
		case <-m.kick:
		case <-t.C:
		}
	}
}

// Flush tries every due notification once; a failure is kept with the
// time of its next attempt (exponential backoff up to RetryMax).
func (m *Machine) Flush(ctx context.Context) (sent, failed int) {
	err := m.st.DueNotifications(ctx, m.now(), func(id int64, kind, body string, attempts int) error {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err := m.send(ctx, id, kind, body); err != nil {
			failed++
			m.retryLater(ctx, id, kind, attempts, err)
			return nil
		}
		sent++
		if err := m.st.NotificationSent(ctx, id); err != nil {
			m.log.Error("outbox", "err", err)
		}
		return nil
	})
	if err != nil && ctx.Err() == nil {
		m.log.Warn("read outbox", "err", err)
	}
	return sent, failed
}

func (m *Machine) retryLater(ctx context.Context, id int64, kind string, attempts int, err error) {
	wait := min(m.cfg.RetryBase<<min(attempts, 16), m.cfg.RetryMax)
	m.log.Warn("notification not sent, will retry", "kind", kind, "attempt", attempts+1, "in", wait, "err", err)
	if ferr := m.st.NotificationFailed(ctx, id, m.now().Add(wait), err.Error()); ferr != nil {
		m.log.Error("outbox", "err", ferr)
	}
}

// send delivers one outbox item.
func (m *Machine) send(ctx context.Context, id int64, kind, body string) error {
	var o outgoing
	if err := json.Unmarshal([]byte(body), &o); err != nil {
		return fmt.Errorf("outbox item %d: %w", id, err)
	}
	sys, err := m.System(ctx)
	if err != nil {
		return err
	}
	switch kind {
	case KindEmail:
		return m.sendEmail(ctx, sys, o)
	case KindSMS:
		return m.sendSMS(ctx, sys, o)
	}
	return fmt.Errorf("outbox item %d: unknown kind %q", id, kind)
}
