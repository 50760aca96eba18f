// Package engine wires Ligne's store to its SIP engine: it maps the stored
// account (with its keyring password and presented number) onto a
// softphone.Account, records every call in the call log, and is where the
// forwarding rules and the local voicemail plug into incoming calls.
package engine
