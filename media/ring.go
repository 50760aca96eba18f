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
	trimAt    int // trim when the fill never fell below this over a window; 0 = never
	minFill   int // lowest fill after a read in the current window
	reads     int // reads in the current window
}

// trimWindow is the number of reads (about a second of device periods)
// over which a ring with trimming watches its lowest fill.
const trimWindow = 100

// SetTrim keeps the delay of the ring low when its writer's clock runs
// faster than its reader's: if over about a second of reads the fill never
// fell below above bytes, the fill is cut back to the prefill at once
// (a short glitch rather than a delay that grows until overflow).
func (r *Ring) SetTrim(above int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.trimAt = above &^ 1
}

// SetPrefill changes how much the ring holds before it plays again after
// running dry (see NewRing).
func (r *Ring) SetPrefill(n int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.prefill = min(n&^1, len(r.buf))
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
	r.watchFill()
	return len(p), nil
}

// watchFill trims a ring whose fill stayed above trimAt for a window.
func (r *Ring) watchFill() {
	if r.trimAt == 0 {
		return
	}
	if r.reads == 0 || r.size < r.minFill {
		r.minFill = r.size
	}
	r.reads++
	if r.reads < trimWindow {
		return
	}
	r.reads = 0
	if r.minFill > r.trimAt {
		drop := (r.size - r.prefill) &^ 1 // back to the cushion
		r.start = (r.start + drop) % len(r.buf)
		r.size -= drop
		r.overruns++
	}
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
