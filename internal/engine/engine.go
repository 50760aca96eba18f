package engine

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/ligne-app/ligne/media"
	"github.com/ligne-app/ligne/selfcare"
	"github.com/ligne-app/ligne/softphone"
)

// Store is what the engine reads and writes in the store.
type Store interface {
	AccountStore
	CallLog
	RuleStore
	Keys(ctx context.Context) ([]selfcare.FunctionKey, error)
}

// Config sets up an Engine.
type Config struct {
	Store   Store
	Secrets selfcare.Secrets
	// Audio is the sound system; nil runs calls without sound (headless).
	Audio media.AudioBackend
	// Devices are the preferred audio devices (zero values: system defaults).
	Microphone, Speaker, Ringer media.DeviceInfo
	// Ringtone is a built-in ringtone id (media.NewRingtone).
	Ringtone string
	// Voicemail is the local answering machine the rules send calls to
	// (nil: the platform's voicemail number).
	Voicemail Voicemail
	// Phone options (listen address, media IP, trace...). When
	// Options.Incoming is nil the stored forwarding rules decide.
	Options softphone.Options
	Logger  *slog.Logger
}

// Engine runs the user's line: the SIP phone, the call log, the supervised
// colleagues, the mailbox count and the sound of calls.
type Engine struct {
	Phone  *softphone.Phone
	Audio  *Audio  // nil when running without sound
	policy *Policy // the stored rules, also for the user's own choices
	cancel context.CancelFunc
	wg     sync.WaitGroup
	log    *slog.Logger
}

// ErrDemo is returned by Start for the demo workspace, which has no line.
var ErrDemo = errors.New("engine: the demo workspace has no line")

// Start builds the phone from the stored account and starts it, with the
// call log recorder, BLF subscriptions for the supervision keys, MWI, and
// the audio router when cfg.Audio is set.
func Start(ctx context.Context, cfg Config) (*Engine, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	acct, err := Account(ctx, cfg.Store, cfg.Secrets)
	if err != nil {
		if a, aerr := cfg.Store.Account(ctx); aerr == nil && a.Demo {
			return nil, ErrDemo
		}
		return nil, err
	}
	cfg.Options.Logger = cfg.Logger
	rec := &Recorder{Log: cfg.Store, Line: selfcare.LineFixed, Logger: cfg.Logger}
	machine := newCallSet()
	pol := &Policy{Store: cfg.Store, Voicemail: cfg.Voicemail, Recorder: rec, machine: machine, Logger: cfg.Logger, Now: cfg.Options.Now}
	if cfg.Options.Incoming == nil {
		cfg.Options.Incoming = pol.Decide
	}
	phone, err := softphone.New(acct, cfg.Options)
	if err != nil {
		return nil, fmt.Errorf("start engine: %w", err)
	}
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	e := &Engine{Phone: phone, cancel: cancel, log: cfg.Logger, policy: pol}
	e.startRecorder(runCtx, rec)
	if cfg.Audio != nil {
		if e.Audio, err = newAudio(runCtx, cfg, phone, machine); err != nil {
			cfg.Logger.Warn("calls will have no sound", "err", err)
		}
	}
	if err := phone.Start(ctx); err != nil {
		e.Close(ctx)
		return nil, fmt.Errorf("start engine: %w", err)
	}
	e.watch(ctx, cfg.Store)
	return e, nil
}

// startRecorder records every call in the call log.
func (e *Engine) startRecorder(ctx context.Context, rec *Recorder) {
	events := e.Phone.Subscribe(ctx)
	e.wg.Add(1)
	go func() {
		defer e.wg.Done()
		rec.Run(ctx, events)
	}()
}

// watch subscribes to the supervised colleagues and to the mailbox.
func (e *Engine) watch(ctx context.Context, st Store) {
	keys, err := st.Keys(ctx)
	if err != nil {
		e.log.Error("read function keys", "err", err)
	}
	for _, k := range keys {
		if k.Kind == selfcare.KeySupervision && k.Number != "" {
			if err := e.Phone.Supervise(k.Number); err != nil {
				e.log.Warn("supervise", "colleague", k.Number, "err", err)
			}
		}
	}
	if err := e.Phone.WatchMWI(); err != nil {
		e.log.Warn("watch voicemail", "err", err)
	}
}

// Close hangs up, unregisters and stops everything the engine started.
func (e *Engine) Close(ctx context.Context) error {
	sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	err := e.Phone.Shutdown(sctx)
	e.cancel()
	if e.Audio != nil {
		e.Audio.Close()
	}
	e.wg.Wait()
	return err
}
