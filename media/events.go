package media

import (
	"net"
	"time"
)

// Event is something a session reports to its owner on Session.Events.
// The concrete types are DTMFEvent, TimeoutEvent, SourceEndedEvent,
// SinkFailedEvent, RemoteChangedEvent and SSRCChangedEvent.
type Event interface {
	mediaEvent()
}

// DTMFEvent is a key press received: an RFC 4733 telephone event, or a
// dual tone heard in the audio when the peer negotiated no telephone-event.
type DTMFEvent struct {
	Digit    rune          // 0-9, *, #, A-D
	Duration time.Duration // as signalled by the sender, or as heard
	InBand   bool          // heard in the audio (see dtmfDetector)
}

// TimeoutEvent reports that no media arrived for the configured time; the
// owner ends the call with Reason. It is never dropped.
type TimeoutEvent struct {
	After  time.Duration // silence observed
	OnHold bool          // the longer on-hold limit applied
	Reason string        // human-readable, for the log and the call history
}

// SourceEndedEvent reports that the source set with SetSource returned EOF;
// the session sends silence from then on.
type SourceEndedEvent struct{}

// SinkFailedEvent reports that the sink returned an error; it was removed.
type SinkFailedEvent struct {
	Err error
}

// RemoteChangedEvent reports that symmetric RTP moved the peer address to
// where its packets actually come from (a NAT in between, usually).
type RemoteChangedEvent struct {
	From, To *net.UDPAddr
}

// SSRCChangedEvent reports that the peer's stream restarted with a new
// synchronization source (a transfer or a media server switching streams).
type SSRCChangedEvent struct {
	Old, New uint32
}

func (DTMFEvent) mediaEvent()          {}
func (TimeoutEvent) mediaEvent()       {}
func (SourceEndedEvent) mediaEvent()   {}
func (SinkFailedEvent) mediaEvent()    {}
func (RemoteChangedEvent) mediaEvent() {}
func (SSRCChangedEvent) mediaEvent()   {}
