// Package selfcare is Ligne's domain: the settings of the operator's user guide
// (lines, presented number, function keys, forwarding, voicemail, call log,
// consumption, contacts, documentation, Dialog), the organization profile that
// the administrator owns, the rules between them, and the service interfaces
// the store implements.
//
// It imports only the standard library. Every rule violation is an *Error
// with a stable Code and a French and English message (see messages.go).
package selfcare
