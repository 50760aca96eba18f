package main

import (
	"context"
	"log/slog"
	"sync"

	"github.com/ligne-app/ligne/internal/voicemail"
	"github.com/ligne-app/ligne/selfcare"
)

// lampSender shows a line's voicemail count on its desk phones
// (provision.Service.MessageWaiting).
type lampSender interface {
	MessageWaiting(ctx context.Context, line selfcare.LineKind, newCount, oldCount int) error
}

// lampPusher sends the latest count of each line to the desk phones, one
// NOTIFY round at a time, so a slow or absent phone never holds up the
// voicemail and an older count never overtakes a newer one.
type lampPusher struct {
	mu      sync.Mutex
	pending map[selfcare.LineKind]voicemail.Count
	kick    chan struct{}
}

func newLampPusher(ctx context.Context, to lampSender, log *slog.Logger) *lampPusher {
	p := &lampPusher{pending: map[selfcare.LineKind]voicemail.Count{}, kick: make(chan struct{}, 1)}
	go p.run(ctx, to, log)
	return p
}

// set records line's count; it returns at once.
func (p *lampPusher) set(line selfcare.LineKind, c voicemail.Count) {
	p.mu.Lock()
	p.pending[line] = c
	p.mu.Unlock()
	select {
	case p.kick <- struct{}{}:
	default:
	}
}

func (p *lampPusher) run(ctx context.Context, to lampSender, log *slog.Logger) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-p.kick:
		}
		p.mu.Lock()
		batch := p.pending
		p.pending = map[selfcare.LineKind]voicemail.Count{}
		p.mu.Unlock()
		for line, c := range batch {
			if err := to.MessageWaiting(ctx, line, c.New, c.Old); err != nil {
				log.Warn("desk phone message-waiting lamp", "line", line, "err", err)
			}
		}
	}
}
