package softphone

import (
	"context"
	"sync"
)

// maxQueued bounds a slow subscriber's backlog of ordinary events; critical
// events are queued regardless.
const maxQueued = 256

// bus fans events out to subscribers, each with its own queue and channel.
type bus struct {
	mu     sync.Mutex
	subs   map[*subscriber]struct{}
	closed bool
}

type subscriber struct {
	mu      sync.Mutex
	queue   []Event
	dropped int
	wake    chan struct{}
	out     chan Event
	closing chan struct{}
}

func newBus() *bus { return &bus{subs: map[*subscriber]struct{}{}} }

// subscribe returns a channel of every event published from now on. It is
// closed when ctx ends or the bus closes (after the backlog is delivered).
func (b *bus) subscribe(ctx context.Context) <-chan Event {
	s := &subscriber{wake: make(chan struct{}, 1), out: make(chan Event), closing: make(chan struct{})}
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		close(s.out)
		return s.out
	}
	b.subs[s] = struct{}{}
	b.mu.Unlock()
	go s.pump(ctx, func() { b.remove(s) })
	return s.out
}

func (b *bus) remove(s *subscriber) {
	b.mu.Lock()
	delete(b.subs, s)
	b.mu.Unlock()
}

// publish queues ev for every subscriber without blocking.
func (b *bus) publish(ev Event) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for s := range b.subs {
		s.push(ev)
	}
}

// close ends every subscription once its backlog is delivered.
func (b *bus) close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return
	}
	b.closed = true
	for s := range b.subs {
		close(s.closing)
	}
}

func (s *subscriber) push(ev Event) {
	s.mu.Lock()
	_, keep := ev.(critical)
	if keep || len(s.queue) < maxQueued {
		s.queue = append(s.queue, ev)
	} else {
		s.dropped++
	}
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

func (s *subscriber) pop() (Event, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.queue) == 0 {
		return nil, false
	}
	ev := s.queue[0]
	s.queue[0] = nil
	s.queue = s.queue[1:]
	return ev, true
}

func (s *subscriber) pump(ctx context.Context, done func()) {
	defer close(s.out)
	defer done()
	for {
		ev, ok := s.pop()
		if !ok {
			select {
			case <-s.wake:
				continue
			case <-s.closing:
				if ev, ok = s.pop(); !ok {
					return
				}
			case <-ctx.Done():
				return
			}
		}
		select {
		case s.out <- ev:
		case <-ctx.Done():
			return
		}
	}
}
