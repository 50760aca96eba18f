package media

import (
	"context"
	"io"
	"sync"
	"time"
)

// conferenceRing is the delay each conference leg may buffer.
const conferenceRing = 200 * time.Millisecond

// Conference joins two calls' sessions with the microphone and the
// loudspeaker into a three-way conference mixed locally: each remote party
// hears the microphone and the other party; the loudspeaker plays both
// parties. It lasts until the returned stop is called (or ctx ends), which
// detaches both sessions; attach the call to resume afterwards.
//
//	mic ──┬─> ring ─┐             ┌─> ring ─> mixer(speaker) ─> loudspeaker
//	      │         mixer ─> A ─> ┤
//	      │  B ─> ring ┘           └─> ring ─┐
//	      └─> ring ─┐                        mixer ─> B ─> ...
//	         A ─> ring ┘
func (c *CallAudio) Conference(ctx context.Context, a, b *Session) (stop func()) {
	c.Attach(nil)
	size, fill := bytesFor(CallAudioRate, conferenceRing), bytesFor(CallAudioRate, FrameDuration)
	micA, micB := NewRing(size, fill), NewRing(size, fill)
	aToB, bToA := NewRing(size, fill), NewRing(size, fill)
	aToSpk, bToSpk := NewRing(size, fill), NewRing(size, fill)
	a.SetSource(mix(micA, bToA), CallAudioRate)
	a.SetSink(io.MultiWriter(aToSpk, aToB), CallAudioRate)
	b.SetSource(mix(micB, aToB), CallAudioRate)
	b.SetSink(io.MultiWriter(bToSpk, bToA), CallAudioRate)
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go c.conferencePump(ctx, done, io.MultiWriter(micA, micB), mix(aToSpk, bToSpk))
	return func() {
		cancel()
		<-done
		for _, s := range []*Session{a, b} {
			s.SetSource(nil, CallAudioRate)
			s.SetSink(nil, CallAudioRate)
		}
	}
}

// mix sums readers.
func mix(rs ...io.Reader) *Mixer {
	m := NewMixer()
	for _, r := range rs {
		m.Add(r)
	}
	return m
}

// conferencePump moves one frame every 20 ms from the microphone chain to
// both legs, and from the legs' mix to the loudspeaker chain.
func (c *CallAudio) conferencePump(ctx context.Context, done chan struct{}, toLegs io.Writer, fromLegs io.Reader) {
	defer close(done)
	frame := make([]byte, 2*SamplesPerFrame(CallAudioRate))
	t := time.NewTicker(FrameDuration)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if _, err := io.ReadFull(c.source, frame); err == nil {
			toLegs.Write(frame)
		}
		if _, err := io.ReadFull(fromLegs, frame); err == nil {
			c.sink.Write(frame)
		}
	}
}

// lockedWriter serializes writes to the loudspeaker chain: when the call in
// focus changes, or a conference starts, the previous writer may still be
// finishing a frame while the next one starts.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

// Write passes p on under the lock.
func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
