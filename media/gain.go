package media

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"sync"
)

// Gain is a volume and mute stage for s16le PCM, usable on the capture side
// (as an io.Reader around a source) or on the playback side (as an
// io.Writer in front of a sink). Changes ramp over a few milliseconds so
// that muting does not click. It is safe for concurrent use: the window
// sets the volume while the session reads.
type Gain struct {
	mu     sync.Mutex
	target float64 // wanted linear gain (0 when muted)
	volume float64
	muted  bool
	cur    float64 // gain applied to the last sample
	step   float64 // largest change per sample
	r      io.Reader
	w      io.Writer
	buf    []byte
}

// NewGainReader applies the gain to what it reads from r (at rate Hz).
func NewGainReader(r io.Reader, rate int) *Gain {
	g := newGain(rate)
	g.r = r
	return g
}

// NewGainWriter applies the gain before writing to w (at rate Hz).
func NewGainWriter(w io.Writer, rate int) *Gain {
	g := newGain(rate)
	g.w = w
	return g
}

func newGain(rate int) *Gain {
	return &Gain{target: 1, volume: 1, cur: 1, step: 1 / (0.005 * float64(max(rate, 1)))}
}

// SetVolume sets the linear gain (1 = unchanged, 0 = silent, up to 4).
func (g *Gain) SetVolume(v float64) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.volume = max(0, min(4, v))
	g.retarget()
}

// SetMute mutes or unmutes without losing the volume.
func (g *Gain) SetMute(m bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.muted = m
	g.retarget()
}

// Muted reports whether the stage is muted.
func (g *Gain) Muted() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.muted
}

// Volume returns the linear gain set with SetVolume.
func (g *Gain) Volume() float64 {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.volume
}

func (g *Gain) retarget() {
	g.target = g.volume
	if g.muted {
		g.target = 0
	}
}

// Read reads from the wrapped reader and applies the gain.
func (g *Gain) Read(p []byte) (int, error) {
	n, err := g.r.Read(p)
	g.apply(p[:n&^1])
	return n, err
}

// Write applies the gain to a copy of p and writes it.
func (g *Gain) Write(p []byte) (int, error) {
	g.buf = append(g.buf[:0], p...)
	g.apply(g.buf[:len(g.buf)&^1])
	if _, err := g.w.Write(g.buf); err != nil {
		return 0, fmt.Errorf("gain write: %w", err)
	}
	return len(p), nil
}

func (g *Gain) apply(b []byte) {
	g.mu.Lock()
	target, cur, step := g.target, g.cur, g.step
	g.mu.Unlock()
	if cur == 1 && target == 1 {
		return
	}
	for i := 0; i+1 < len(b); i += 2 {
		cur += max(-step, min(step, target-cur))
		v := float64(int16(binary.LittleEndian.Uint16(b[i:]))) * cur
		binary.LittleEndian.PutUint16(b[i:], uint16(clipFloat(v)))
	}
	g.mu.Lock()
	g.cur = cur
	g.mu.Unlock()
}

// LevelMeter measures the level of the PCM passing through it (reader or
// writer side): the RMS and the peak of the last 20 ms block, in dBFS, for
// the input level meter of the window.
type LevelMeter struct {
	mu    sync.Mutex
	r     io.Reader
	w     io.Writer
	block int // samples per measurement
	sum   float64
	peak  float64
	n     int
	rms   float64 // dBFS of the last complete block
	pk    float64
}

// SilenceDBFS is the level reported for digital silence.
const SilenceDBFS = -96.0

// NewLevelMeterReader measures what is read from r at rate Hz.
func NewLevelMeterReader(r io.Reader, rate int) *LevelMeter {
	return &LevelMeter{r: r, block: SamplesPerFrame(rate), rms: SilenceDBFS, pk: SilenceDBFS}
}

// NewLevelMeterWriter measures what is written to w at rate Hz.
func NewLevelMeterWriter(w io.Writer, rate int) *LevelMeter {
	return &LevelMeter{w: w, block: SamplesPerFrame(rate), rms: SilenceDBFS, pk: SilenceDBFS}
}

// Read reads from the wrapped reader and measures it.
func (m *LevelMeter) Read(p []byte) (int, error) {
	n, err := m.r.Read(p)
	m.measure(p[:n&^1])
	return n, err
}

// Write measures p and writes it to the wrapped writer.
func (m *LevelMeter) Write(p []byte) (int, error) {
	m.measure(p[:len(p)&^1])
	n, err := m.w.Write(p)
	if err != nil {
		return n, fmt.Errorf("level meter write: %w", err)
	}
	return n, nil
}

// Level returns the RMS and peak levels (dBFS, SilenceDBFS for silence)
// of the last 20 ms measured.
func (m *LevelMeter) Level() (rms, peak float64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.rms, m.pk
}

func (m *LevelMeter) measure(b []byte) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i := 0; i+1 < len(b); i += 2 {
		v := float64(int16(binary.LittleEndian.Uint16(b[i:])))
		m.sum += v * v
		m.peak = max(m.peak, math.Abs(v))
		m.n++
		if m.n == m.block {
			m.rms = dbfs(math.Sqrt(m.sum / float64(m.n)))
			m.pk = dbfs(m.peak)
			m.sum, m.peak, m.n = 0, 0, 0
		}
	}
}

// dbfs converts an amplitude to dB relative to full scale (32768).
func dbfs(a float64) float64 {
	if a < 1 {
		return SilenceDBFS
	}
	return max(SilenceDBFS, 20*math.Log10(a/32768))
}
