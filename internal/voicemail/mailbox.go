package voicemail

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/ligne-app/ligne/selfcare"
)

// Count is the message-waiting state of a line: unread and read messages,
// the bin excluded.
type Count struct {
	New, Old int
}

// Total is the number of messages the mailbox holds.
func (c Count) Total() int { return c.New + c.Old }

// Store is what the voicemail reads and writes (*store.DB). Its methods
// take and return selfcare or plain types only, so that the window can
// use the voicemail without depending on the store package.
type Store interface {
	SettingsStore
	selfcare.VoicemailService
	Profile(ctx context.Context) (selfcare.Profile, error)
	Lines(ctx context.Context) ([]selfcare.Line, error)
	LookupNumber(ctx context.Context, number string) (selfcare.Contact, bool, error)
	Message(ctx context.Context, id int64) (selfcare.VoicemailMessage, error)
	BeginMessage(ctx context.Context, m selfcare.VoicemailMessage) (selfcare.VoicemailMessage, error)
	FinishMessage(ctx context.Context, id int64, d time.Duration, state selfcare.TranscriptionState) error
	DropMessage(ctx context.Context, id int64) error
	PartialMessages(ctx context.Context) ([]selfcare.VoicemailMessage, error)
	PendingTranscriptions(ctx context.Context) ([]selfcare.VoicemailMessage, error)
	MailboxCount(ctx context.Context, line selfcare.LineKind) (newCount, oldCount int, err error)
	PurgeMessages(ctx context.Context, cutoff time.Time) ([]string, error)
	QueueNotification(ctx context.Context, kind, body string, next time.Time) (int64, error)
	DueNotifications(ctx context.Context, due time.Time, fn func(id int64, kind, body string, attempts int) error) error
	NotificationSent(ctx context.Context, id int64) error
	NotificationFailed(ctx context.Context, id int64, next time.Time, reason string) error
}

// Sub-folders of the data folder.
const (
	MessagesDir  = "voicemail"
	GreetingsDir = "greetings"
)

// Mailbox is the voicemail as the window and lignectl see it: messages,
// greetings and settings, without a phone. Counts changes are reported to
// the functions given to OnCount (the message-waiting indicators).
type Mailbox struct {
	st      Store
	dir     string
	secrets selfcare.Secrets
	now     func() time.Time
	log     *slog.Logger

	mu       sync.Mutex
	watchers []func(selfcare.LineKind, Count)
}

// MailboxConfig sets up a Mailbox.
type MailboxConfig struct {
	Store   Store
	Dir     string // the data folder (store.DB.Dir())
	Secrets selfcare.Secrets
	Now     func() time.Time
	Logger  *slog.Logger
}

// NewMailbox returns the mailbox of the data folder cfg.Dir.
func NewMailbox(cfg MailboxConfig) *Mailbox {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &Mailbox{st: cfg.Store, dir: cfg.Dir, secrets: cfg.Secrets, now: cfg.Now, log: cfg.Logger}
}

// Store returns the store the mailbox works on.
func (b *Mailbox) Store() Store { return b.st }

// Path returns the absolute path of a file relative to the data folder.
func (b *Mailbox) Path(rel string) string { return filepath.Join(b.dir, filepath.FromSlash(rel)) }

// OnCount registers f to hear every change of a line's message count.
func (b *Mailbox) OnCount(f func(selfcare.LineKind, Count)) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.watchers = append(b.watchers, f)
}

// Count returns the message-waiting state of line: the one state the
// window's badge, lignectl and the desk phones' count show.
func (b *Mailbox) Count(ctx context.Context, line selfcare.LineKind) (Count, error) {
	var c Count
	var err error
	c.New, c.Old, err = b.st.MailboxCount(ctx, line)
	if err != nil {
		return c, fmt.Errorf("count messages: %w", err)
	}
	return c, nil
}

// changed tells the watchers the new count of line.
func (b *Mailbox) changed(ctx context.Context, line selfcare.LineKind) {
	c, err := b.Count(ctx, line)
	if err != nil {
		b.log.Warn("voicemail count", "err", err)
		return
	}
	b.mu.Lock()
	ws := append([]func(selfcare.LineKind, Count){}, b.watchers...)
	b.mu.Unlock()
	for _, f := range ws {
		f(line, c)
	}
}

// lineOf returns the line of a message.
func (b *Mailbox) lineOf(ctx context.Context, id int64) (selfcare.LineKind, error) {
	m, err := b.st.Message(ctx, id)
	return m.Line, err
}

// MarkRead marks a message read or unread.
func (b *Mailbox) MarkRead(ctx context.Context, id int64, read bool) error {
	return b.update(ctx, id, func() error { return b.st.SetMessageRead(ctx, id, read) })
}

// Delete moves a message to the bin; Restore undoes it until the bin is
// purged.
func (b *Mailbox) Delete(ctx context.Context, id int64) error {
	return b.update(ctx, id, func() error { return b.st.DeleteMessage(ctx, id) })
}

// Restore takes a message back out of the bin.
func (b *Mailbox) Restore(ctx context.Context, id int64) error {
	return b.update(ctx, id, func() error { return b.st.RestoreMessage(ctx, id) })
}

func (b *Mailbox) update(ctx context.Context, id int64, f func() error) error {
	line, err := b.lineOf(ctx, id)
	if err != nil {
		return err
	}
	if err := f(); err != nil {
		return err
	}
	b.changed(ctx, line)
	return nil
}

// Purge removes for good the messages in the bin for longer than keep,
// with their audio files.
func (b *Mailbox) Purge(ctx context.Context, keep time.Duration) (int, error) {
	paths, err := b.st.PurgeMessages(ctx, b.now().Add(-keep))
	if err != nil {
		return 0, fmt.Errorf("purge voicemail: %w", err)
	}
	for _, p := range paths {
		if err := os.Remove(b.Path(p)); err != nil && !errors.Is(err, os.ErrNotExist) {
			b.log.Warn("remove purged message", "path", p, "err", err)
		}
	}
	return len(paths), nil
}

// Messages returns the messages of line, newest first.
func (b *Mailbox) Messages(ctx context.Context, line selfcare.LineKind) ([]selfcare.VoicemailMessage, error) {
	return b.st.Messages(ctx, line)
}

// Message returns one message.
func (b *Mailbox) Message(ctx context.Context, id int64) (selfcare.VoicemailMessage, error) {
	return b.st.Message(ctx, id)
}

// CallerName returns the contact name of a number, or "".
func (b *Mailbox) CallerName(ctx context.Context, number string) string {
	if c, ok, err := b.st.LookupNumber(ctx, number); err == nil && ok {
		return c.Name
	}
	return ""
}

// System returns the voicemail's system settings.
func (b *Mailbox) System(ctx context.Context) (System, error) { return LoadSystem(ctx, b.st) }

// SaveSystem validates and saves the system settings, and the SMTP
// password and gateway token in the keyring when not empty; nothing is
// saved on error.
func (b *Mailbox) SaveSystem(ctx context.Context, s System, smtpPassword, smsToken string) (System, error) {
	v, err := s.Validate()
	if err != nil {
		return v, err
	}
	if err := b.saveSecret(SecretSMTP, smtpPassword); err != nil {
		return v, err
	}
	if err := b.saveSecret(SecretSMS, smsToken); err != nil {
		return v, err
	}
	return SaveSystem(ctx, b.st, v)
}

func (b *Mailbox) saveSecret(key, value string) error {
	if value == "" {
		return nil
	}
	if b.secrets == nil {
		return selfcare.Errorf(selfcare.CodeSecretStore, "", "no keyring")
	}
	if err := b.secrets.Set(key, value); err != nil {
		return selfcare.Errorf(selfcare.CodeSecretStore, "", err.Error())
	}
	return nil
}

// secret reads a keyring entry; a missing entry is "".
func (b *Mailbox) secret(key string) string {
	if b.secrets == nil {
		return ""
	}
	v, err := b.secrets.Get(key)
	if err != nil {
		return ""
	}
	return v
}
