// Package softphone is Ligne's SIP user agent, built on sipgo and pion/sdp.
//
// A Phone runs one Account: it registers (digest MD5 or SHA-256 on 401 and
// 407, UDP/TCP/TLS, refresh, backoff, keep-alives, re-registration after a
// network change or a sleep), places and receives calls whose audio flows
// through media.Session, holds, resumes, transfers, and subscribes to
// colleagues' dialog state (BLF) and to message-waiting (MWI).
//
// The package has no UI dependency. Commands are methods taking a context;
// everything that happens is reported as typed events on per-subscriber
// channels (Phone.Subscribe). Terminal events (a call ended, a registration
// failed) are never dropped, even for a slow subscriber.
//
// Files are grouped by prefix as in sipgo: register_*.go (registration),
// call_*.go (dialogs and calls), subscribe_*.go (BLF, MWI), sdp_*.go (offer
// and answer), event_*.go, trace.go.
package softphone
