package media

// PacketCrypto protects RTP and RTCP packets on the wire: SRTP, whose keys
// the SIP engine negotiates (SDES). A session with Params.Crypto set sends
// only protected packets and drops every received packet that does not
// authenticate. Protect and Unprotect append the result to dst.
type PacketCrypto interface {
	ProtectRTP(dst, pkt []byte) ([]byte, error)
	UnprotectRTP(dst, pkt []byte) ([]byte, error)
	ProtectRTCP(dst, pkt []byte) ([]byte, error)
	UnprotectRTCP(dst, pkt []byte) ([]byte, error)
}

// packetCrypto returns the negotiated packet protection (nil: plain RTP).
func (s *Session) packetCrypto() PacketCrypto {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.params.Crypto
}

// unprotect returns pkt as received in clear, or false when it must be
// dropped (it does not authenticate under the negotiated keys).
func unprotect(c PacketCrypto, dst, pkt []byte, rtcp bool) ([]byte, bool) {
	if c == nil {
		return pkt, true
	}
	var out []byte
	var err error
	if rtcp {
		out, err = c.UnprotectRTCP(dst[:0], pkt)
	} else {
		out, err = c.UnprotectRTP(dst[:0], pkt)
	}
	return out, err == nil
}

// protect returns the packet to put on the wire.
func protect(c PacketCrypto, dst, pkt []byte, rtcp bool) ([]byte, error) {
	if c == nil {
		return pkt, nil
	}
	if rtcp {
		return c.ProtectRTCP(dst[:0], pkt)
	}
	return c.ProtectRTP(dst[:0], pkt)
}
