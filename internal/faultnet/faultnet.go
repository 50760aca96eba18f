// Package faultnet puts a relay under test control between a program and
// the server it talks to, on loopback: the test points the program at the
// relay, then makes the network lose every packet, delay them, cut the
// connections, or behave again. UDP (SIP, RTP) and TCP (SIP over TCP or
// TLS) relays share the same controls.
//
// It exists for fault tests (internal/faulttest, softphone): the registrar
// that disappears, the media path that goes silent, the peer that
// vanishes. It never touches the real network: relays listen on
// 127.0.0.1.
package faultnet

import (
	"sync"
	"sync/atomic"
	"time"
)

// Mode is what a relay does with the traffic.
type Mode int

// Relay modes.
const (
	// Pass forwards everything, after the configured delay.
	Pass Mode = iota
	// Drop loses every packet both ways, like a cable pulled out: UDP
	// datagrams vanish, TCP connections stay open but carry nothing.
	Drop
	// Cut drops UDP and forgets its address bindings (as a NAT that lost
	// its state), and resets TCP connections and refuses new ones.
	Cut
)

// String names the mode.
func (m Mode) String() string {
	switch m {
	case Pass:
		return "pass"
	case Drop:
		return "drop"
	case Cut:
		return "cut"
	}
	return "unknown"
}

// Direction is the way a packet travels through the relay.
type Direction int

// Directions.
const (
	ToServer Direction = iota // from the program to the server
	ToClient                  // from the server back to the program
)

// Stats counts packets (UDP) or reads (TCP) per direction.
type Stats struct {
	Forwarded [2]uint64
	Dropped   [2]uint64
}

// Tap sees each datagram a UDP relay forwards and may rewrite it; it
// returns the bytes to forward, or nil to drop the datagram. It runs on
// the relay's goroutines and must not block.
type Tap func(dir Direction, b []byte) []byte

// Watch sees each datagram that reaches a UDP relay, with whether it is
// forwarded; it must not keep b nor block.
type Watch func(dir Direction, b []byte, forwarded bool)

// control is the state every relay shares: mode, delay, counters and the
// waiters of a mode change.
type control struct {
	mu      sync.Mutex
	mode    Mode
	delay   time.Duration
	changed chan struct{} // closed and replaced at each change
	fwd     [2]atomic.Uint64
	drop    [2]atomic.Uint64
}

func newControl() *control { return &control{changed: make(chan struct{})} }

func (c *control) set(m Mode, d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.mode, c.delay = m, d
	close(c.changed)
	c.changed = make(chan struct{})
}

// state returns the mode, the delay and a channel closed at the next change.
func (c *control) state() (Mode, time.Duration, <-chan struct{}) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.mode, c.delay, c.changed
}

func (c *control) stats() Stats {
	var s Stats
	for d := range 2 {
		s.Forwarded[d], s.Dropped[d] = c.fwd[d].Load(), c.drop[d].Load()
	}
	return s
}

func (c *control) count(dir Direction, forwarded bool) {
	if forwarded {
		c.fwd[dir].Add(1)
	} else {
		c.drop[dir].Add(1)
	}
}
