package ui

import (
	"context"

	"github.com/ligne-app/ligne/selfcare"
)

// RegState is the registration state shown in the softphone panel.
type RegState int

// Registration states.
const (
	RegDemo        RegState = iota // the demo workspace: no line
	RegOffline                     // not started
	RegRegistering                 // a REGISTER is under way
	RegRegistered                  // ready to call
	RegFailed                      // failed with Reason; retrying in Retry
)

// PhoneStatus is what the panel shows about the line.
type PhoneStatus struct {
	State  RegState
	Reason string // why registration failed, in the user's words when possible
	Retry  int    // seconds until the next attempt, 0 when none is planned
}

// Phone is the softphone engine as the window sees it.
type Phone interface {
	// Status returns the current registration status.
	Status() PhoneStatus
	// Watch calls fn from any goroutine at every status change until stop.
	Watch(fn func(PhoneStatus)) (stop func())
	// Dial places a call to a canonical number or SIP URI.
	Dial(ctx context.Context, number string) error
}

// NoPhone is the phone of the demo workspace: no line, no calls.
type NoPhone struct{}

// Status reports the demo state.
func (NoPhone) Status() PhoneStatus { return PhoneStatus{State: RegDemo} }

// Watch never calls fn.
func (NoPhone) Watch(func(PhoneStatus)) func() { return func() {} }

// Dial refuses: the demo workspace has no line.
func (NoPhone) Dial(context.Context, string) error {
	return selfcare.Errorf(selfcare.CodeNoAccount, "")
}
