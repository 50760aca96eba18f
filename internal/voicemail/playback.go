package voicemail

import (
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/ligne-app/ligne/media"
)

// Playback is a message or greeting loaded for listening on a sound
// device: a PCM source (io.Reader for media.Endpoint.SetSource) that can
// be paused and moved to any position while it plays. It never blocks;
// paused or finished, it gives silence.
type Playback struct {
	mu     sync.Mutex
	pcm    []int16
	rate   int
	pos    int
	paused bool
	done   chan struct{}
	ended  bool
}

// LoadPlayback decodes a WAV or MP3 file to PCM at rate (the device's).
func LoadPlayback(path string, rate int) (*Playback, error) {
	p, err := media.NewFilePlayer(path, rate, false)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", path, err)
	}
	defer p.Close()
	raw, err := io.ReadAll(p)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", path, err)
	}
	return &Playback{pcm: media.BytesToSamples(nil, raw), rate: rate, done: make(chan struct{})}, nil
}

// NewPlayback plays PCM already in memory (a greeting just recorded) at
// rate.
func NewPlayback(pcm []int16, rate int) *Playback {
	return &Playback{pcm: pcm, rate: rate, done: make(chan struct{})}
}

// Read fills b with the next samples, or silence when paused or finished.
func (p *Playback) Read(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := len(b) / 2
	clear(b)
	if p.paused || p.ended {
		return len(b), nil
	}
	k := min(n, len(p.pcm)-p.pos)
	media.SamplesToBytes(b[:2*k], p.pcm[p.pos:p.pos+k])
	p.pos += k
	if p.pos >= len(p.pcm) {
		p.ended = true
		close(p.done)
	}
	return len(b), nil
}

// Pause pauses (true) or resumes (false); resuming at the end restarts.
func (p *Playback) Pause(paused bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.paused = paused
	if !paused && p.ended {
		p.pos, p.ended, p.done = 0, false, make(chan struct{})
	}
}

// Paused reports whether playback is paused.
func (p *Playback) Paused() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.paused
}

// Seek moves to a fraction (0..1) of the audio.
func (p *Playback) Seek(frac float64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	frac = max(0, min(1, frac))
	p.pos = int(frac * float64(len(p.pcm)))
	if p.ended && p.pos < len(p.pcm) {
		p.ended, p.done = false, make(chan struct{})
	}
}

// Progress returns the position as a fraction of the length (0..1).
func (p *Playback) Progress() float64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.pcm) == 0 {
		return 1
	}
	return float64(p.pos) / float64(len(p.pcm))
}

// Position returns how much has been played.
func (p *Playback) Position() time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	return time.Duration(p.pos) * time.Second / time.Duration(p.rate)
}

// Duration returns the length of the audio.
func (p *Playback) Duration() time.Duration {
	return time.Duration(len(p.pcm)) * time.Second / time.Duration(p.rate)
}

// Done is closed when playback reaches the end.
func (p *Playback) Done() <-chan struct{} {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.done
}

// GreetingCapture records the microphone for a greeting: an io.Writer for
// a capture media.Endpoint, with the level for a meter. It stops taking
// audio at the longest greeting.
type GreetingCapture struct {
	mu    sync.Mutex
	rate  int
	pcm   []int16
	level float64
}

// NewGreetingCapture records PCM at rate (the device's).
func NewGreetingCapture(rate int) *GreetingCapture { return &GreetingCapture{rate: rate} }

// Write takes one period of s16le mono PCM.
func (g *GreetingCapture) Write(b []byte) (int, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.level = levelOf(b)
	if time.Duration(len(g.pcm))*time.Second/time.Duration(g.rate) < maxGreeting {
		g.pcm = append(g.pcm, media.BytesToSamples(nil, b)...)
	}
	return len(b), nil
}

// Level is the RMS level of the last period, 0..1 (for a meter: speech
// sits around 0.05-0.3).
func (g *GreetingCapture) Level() float64 {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.level
}

// Duration is how much has been recorded.
func (g *GreetingCapture) Duration() time.Duration {
	g.mu.Lock()
	defer g.mu.Unlock()
	return time.Duration(len(g.pcm)) * time.Second / time.Duration(g.rate)
}

// PCM returns what was recorded and its rate.
func (g *GreetingCapture) PCM() ([]int16, int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]int16(nil), g.pcm...), g.rate
}
