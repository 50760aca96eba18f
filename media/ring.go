package media

import (
	"sync"
)

// Ring is a bounded FIFO of s16le PCM between a writer and a reader that
// run on different clocks (a session tick and a device callback, or two
// sessions of a conference). Read never blocks: when the ring runs dry it
// returns silence (counted as an underrun); Write never blocks: when the
// ring is full it drops the oldest audio (an overrun). Both keep the delay
// bounded whatever the drift between the two clocks.
type Ring struct {
	mu        sync.Mutex
	buf       []byte
	start     int
	size      int
	underruns uint64
	overruns  uint64
	primed    bool
	prefill   int
}

// NewRing returns a ring holding up to capacity bytes; reads return
// silence until prefill bytes were written (a small cushion against
// jitter between the two clocks).
func NewRing(capacity, prefill int) *Ring {
	capacity = max(2, capacity&^1)
	return &Ring{buf: make([]byte, capacity), prefill: min(prefill&^1, capacity)}
}

// Write appends p, dropping the oldest bytes when full. It never fails.
func (r *Ring) Write(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	data := p
	if len(data) > len(r.buf) {
		data = data[len(data)-len(r.buf):]
		r.overruns++
	}
	if drop := r.size + len(data) - len(r.buf); drop > 0 {
		drop = (drop + 1) &^ 1
		r.start = (r.start + drop) % len(r.buf)
		r.size -= drop
		r.overruns++
	}
	for _, b := range data {
		r.buf[(r.start+r.size)%len(r.buf)] = b
		r.size++
	}
	if r.size >= r.prefill {
		r.primed = true
	}
	return len(p), nil
}

// Read fills p completely: with buffered audio, then with silence.
func (r *Ring) Read(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	if r.primed {
		n = min(len(p)&^1, r.size)
		for i := range n {
			p[i] = r.buf[(r.start+i)%len(r.buf)]
		}
		r.start = (r.start + n) % len(r.buf)
		r.size -= n
	}
	if n < len(p) {
		clear(p[n:])
		if r.primed {
			r.underruns++
			r.primed = r.prefill == 0
		}
	}
	return len(p), nil
}

// Buffered returns the number of bytes waiting.
func (r *Ring) Buffered() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.size
}

// Stats returns the underrun and overrun counts.
func (r *Ring) Stats() (underruns, overruns uint64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.underruns, r.overruns
}
