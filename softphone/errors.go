package softphone

import (
	"errors"
	"fmt"
)

// Sentinel errors. Wrapped errors keep the operation; test with errors.Is.
var (
	// ErrClosed means the phone was shut down.
	ErrClosed = errors.New("softphone: closed")
	// ErrNotStarted means Start was not called.
	ErrNotStarted = errors.New("softphone: not started")
	// ErrInvalidAccount means the account cannot be used as configured.
	ErrInvalidAccount = errors.New("softphone: invalid account")
	// ErrAuthFailed means the server refused our credentials.
	ErrAuthFailed = errors.New("softphone: authentication failed")
	// ErrTimeout means the server did not answer in time.
	ErrTimeout = errors.New("softphone: no answer from server")
	// ErrCallEnded means the call is over.
	ErrCallEnded = errors.New("softphone: call ended")
	// ErrCallState means the command does not fit the call's state.
	ErrCallState = errors.New("softphone: wrong call state")
	// ErrNoMedia means no compatible codec could be negotiated (488).
	ErrNoMedia = errors.New("softphone: no acceptable media")
	// ErrBadTarget means a number or URI could not be understood.
	ErrBadTarget = errors.New("softphone: bad target")
	// ErrMalformed means the peer sent a message we cannot use.
	ErrMalformed = errors.New("softphone: malformed message")
	// ErrNotSecure means the account requires encrypted audio (SRTP) and
	// the peer does not offer or accept it (488).
	ErrNotSecure = errors.New("softphone: the other side does not encrypt the audio (SRTP), which this account requires")
)

// StatusError is a final SIP failure answer to one of our requests.
type StatusError struct {
	Method string
	Code   int
	Reason string
}

// Error renders "METHOD answered CODE REASON".
func (e *StatusError) Error() string {
	return fmt.Sprintf("%s answered %d %s", e.Method, e.Code, e.Reason)
}
