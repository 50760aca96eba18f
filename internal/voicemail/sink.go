package voicemail

import (
	"sync"
	"time"
)

// Why a recording ended.
type endCause string

const (
	endHangup  endCause = "hangup"
	endMax     endCause = "max"
	endSilence endCause = "silence"
	endStopped endCause = "stopped"
)

// voiceLevel is the RMS level (about -40 dBFS) above which a 20 ms frame
// counts as voice rather than line noise.
const voiceLevel = 0.01

// messageSink records the caller into a safeWAV and decides when the
// message is over: at the maximum length, or after a long silence.
type messageSink struct {
	mu        sync.Mutex
	w         *safeWAV
	rate      int
	max       int64 // bytes
	quiet     int64 // bytes of silence that end the message
	written   int64
	silentRun int64
	voiced    int64 // bytes of voiced frames
	lastVoice int64 // end of the last voiced frame, in bytes
	cause     endCause
	done      chan struct{}
}

func newMessageSink(w *safeWAV, rate int, max, quiet time.Duration) *messageSink {
	return &messageSink{w: w, rate: rate, max: durBytes(max, rate), quiet: durBytes(quiet, rate), done: make(chan struct{})}
}

func durBytes(d time.Duration, rate int) int64 { return int64(d.Seconds()*float64(rate)) * 2 }

// Write records one frame (the session writes 20 ms at a time).
func (s *messageSink) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cause != "" {
		return len(p), nil
	}
	if room := s.max - s.written; int64(len(p)) > room {
		p = p[:room]
	}
	if _, err := s.w.Write(p); err != nil {
		s.finish(endStopped)
		return len(p), nil
	}
	s.account(p)
	return len(p), nil
}

// account updates the voice and silence counters and ends the message
// when a limit is reached (called with mu held).
func (s *messageSink) account(p []byte) {
	s.written += int64(len(p))
	if levelOf(p) >= voiceLevel {
		s.voiced += int64(len(p))
		s.silentRun, s.lastVoice = 0, s.written
	} else {
		s.silentRun += int64(len(p))
	}
	switch {
	case s.written >= s.max:
		s.finish(endMax)
	case s.quiet > 0 && s.silentRun >= s.quiet:
		s.finish(endSilence)
	}
}

func (s *messageSink) finish(c endCause) {
	if s.cause == "" {
		s.cause = c
		close(s.done)
	}
}

// stop ends the recording from outside (hang-up, shutdown).
func (s *messageSink) stop(c endCause) endCause {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.finish(c)
	return s.cause
}

// voicedDuration is how much of the message carried sound.
func (s *messageSink) voicedDuration() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return bytesDuration(s.voiced, s.rate)
}

// keepUntil is where the message should end: after a long silence, a
// moment after the last voiced frame; otherwise everything.
func (s *messageSink) keepUntil() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cause == endSilence {
		return bytesDuration(min(s.written, s.lastVoice+durBytes(time.Second, s.rate)), s.rate)
	}
	return bytesDuration(s.written, s.rate)
}
