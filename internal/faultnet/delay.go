package faultnet

import "time"

// delayLine sends delayed packets in the order they came, each at its due
// time. When it is full (4096 packets in flight) a packet is lost, as in a
// router's queue.
type delayLine struct {
	queue chan delayed
	done  chan struct{}
}

type delayed struct {
	due  time.Time
	send func()
}

func newDelayLine() *delayLine {
	return &delayLine{queue: make(chan delayed, 4096), done: make(chan struct{})}
}

// push queues send for due; it never blocks.
func (l *delayLine) push(due time.Time, send func()) {
	select {
	case l.queue <- delayed{due: due, send: send}:
	default:
	}
}

// run sends queued packets until close.
func (l *delayLine) run() {
	for {
		select {
		case <-l.done:
			return
		case d := <-l.queue:
			if !l.wait(d.due) {
				return
			}
			d.send()
		}
	}
}

// wait sleeps until due; false when the line closed meanwhile.
func (l *delayLine) wait(due time.Time) bool {
	t := time.NewTimer(time.Until(due))
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-l.done:
		return false
	}
}

func (l *delayLine) close() { close(l.done) }
