package provision

import (
	"context"
	"log/slog"
	"sync"

	"github.com/ligne-app/ligne/selfcare"
)

// LampSender shows a line's voicemail count on its desk phones
// (Service.MessageWaiting).
type LampSender interface {
	MessageWaiting(ctx context.Context, line selfcare.LineKind, newCount, oldCount int) error
}

// LampPusher sends the latest voicemail count of each line to the desk
// phones, one NOTIFY round at a time, so a slow or absent phone never
// holds up the voicemail and an older count never overtakes a newer one.
// The window and `lignectl run` both feed it from the voicemail.
type LampPusher struct {
	mu      sync.Mutex
	pending map[selfcare.LineKind]lampCount
	kick    chan struct{}
}

type lampCount struct{ new, old int }

// NewLampPusher starts a pusher sending to to until ctx ends.
func NewLampPusher(ctx context.Context, to LampSender, log *slog.Logger) *LampPusher {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	p := &LampPusher{pending: map[selfcare.LineKind]lampCount{}, kick: make(chan struct{}, 1)}
	go p.run(ctx, to, log)
	return p
}

// Set records line's count; it returns at once.
func (p *LampPusher) Set(line selfcare.LineKind, newCount, oldCount int) {
	p.mu.Lock()
	p.pending[line] = lampCount{newCount, oldCount}
	p.mu.Unlock()
	select {
	case p.kick <- struct{}{}:
	default:
	}
}

func (p *LampPusher) run(ctx context.Context, to LampSender, log *slog.Logger) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-p.kick:
		}
		p.mu.Lock()
		batch := p.pending
		p.pending = map[selfcare.LineKind]lampCount{}
		p.mu.Unlock()
		for line, c := range batch {
			if err := to.MessageWaiting(ctx, line, c.new, c.old); err != nil {
				log.Warn("desk phone message-waiting lamp", "line", line, "err", err)
			}
		}
	}
}
