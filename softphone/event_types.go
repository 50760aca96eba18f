package softphone

import (
	"encoding/json"
	"time"
)

// Event is something the engine reports. Name is the JSON "type" used by
// lignectl run ("registration", "call.incoming", ...).
type Event interface {
	Name() string
}

// critical events are never dropped for a slow subscriber.
type critical interface{ neverDrop() }

// RegistrationState is where the account's registration stands.
type RegistrationState string

// Registration states.
const (
	RegRegistering  RegistrationState = "registering"
	RegRegistered   RegistrationState = "registered"
	RegRetrying     RegistrationState = "retrying"
	RegFailed       RegistrationState = "failed"
	RegUnregistered RegistrationState = "unregistered"
)

// RegistrationEvent reports a change of registration state. Failed and
// retrying carry a reason the user can read; retrying carries the delay
// before the next attempt.
type RegistrationEvent struct {
	Time    time.Time         `json:"time"`
	AOR     string            `json:"aor"`
	State   RegistrationState `json:"state"`
	Reason  string            `json:"reason,omitempty"`
	Code    int               `json:"code,omitempty"`
	RetryIn time.Duration     `json:"retry_in_ns,omitempty"`
	Expires time.Duration     `json:"expires_ns,omitempty"`
	Contact string            `json:"contact,omitempty"`
}

// Name implements Event.
func (RegistrationEvent) Name() string { return "registration" }
func (RegistrationEvent) neverDrop()   {}

// Party is one end of a call as the user sees it.
type Party struct {
	DisplayName string `json:"display_name,omitempty"`
	// User is the number or user part (e.g. "0123456789", "alice").
	User string `json:"user,omitempty"`
	URI  string `json:"uri"`
}

// CallEvent is the common part of call events.
type CallEvent struct {
	Time   time.Time `json:"time"`
	CallID string    `json:"call_id"`
	// Call is the call handle, for commands (not serialised).
	Call *Call `json:"-"`
}

// CallIncomingEvent reports a new incoming call ringing.
type CallIncomingEvent struct {
	CallEvent
	From Party `json:"from"`
	To   Party `json:"to"`
	// Replaces is set when the INVITE replaces one of our calls (we are the
	// transfer target of an attended transfer, or a pickup).
	Replaces string `json:"replaces,omitempty"`
}

// Name implements Event.
func (CallIncomingEvent) Name() string { return "call.incoming" }
func (CallIncomingEvent) neverDrop()   {}

// CallProgressEvent reports 180/183 on an outgoing call.
type CallProgressEvent struct {
	CallEvent
	Code       int    `json:"code"`
	Reason     string `json:"reason"`
	EarlyMedia bool   `json:"early_media"`
}

// Name implements Event.
func (CallProgressEvent) Name() string { return "call.progress" }

// CallAnsweredEvent reports an established call.
type CallAnsweredEvent struct {
	CallEvent
	Remote Party  `json:"remote"`
	Codec  string `json:"codec"`
	// SRTP is true when the audio is encrypted.
	SRTP bool `json:"srtp,omitempty"`
}

// Name implements Event.
func (CallAnsweredEvent) Name() string { return "call.answered" }
func (CallAnsweredEvent) neverDrop()   {}

// CallHoldEvent reports a change of hold state (ours or the peer's).
type CallHoldEvent struct {
	CallEvent
	LocalHold  bool `json:"local_hold"`
	RemoteHold bool `json:"remote_hold"`
}

// Name implements Event.
func (CallHoldEvent) Name() string { return "call.hold" }
func (CallHoldEvent) neverDrop()   {}

// DTMFEvent reports a digit received: Via is "rfc4733", "info" (SIP
// INFO) or "inband" (a dual tone heard in the audio of a peer without
// telephone-event).
type DTMFEvent struct {
	CallEvent
	Digit string `json:"digit"`
	Via   string `json:"via"`
}

// Name implements Event.
func (DTMFEvent) Name() string { return "call.dtmf" }
func (DTMFEvent) neverDrop()   {}

// CallTransferEvent reports transfer progress: we asked a peer to call
// Target (blind or attended), or a peer asked us to.
type CallTransferEvent struct {
	CallEvent
	Target string `json:"target"`
	// State is "requested", "accepted", "succeeded" or "failed".
	State string `json:"state"`
	Code  int    `json:"code,omitempty"`
}

// Name implements Event.
func (CallTransferEvent) Name() string { return "call.transfer" }
func (CallTransferEvent) neverDrop()   {}

// CallForwardedEvent reports an incoming call we redirected (302) or
// refused by rule (486), for the call log.
type CallForwardedEvent struct {
	CallEvent
	From   Party  `json:"from"`
	Target string `json:"target,omitempty"`
	Code   int    `json:"code"`
}

// Name implements Event.
func (CallForwardedEvent) Name() string { return "call.forwarded" }
func (CallForwardedEvent) neverDrop()   {}

// EndReason says why a call ended, for user messages.
type EndReason string

// End reasons.
const (
	EndLocalHangup  EndReason = "local_hangup"
	EndRemoteHangup EndReason = "remote_hangup"
	EndCancelled    EndReason = "cancelled"
	EndBusy         EndReason = "busy"
	EndDeclined     EndReason = "declined"
	EndNotFound     EndReason = "not_found"
	EndUnavailable  EndReason = "unavailable"
	EndTimeout      EndReason = "timeout"
	EndRejected     EndReason = "rejected"
	EndNoMedia      EndReason = "no_media"
	EndNotSecure    EndReason = "not_secure"
	EndTransferred  EndReason = "transferred"
	EndForwarded    EndReason = "forwarded"
	EndReplaced     EndReason = "replaced"
	EndAnsweredElse EndReason = "answered_elsewhere"
	EndError        EndReason = "error"
	EndShutdown     EndReason = "shutdown"
)

// CallEndedEvent is the last event of every call.
type CallEndedEvent struct {
	CallEvent
	Reason EndReason `json:"reason"`
	// Code is the SIP status that ended the call, 0 when none.
	Code int `json:"code,omitempty"`
	// Message is a short English explanation (the UI translates Reason).
	Message  string        `json:"message,omitempty"`
	Duration time.Duration `json:"duration_ns"`
}

// Name implements Event.
func (CallEndedEvent) Name() string { return "call.ended" }
func (CallEndedEvent) neverDrop()   {}

// ProtocolErrorEvent reports a peer message we could not use; the affected
// operation ended cleanly.
type ProtocolErrorEvent struct {
	Time      time.Time `json:"time"`
	Operation string    `json:"operation"`
	Error     string    `json:"error"`
}

// Name implements Event.
func (ProtocolErrorEvent) Name() string { return "error" }
func (ProtocolErrorEvent) neverDrop()   {}

// MarshalEvent renders an event as one JSON object with its "type".
func MarshalEvent(ev Event) ([]byte, error) {
	raw, err := json.Marshal(ev)
	if err != nil {
		return nil, err
	}
	var fields map[string]any
	if err := json.Unmarshal(raw, &fields); err != nil {
		return nil, err
	}
	fields["type"] = ev.Name()
	return json.Marshal(fields)
}
