package faultnet

import (
	"bytes"
	"fmt"
	"net"
	"regexp"
	"strconv"
	"sync"
)

// MediaALG is a SIP "application layer gateway", as in home routers: used
// as the Tap of a UDP relay carrying SIP, it gives every audio stream an
// SDP announces its own relay pair (RTP on an even port, RTCP above) and
// rewrites the SDP to point there. The test then controls the media path
// with SetMode, as it controls the signalling with the SIP relay.
type MediaALG struct {
	mu     sync.Mutex
	relays map[string][2]*UDP // by announced RTP address
	mode   Mode
	tap    Tap
	closed bool
}

// NewMediaALG returns an ALG with no stream yet.
func NewMediaALG() *MediaALG { return &MediaALG{relays: map[string][2]*UDP{}} }

var (
	sdpConn  = regexp.MustCompile(`(?m)^c=IN IP4 ([0-9.]+)`)
	sdpAudio = regexp.MustCompile(`(?m)^m=audio ([0-9]+) `)
	sipCLen  = regexp.MustCompile(`(?mi)^(?:Content-Length|l)[ \t]*:[ \t]*([0-9]+)`)
)

// Tap rewrites the SDP of a SIP message; other datagrams pass unchanged.
func (a *MediaALG) Tap(_ Direction, b []byte) []byte {
	head, body, ok := bytes.Cut(b, []byte("\r\n\r\n"))
	if !ok || !sdpAudio.Match(body) {
		return b
	}
	nb, err := a.rewrite(body)
	if err != nil {
		return b
	}
	head = replaceGroup(sipCLen, head, strconv.Itoa(len(nb)))
	return append(append(head, "\r\n\r\n"...), nb...)
}

// rewrite points the SDP's audio at its relay.
func (a *MediaALG) rewrite(body []byte) ([]byte, error) {
	cm := sdpConn.FindSubmatch(body)
	am := sdpAudio.FindSubmatch(body)
	if cm == nil || am == nil || string(cm[1]) == "0.0.0.0" || string(am[1]) == "0" {
		return nil, fmt.Errorf("no audio address")
	}
	pair, err := a.relayFor(net.JoinHostPort(string(cm[1]), string(am[1])))
	if err != nil {
		return nil, err
	}
	port := strconv.Itoa(pair[0].Addr().Port)
	body = replaceGroup(sdpConn, body, "127.0.0.1")
	return replaceGroup(sdpAudio, body, port), nil
}

// replaceGroup replaces the first group of every match of re by v.
func replaceGroup(re *regexp.Regexp, b []byte, v string) []byte {
	var out []byte
	last := 0
	for _, m := range re.FindAllSubmatchIndex(b, -1) {
		out = append(append(out, b[last:m[2]]...), v...)
		last = m[3]
	}
	return append(out, b[last:]...)
}

// relayFor returns the relay pair of an RTP address, opening it once.
func (a *MediaALG) relayFor(rtp string) ([2]*UDP, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.closed {
		return [2]*UDP{}, fmt.Errorf("faultnet: alg closed")
	}
	if p, ok := a.relays[rtp]; ok {
		return p, nil
	}
	p, err := relayPair(rtp)
	if err != nil {
		return p, err
	}
	for _, r := range p {
		r.SetMode(a.mode)
		r.SetTap(a.tap)
	}
	a.relays[rtp] = p
	return p, nil
}

// relayPair opens an RTP relay on a free even port and RTCP's above it.
func relayPair(rtp string) ([2]*UDP, error) {
	ua, err := net.ResolveUDPAddr("udp", rtp)
	if err != nil {
		return [2]*UDP{}, err
	}
	rtcp := net.JoinHostPort(ua.IP.String(), strconv.Itoa(ua.Port+1))
	for range 100 {
		r, err := ListenUDP(rtp)
		if err != nil {
			return [2]*UDP{}, err
		}
		if port := r.Addr().Port; port%2 == 0 {
			if c, err := ListenUDPAt("127.0.0.1:"+strconv.Itoa(port+1), rtcp); err == nil {
				return [2]*UDP{r, c}, nil
			}
		}
		r.Close()
	}
	return [2]*UDP{}, fmt.Errorf("faultnet: no free even port pair")
}

// SetMode applies a mode to every media relay, present and future.
func (a *MediaALG) SetMode(m Mode) {
	a.mu.Lock()
	a.mode = m
	relays := a.all()
	a.mu.Unlock()
	for _, r := range relays {
		r.SetMode(m)
	}
}

// SetMediaTap installs a tap on every media relay, present and future.
func (a *MediaALG) SetMediaTap(t Tap) {
	a.mu.Lock()
	a.tap = t
	relays := a.all()
	a.mu.Unlock()
	for _, r := range relays {
		r.SetTap(t)
	}
}

// Relays returns the RTP relays opened so far.
func (a *MediaALG) Relays() []*UDP {
	a.mu.Lock()
	defer a.mu.Unlock()
	var out []*UDP
	for _, p := range a.relays {
		out = append(out, p[0])
	}
	return out
}

// all lists every relay (called with mu held).
func (a *MediaALG) all() []*UDP {
	var out []*UDP
	for _, p := range a.relays {
		out = append(out, p[0], p[1])
	}
	return out
}

// Close stops every media relay.
func (a *MediaALG) Close() {
	a.mu.Lock()
	a.closed = true
	relays := a.all()
	a.relays = map[string][2]*UDP{}
	a.mu.Unlock()
	for _, r := range relays {
		r.Close()
	}
}
