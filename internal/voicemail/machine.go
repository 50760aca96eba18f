package voicemail

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/ligne-app/ligne/selfcare"
	"github.com/ligne-app/ligne/softphone"
)

// Config sets up a Machine.
type Config struct {
	Store   Store
	Dir     string // the data folder: voicemail/ and greetings/ live there
	Secrets selfcare.Secrets
	// Events subscribes to the phone's events (Phone.Subscribe): the voice
	// menu reads the caller's digits there.
	Events func(ctx context.Context) <-chan softphone.Event
	// MarkVoicemail tells the call log that the voicemail answered a call
	// (engine.Recorder.MarkVoicemail); nil when there is no call log.
	MarkVoicemail func(callID string)
	// OnDeposit hears of each message stored (lignectl run prints a
	// voicemail.deposited event); it must return quickly.
	OnDeposit func(selfcare.VoicemailMessage)
	// Transcriber replaces the command of the system settings (tests).
	Transcriber Transcriber
	// HTTP is the client of the SMS gateway (http.DefaultClient's
	// settings with a 20 s timeout when nil).
	HTTP *http.Client
	// SilenceTimeout ends a message after that much silence (10 s).
	SilenceTimeout time.Duration
	// DigitTimeout is how long the voice menu waits for a key (8 s).
	DigitTimeout time.Duration
	// RetryBase and RetryMax bound the outbox backoff (30 s, 1 h).
	RetryBase, RetryMax time.Duration
	// KeepDeleted is how long deleted messages stay in the bin (7 days).
	KeepDeleted time.Duration
	Now         func() time.Time
	Logger      *slog.Logger
	// steps, when set, hears each step of the voice menu (tests).
	steps func(step string)
}

func (c Config) withDefaults() Config {
	if c.SilenceTimeout == 0 {
		c.SilenceTimeout = 10 * time.Second
	}
	if c.DigitTimeout == 0 {
		c.DigitTimeout = 8 * time.Second
	}
	if c.RetryBase == 0 {
		c.RetryBase = 30 * time.Second
	}
	if c.RetryMax == 0 {
		c.RetryMax = time.Hour
	}
	if c.KeepDeleted == 0 {
		c.KeepDeleted = 7 * 24 * time.Hour
	}
	if c.HTTP == nil {
		c.HTTP = &http.Client{Timeout: 20 * time.Second}
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// Machine is the answering machine: it implements engine.Voicemail
// (Deposit, Menu) and runs the background work (transcriptions, the
// notification outbox, recovery of messages cut by a crash, the bin).
type Machine struct {
	*Mailbox
	cfg  Config
	log  *slog.Logger
	now  func() time.Time
	kick chan struct{} // wakes the outbox

	wg      sync.WaitGroup
	mu      sync.Mutex
	closing bool // Close has begun: no new work is tracked
	ctx     context.Context
	cancel  context.CancelFunc
}

// New returns a machine; call Start to run its background work and to
// recover the messages a crash cut short.
func New(cfg Config) *Machine {
	cfg = cfg.withDefaults()
	mb := NewMailbox(MailboxConfig{Store: cfg.Store, Dir: cfg.Dir, Secrets: cfg.Secrets, Now: cfg.Now, Logger: cfg.Logger})
	ctx, cancel := context.WithCancel(context.Background())
	return &Machine{Mailbox: mb, cfg: cfg, log: cfg.Logger.With("component", "voicemail"), now: cfg.Now,
		kick: make(chan struct{}, 1), ctx: ctx, cancel: cancel}
}

// Start recovers interrupted messages, resumes pending transcriptions and
// starts the outbox and the bin purge, until Close.
func (m *Machine) Start(ctx context.Context) error {
	if err := m.Recover(ctx); err != nil {
		return err
	}
	m.resumeTranscriptions(ctx)
	m.spawn(func() { m.runOutbox(m.ctx) })
	m.spawn(func() { m.runPurge(m.ctx) })
	m.spawn(func() { m.watchCounts(m.ctx, 5*time.Second) })
	return nil
}

// watchCounts reports every line's count when it changes, whoever changed
// it (a deposit here, the window or lignectl through their own Mailbox),
// and once at start: the message-waiting state for OnCount.
func (m *Machine) watchCounts(ctx context.Context, every time.Duration) {
	last := map[selfcare.LineKind]Count{}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		lines, _ := m.st.Lines(ctx)
		for _, l := range lines {
			c, err := m.Count(ctx, l.Kind)
			if prev, seen := last[l.Kind]; err == nil && (!seen || prev != c) {
				last[l.Kind] = c
				m.changed(ctx, l.Kind)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Close stops the background work and waits for it (recordings in
// progress are finished and kept).
func (m *Machine) Close() {
	m.mu.Lock()
	m.closing = true
	m.mu.Unlock()
	m.cancel()
	m.wg.Wait()
}

// track counts one piece of work Close waits for; false once closing.
func (m *Machine) track() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closing {
		return false
	}
	m.wg.Add(1)
	return true
}

// step reports a step of the voice menu to the test hook.
func (m *Machine) step(format string, args ...any) {
	if m.cfg.steps != nil {
		m.cfg.steps(fmt.Sprintf(format, args...))
	}
}

// spawn runs f in a goroutine Close waits for; false (f not run) once
// closing.
func (m *Machine) spawn(f func()) bool {
	if !m.track() {
		return false
	}
	go func() {
		defer m.wg.Done()
		f()
	}()
	return true
}

// runPurge empties the bin of old messages every hour.
func (m *Machine) runPurge(ctx context.Context) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		if _, err := m.Purge(ctx, m.cfg.KeepDeleted); err != nil && ctx.Err() == nil {
			m.log.Warn("purge", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Recover keeps the messages whose recording a crash interrupted: each
// file's header is fixed to announce all the audio written, and the
// message is listed unread with that duration.
func (m *Machine) Recover(ctx context.Context) error {
	partial, err := m.st.PartialMessages(ctx)
	if err != nil {
		return err
	}
	for _, msg := range partial {
		m.recoverOne(ctx, msg)
	}
	return nil
}

func (m *Machine) recoverOne(ctx context.Context, msg selfcare.VoicemailMessage) {
	d, err := repairWAV(m.Path(msg.Path))
	if err != nil || d < 500*time.Millisecond {
		m.log.Warn("interrupted message without audio, dropped", "id", msg.ID, "err", err)
		_ = m.st.DropMessage(ctx, msg.ID)
		return
	}
	state := m.transcriptionState(ctx)
	if err := m.st.FinishMessage(ctx, msg.ID, d, state); err != nil {
		m.log.Error("recover message", "id", msg.ID, "err", err)
		return
	}
	m.log.Info("message kept after an interruption", "id", msg.ID, "duration", d)
	m.changed(ctx, msg.Line)
	msg.Duration, msg.TranscriptionState = d, state
	m.afterDeposit(msg)
}
