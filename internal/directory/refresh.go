package directory

import (
	"context"
	"time"
)

// recheck is how often the Refresher looks at the settings when no
// refresh is due (the user may turn it on or change the period).
const recheck = time.Minute

// syncer is what the Refresher drives (Syncer implements it).
type syncer interface {
	Sync(ctx context.Context) (Status, error)
	Due(ctx context.Context) (time.Duration, bool, error)
}

// Refresher synchronizes the directory periodically, as its settings say.
type Refresher struct {
	syncer syncer
	after  func(time.Duration) <-chan time.Time
	onSync func(Status, error)
}

// NewRefresher returns a Refresher for s. after waits (time.After when
// nil); onSync, when not nil, hears of every synchronization.
func NewRefresher(s *Syncer, after func(time.Duration) <-chan time.Time, onSync func(Status, error)) *Refresher {
	return newRefresher(s, after, onSync)
}

func newRefresher(s syncer, after func(time.Duration) <-chan time.Time, onSync func(Status, error)) *Refresher {
	if after == nil {
		after = time.After
	}
	if onSync == nil {
		onSync = func(Status, error) {}
	}
	return &Refresher{syncer: s, after: after, onSync: onSync}
}

// Run synchronizes whenever a refresh is due, until ctx ends.
func (r *Refresher) Run(ctx context.Context) error {
	for {
		wait, err := r.step(ctx)
		if err != nil && ctx.Err() != nil {
			return ctx.Err()
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-r.after(wait):
		}
	}
}

// step synchronizes when due and returns how long to wait next.
func (r *Refresher) step(ctx context.Context) (time.Duration, error) {
	due, ok, err := r.syncer.Due(ctx)
	if err != nil || !ok {
		return recheck, err
	}
	if due <= 0 {
		st, err := r.syncer.Sync(ctx)
		r.onSync(st, err)
		if due, ok, err = r.syncer.Due(ctx); err != nil || !ok {
			return recheck, err
		}
	}
	return min(max(due, time.Second), recheck), nil
}
