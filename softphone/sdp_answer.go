package softphone

import (
	"fmt"
	"strings"

	"github.com/ligne-app/ligne/media"
)

// matchCodec returns our codec for a remote format, with the remote's
// payload type.
func matchCodec(ours []media.Codec, f remoteFormat) (media.Codec, bool) {
	for _, c := range ours {
		if strings.EqualFold(c.Name, f.name) && c.ClockRate == f.clock {
			c.PayloadType = f.pt
			return c, true
		}
	}
	return media.Codec{}, false
}

// pickFormats returns the first common audio codec (in the remote's order)
// and the remote's telephone-event payload type (0 if none).
func pickFormats(ours []media.Codec, formats []remoteFormat) (media.Codec, uint8, bool) {
	var codec media.Codec
	found := false
	var dtmf uint8
	for _, f := range formats {
		if strings.EqualFold(f.name, "telephone-event") && f.clock == 8000 && dtmf == 0 {
			dtmf = f.pt
			continue
		}
		if c, ok := matchCodec(ours, f); ok && !found {
			codec, found = c, true
		}
	}
	return codec, dtmf, found
}

// answerOffer answers a peer's offer. localHold puts our side on hold
// (we stop receiving). ErrNoMedia means 488 Not Acceptable Here.
func answerOffer(offer []byte, l localMedia, localHold bool) ([]byte, negotiated, error) {
	s, md, err := parseSDP(offer)
	if err != nil {
		return nil, negotiated{}, err
	}
	addr, err := remoteAddr(s, md)
	if err != nil {
		return nil, negotiated{}, err
	}
	sec, keys, err := l.answerSecurity(md)
	if err != nil {
		return nil, negotiated{}, err
	}
	codec, dtmf, ok := pickFormats(l.codecs, remoteFormats(md))
	if !ok {
		return nil, negotiated{}, fmt.Errorf("%w: no common codec", ErrNoMedia)
	}
	rdir := remoteDirection(s, md)
	if addr.IP.IsUnspecified() {
		rdir = holdOf(rdir) // RFC 2543 hold: c=0.0.0.0
	}
	n := negotiated{remote: addr, codec: codec, dtmfPT: dtmf, remoteDir: rdir,
		send: rdir.receives(), recv: rdir.sends() && !localHold, keys: keys}
	body, err := l.marshal([]media.Codec{codec}, dtmf, directionOf(n.send, n.recv), sec)
	return body, n, err
}

// holdOf is the direction a peer that stops receiving really means.
func holdOf(d Direction) Direction {
	if d.sends() {
		return SendOnly
	}
	return Inactive
}

// applyAnswer reads the peer's answer to our offer.
func applyAnswer(answer []byte, l localMedia) (negotiated, error) {
	s, md, err := parseSDP(answer)
	if err != nil {
		return negotiated{}, err
	}
	addr, err := remoteAddr(s, md)
	if err != nil {
		return negotiated{}, err
	}
	codec, dtmf, ok := pickFormats(l.codecs, remoteFormats(md))
	if !ok {
		return negotiated{}, fmt.Errorf("%w: answer has none of our codecs", ErrNoMedia)
	}
	keys, err := l.answeredSecurity(md)
	if err != nil {
		return negotiated{}, err
	}
	rdir := remoteDirection(s, md)
	if addr.IP.IsUnspecified() {
		rdir = holdOf(rdir)
	}
	return negotiated{remote: addr, codec: codec, dtmfPT: dtmf, remoteDir: rdir, keys: keys,
		send: l.dir.sends() && rdir.receives(), recv: l.dir.receives() && rdir.sends()}, nil
}
