package main

import (
	"context"
	"errors"
	"log/slog"
	"sync/atomic"

	"github.com/ligne-app/ligne/internal/engine"
	"github.com/ligne-app/ligne/internal/voicemail"
	"github.com/ligne-app/ligne/media"
	"github.com/ligne-app/ligne/selfcare"
	"github.com/ligne-app/ligne/softphone"
	"github.com/ligne-app/ligne/store"
	"github.com/ligne-app/ligne/ui"
)

// lineRunner starts the user's line (the engine) and stops it on quit.
type lineRunner struct {
	db    *store.DB
	sec   selfcare.Secrets // the window's secret store (keyring or consented file)
	log   *slog.Logger
	vm    *voicemail.Machine // Ligne's own voicemail, answering what the rules send it
	eng   *engine.Engine
	phone atomic.Pointer[softphone.Phone]
	audio media.SystemAudio
}

// startVoicemail runs the answering machine; count hears the unread
// message counts (for the window's badge).
func (r *lineRunner) startVoicemail(ctx context.Context, count func(selfcare.LineKind, voicemail.Count)) {
	r.vm = voicemail.New(voicemail.Config{Store: r.db, Dir: r.db.Dir(), Secrets: r.sec, Logger: r.log,
		Events: func(ctx context.Context) <-chan softphone.Event {
			if p := r.phone.Load(); p != nil {
				return p.Subscribe(ctx)
			}
			return nil
		}})
	r.vm.OnCount(count)
	if err := r.vm.Start(ctx); err != nil {
		r.log.Error("voicemail", "err", err)
	}
}

// start runs the line when an account exists; nil for the demo, a first
// run, or a line that cannot start (the window says why).
func (r *lineRunner) start(ctx context.Context) *engine.Engine {
	eng, err := r.startErr(ctx)
	switch {
	case err == nil:
	case errors.Is(err, engine.ErrDemo), selfcare.ErrorCode(err) == selfcare.CodeNoAccount:
	default:
		r.log.Error("start the line", "err", err)
	}
	return eng
}

// startErr starts the engine on the system's sound card (or none).
func (r *lineRunner) startErr(ctx context.Context) (*engine.Engine, error) {
	if r.audio == nil {
		if b, err := media.NewSystemAudioBackend(r.log); err == nil {
			r.audio = b
		} else {
			r.log.Warn("no sound system: calls will be silent", "err", err)
		}
	}
	cfg := engine.Config{Store: r.db, Secrets: r.sec, Logger: r.log, Ringtone: r.setting(ctx, ui.SettingRingtone),
		Microphone: r.device(ctx, selfcare.SettingCaptureDevice), Speaker: r.device(ctx, selfcare.SettingPlaybackDevice),
		Ringer: r.device(ctx, selfcare.SettingRingDevice), Voicemail: r.vm}
	if r.audio != nil {
		cfg.Audio = r.audio
	}
	cfg.Options = softphone.Options{}
	eng, err := engine.Start(ctx, cfg)
	if err != nil {
		return nil, err
	}
	r.eng = eng
	r.phone.Store(eng.Phone)
	return eng, nil
}

// close hangs up, unregisters and releases the sound card.
func (r *lineRunner) close() {
	if r.eng != nil {
		r.eng.Close(context.Background())
	}
	if r.audio != nil {
		r.audio.Close()
	}
	if r.vm != nil {
		r.vm.Close()
	}
}

// setting reads a preference ("" when unset).
func (r *lineRunner) setting(ctx context.Context, key string) string {
	v, _ := r.db.Setting(ctx, key)
	return v
}

// device is the remembered device for key (zero: the system default).
func (r *lineRunner) device(ctx context.Context, key string) media.DeviceInfo {
	return media.DeviceInfo{ID: r.setting(ctx, key)}
}
