package media

import "errors"

// Sentinel errors of the media package. They are wrapped with the operation
// that failed, so callers test them with errors.Is.
var (
	// ErrUnknownCodec is returned for a codec this package cannot encode or decode.
	ErrUnknownCodec = errors.New("unknown codec")
	// ErrNotConfigured is returned when a session is used before Configure.
	ErrNotConfigured = errors.New("session not configured")
	// ErrAlreadyStarted is returned by a second call to Session.Start.
	ErrAlreadyStarted = errors.New("session already started")
	// ErrClosed is returned when a closed session or stage is used.
	ErrClosed = errors.New("closed")
	// ErrInvalidDigit is returned for a DTMF digit outside 0-9, *, #, A-D.
	ErrInvalidDigit = errors.New("invalid DTMF digit")
	// ErrNoPortPair is returned when no even RTP port with a free RTCP port above it was found.
	ErrNoPortPair = errors.New("no free RTP/RTCP port pair")
	// ErrBadRate is returned for a sample rate a stage does not support.
	ErrBadRate = errors.New("unsupported sample rate")
	// ErrBadFormat is returned for a file whose format cannot be read.
	ErrBadFormat = errors.New("unsupported audio format")
	// ErrNoDevice is returned when no audio device could be opened.
	ErrNoDevice = errors.New("no audio device")
)

// ErrLimitReached is returned by a Recorder once its maximum duration is recorded.
var ErrLimitReached = errors.New("recording limit reached")
