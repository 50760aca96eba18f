package media

import (
	"errors"
	"fmt"
	"io"
	"sync"
	"time"
)

// Player plays a sound file (WAV or MP3) as s16le mono PCM at a target
// rate, once or in a loop: hold music, a voicemail greeting, a ringtone
// chosen by the user. It is an io.Reader stage for Session.SetSource or a
// device.
type Player struct {
	mu     sync.Mutex
	path   string
	rate   int
	loop   bool
	file   *AudioFile
	stream io.Reader
	closed bool
}

// NewFilePlayer opens path (checking that it is a readable WAV or MP3) and
// returns a player producing PCM at rate; with loop it restarts at the end.
func NewFilePlayer(path string, rate int, loop bool) (*Player, error) {
	p := &Player{path: path, rate: rate, loop: loop}
	if err := p.open(); err != nil {
		return nil, err
	}
	return p, nil
}

func (p *Player) open() error {
	f, err := OpenAudioFile(p.path)
	if err != nil {
		return fmt.Errorf("play %s: %w", p.path, err)
	}
	s, err := NewResampleReader(f, f.Rate, p.rate)
	if err != nil {
		_ = f.Close()
		return fmt.Errorf("play %s: %w", p.path, err)
	}
	p.file, p.stream = f, s
	return nil
}

// Read returns the next PCM; at the end of the file it returns io.EOF, or
// starts again when looping.
func (p *Player) Read(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return 0, fmt.Errorf("play %s: %w", p.path, ErrClosed)
	}
	for restarts := 0; ; restarts++ {
		n, err := p.stream.Read(b)
		if !errors.Is(err, io.EOF) || !p.loop || n > 0 {
			return n, err
		}
		if restarts > 0 {
			return 0, io.EOF // an empty file: do not spin
		}
		_ = p.file.Close()
		if err := p.open(); err != nil {
			return 0, err
		}
	}
}

// Close releases the file.
func (p *Player) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return nil
	}
	p.closed = true
	return p.file.Close()
}

// Recorder writes the PCM it receives to a WAV file, up to a maximum
// duration (a voicemail message, a recorded call). Past the limit, Write
// fails with ErrLimitReached, which a session reports as SinkFailedEvent.
type Recorder struct {
	mu    sync.Mutex
	w     *WAVWriter
	left  int64 // bytes still accepted, -1 = no limit
	bytes int64
	rate  int
}

// NewRecorder creates path as a mono 16-bit WAV file at rate; limit 0
// means no limit.
func NewRecorder(path string, rate int, limit time.Duration) (*Recorder, error) {
	w, err := CreateWAV(path, rate, 1)
	if err != nil {
		return nil, fmt.Errorf("record: %w", err)
	}
	left := int64(-1)
	if limit > 0 {
		left = int64(limit.Seconds()*float64(rate)) * 2
	}
	return &Recorder{w: w, left: left, rate: rate}, nil
}

// Write appends p, or what fits before the limit.
func (r *Recorder) Write(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	data := p
	if r.left >= 0 && int64(len(data)) > r.left {
		data = data[:r.left]
	}
	if len(data) > 0 {
		if _, err := r.w.Write(data); err != nil {
			return 0, fmt.Errorf("record: %w", err)
		}
		r.bytes += int64(len(data))
		if r.left >= 0 {
			r.left -= int64(len(data))
		}
	}
	if len(data) < len(p) {
		return len(data), fmt.Errorf("record: %w", ErrLimitReached)
	}
	return len(p), nil
}

// Duration returns the length recorded so far.
func (r *Recorder) Duration() time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	return time.Duration(r.bytes/2) * time.Second / time.Duration(r.rate)
}

// Close finishes the WAV header and closes the file.
func (r *Recorder) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.w.Close(); err != nil {
		return fmt.Errorf("record: %w", err)
	}
	return nil
}
