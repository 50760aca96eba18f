package softphone

import (
	"fmt"
	"net"
	"strconv"
	"strings"

	"github.com/ligne-app/ligne/media"
	"github.com/pion/sdp/v3"
)

// Direction is an SDP media direction attribute.
type Direction string

// SDP directions (RFC 3264).
const (
	SendRecv Direction = "sendrecv"
	SendOnly Direction = "sendonly"
	RecvOnly Direction = "recvonly"
	Inactive Direction = "inactive"
)

func directionOf(send, recv bool) Direction {
	switch {
	case send && recv:
		return SendRecv
	case send:
		return SendOnly
	case recv:
		return RecvOnly
	default:
		return Inactive
	}
}

// sends and receives report what the direction allows its author to do.
func (d Direction) sends() bool    { return d == SendRecv || d == SendOnly }
func (d Direction) receives() bool { return d == SendRecv || d == RecvOnly }

// localMedia is our side of an offer or answer.
type localMedia struct {
	ip      string
	port    int
	codecs  []media.Codec // preference order
	dtmfPT  uint8
	dir     Direction
	sessID  uint64
	version uint64
	srtp    srtpMode
	key     []byte // our SRTP master key and salt
}

// negotiated is the outcome of an offer/answer exchange.
type negotiated struct {
	remote *net.UDPAddr
	codec  media.Codec
	dtmfPT uint8
	// send and recv are what we may do; remoteDir is the peer's attribute.
	send, recv bool
	remoteDir  Direction
	keys       *srtpKeys // SRTP keys when the audio is encrypted
}

// params converts the outcome for media.Session.Configure.
func (n negotiated) params() media.Params {
	return media.Params{Remote: n.remote, Codec: n.codec, DTMFPayloadType: n.dtmfPT, Send: n.send, Recv: n.recv}
}

// marshal renders our media line with the given codecs and security.
func (l localMedia) marshal(codecs []media.Codec, dtmfPT uint8, dir Direction, sec mediaSecurity) ([]byte, error) {
	md := &sdp.MediaDescription{MediaName: sdp.MediaName{Media: "audio", Port: sdp.RangedPort{Value: l.port},
		Protos: sec.protos()}}
	for _, c := range codecs {
		md.MediaName.Formats = append(md.MediaName.Formats, strconv.Itoa(int(c.PayloadType)))
		md.WithValueAttribute("rtpmap", fmt.Sprintf("%d %s/%d", c.PayloadType, c.Name, c.ClockRate))
	}
	if dtmfPT != 0 {
		md.MediaName.Formats = append(md.MediaName.Formats, strconv.Itoa(int(dtmfPT)))
		md.WithValueAttribute("rtpmap", fmt.Sprintf("%d telephone-event/8000", dtmfPT))
		md.WithValueAttribute("fmtp", fmt.Sprintf("%d 0-16", dtmfPT))
	}
	md.WithValueAttribute("ptime", "20")
	if sec.crypto != nil {
		md.WithValueAttribute("crypto", sec.crypto.attribute())
	}
	md.WithPropertyAttribute(string(dir))
	s := &sdp.SessionDescription{
		Origin: sdp.Origin{Username: "ligne", SessionID: l.sessID, SessionVersion: l.version,
			NetworkType: "IN", AddressType: "IP4", UnicastAddress: l.ip},
		SessionName:           "Ligne",
		ConnectionInformation: &sdp.ConnectionInformation{NetworkType: "IN", AddressType: "IP4", Address: &sdp.Address{Address: l.ip}},
		TimeDescriptions:      []sdp.TimeDescription{{}},
		MediaDescriptions:     []*sdp.MediaDescription{md},
	}
	return s.Marshal()
}

// offer renders our offer: every codec we support plus telephone-event.
func (l localMedia) offer() ([]byte, error) {
	return l.marshal(l.codecs, l.dtmfPT, l.dir, l.offerSecurity())
}

// parseSDP parses a body and returns its first audio description.
func parseSDP(body []byte) (*sdp.SessionDescription, *sdp.MediaDescription, error) {
	var s sdp.SessionDescription
	if err := s.Unmarshal(body); err != nil {
		return nil, nil, fmt.Errorf("%w: sdp: %v", ErrMalformed, err)
	}
	for _, md := range s.MediaDescriptions {
		if md.MediaName.Media == "audio" && md.MediaName.Port.Value != 0 {
			return &s, md, nil
		}
	}
	return nil, nil, fmt.Errorf("%w: sdp has no active audio stream", ErrNoMedia)
}

// remoteDirection reads the direction attribute (media level first).
func remoteDirection(s *sdp.SessionDescription, md *sdp.MediaDescription) Direction {
	for _, d := range []Direction{SendOnly, RecvOnly, Inactive, SendRecv} {
		if _, ok := md.Attribute(string(d)); ok {
			return d
		}
	}
	for _, d := range []Direction{SendOnly, RecvOnly, Inactive} {
		if _, ok := s.Attribute(string(d)); ok {
			return d
		}
	}
	return SendRecv
}

// remoteAddr reads the RTP address (media-level connection first).
func remoteAddr(s *sdp.SessionDescription, md *sdp.MediaDescription) (*net.UDPAddr, error) {
	ci := md.ConnectionInformation
	if ci == nil {
		ci = s.ConnectionInformation
	}
	if ci == nil || ci.Address == nil {
		return nil, fmt.Errorf("%w: sdp without connection address", ErrMalformed)
	}
	ip := net.ParseIP(strings.TrimSpace(ci.Address.Address))
	if ip == nil || ip.IsMulticast() || ip.Equal(net.IPv4bcast) {
		return nil, fmt.Errorf("%w: sdp connection address %q", ErrMalformed, ci.Address.Address)
	}
	port := md.MediaName.Port.Value
	if port <= 0 || port > 65535 {
		return nil, fmt.Errorf("%w: sdp audio port %d", ErrMalformed, port)
	}
	return &net.UDPAddr{IP: ip, Port: port}, nil
}

// remoteCodecs lists the peer's formats in its order, with rtpmap names.
type remoteFormat struct {
	pt    uint8
	name  string
	clock int
}

func remoteFormats(md *sdp.MediaDescription) []remoteFormat {
	maps := map[uint8]remoteFormat{}
	for _, a := range md.Attributes {
		if a.Key != "rtpmap" {
			continue
		}
		var pt int
		var enc string
		if _, err := fmt.Sscanf(a.Value, "%d %s", &pt, &enc); err != nil || pt < 0 || pt > 127 {
			continue
		}
		parts := strings.Split(enc, "/")
		clock := 8000
		if len(parts) > 1 {
			clock, _ = strconv.Atoi(parts[1])
		}
		maps[uint8(pt)] = remoteFormat{pt: uint8(pt), name: parts[0], clock: clock}
	}
	var out []remoteFormat
	for _, f := range md.MediaName.Formats {
		pt, err := strconv.Atoi(f)
		if err != nil || pt < 0 || pt > 127 {
			continue
		}
		if rf, ok := maps[uint8(pt)]; ok {
			out = append(out, rf)
		} else if rf, ok := staticFormat(uint8(pt)); ok {
			out = append(out, rf)
		}
	}
	return out
}

// staticFormat knows the RFC 3551 static payload types we support.
func staticFormat(pt uint8) (remoteFormat, bool) {
	switch pt {
	case 0:
		return remoteFormat{pt: 0, name: "PCMU", clock: 8000}, true
	case 8:
		return remoteFormat{pt: 8, name: "PCMA", clock: 8000}, true
	case 9:
		return remoteFormat{pt: 9, name: "G722", clock: 8000}, true
	}
	return remoteFormat{}, false
}
