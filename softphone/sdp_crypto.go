package softphone

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/pion/sdp/v3"
	"github.com/pion/srtp/v3"
)

// SRTPPolicy is what an account does about encrypted audio (SRTP with
// SDES keys, RFC 4568).
type SRTPPolicy string

// SRTP policies. The zero value offers SRTP on TLS accounts only: SDES
// keys travel in the SDP, so they are only worth sending over TLS.
const (
	// SRTPAuto offers SRTP on TLS accounts (RTP/AVP with a=crypto, so a
	// peer without SRTP still answers in clear) and never on UDP or TCP.
	SRTPAuto SRTPPolicy = ""
	// SRTPRequired offers RTP/SAVP only and refuses any call whose audio
	// would not be encrypted.
	SRTPRequired SRTPPolicy = "required"
	// SRTPOff never offers SRTP (it is still accepted when a peer offers it).
	SRTPOff SRTPPolicy = "off"
)

// srtpSuite is the only SDES crypto suite Ligne offers and accepts.
const srtpSuite = "AES_CM_128_HMAC_SHA1_80"

// srtpKeyLen is the inline key length: a 16-byte master key and a 14-byte
// master salt.
const srtpKeyLen = 30

// cryptoLine is one a=crypto attribute we can use.
type cryptoLine struct {
	tag int
	key []byte // master key || master salt
}

// newSRTPKey draws a fresh master key and salt.
func newSRTPKey() []byte {
	k := make([]byte, srtpKeyLen)
	_, _ = rand.Read(k)
	return k
}

// attribute renders the line as an SDP a=crypto value.
func (c cryptoLine) attribute() string {
	return fmt.Sprintf("%d %s inline:%s", c.tag, srtpSuite, base64.StdEncoding.EncodeToString(c.key))
}

// parseCrypto reads one a=crypto value; ok is false for a suite or key
// parameters Ligne does not support (MKI, session parameters).
func parseCrypto(v string) (cryptoLine, bool) {
	f := strings.Fields(v)
	if len(f) != 3 || !strings.EqualFold(f[1], srtpSuite) || !strings.HasPrefix(f[2], "inline:") {
		return cryptoLine{}, false
	}
	tag, err := strconv.Atoi(f[0])
	if err != nil || tag < 0 || tag > 999999999 {
		return cryptoLine{}, false
	}
	inline := strings.TrimPrefix(f[2], "inline:")
	keyPart, lifetime, _ := strings.Cut(inline, "|")
	if strings.Contains(lifetime, ":") || strings.Contains(lifetime, "|") {
		return cryptoLine{}, false // an MKI
	}
	key, err := base64.StdEncoding.DecodeString(keyPart)
	if err != nil {
		key, err = base64.RawStdEncoding.DecodeString(keyPart)
	}
	if err != nil || len(key) != srtpKeyLen {
		return cryptoLine{}, false
	}
	return cryptoLine{tag: tag, key: key}, true
}

// remoteCrypto returns the first usable a=crypto of a media description.
func remoteCrypto(md *sdp.MediaDescription) (cryptoLine, bool) {
	for _, a := range md.Attributes {
		if a.Key != "crypto" {
			continue
		}
		if c, ok := parseCrypto(a.Value); ok {
			return c, true
		}
	}
	return cryptoLine{}, false
}

// isSAVP reports an RTP/SAVP (or SAVPF) media line.
func isSAVP(protos []string) bool {
	p := strings.Join(protos, "/")
	return p == "RTP/SAVP" || p == "RTP/SAVPF"
}

// isPlainRTP reports an RTP/AVP (or AVPF) media line.
func isPlainRTP(protos []string) bool {
	p := strings.Join(protos, "/")
	return p == "RTP/AVP" || p == "RTP/AVPF"
}

// srtpKeys are the two master keys of an SRTP call.
type srtpKeys struct {
	local, remote []byte
}

func (k *srtpKeys) same(o *srtpKeys) bool {
	return k != nil && o != nil && bytes.Equal(k.local, o.local) && bytes.Equal(k.remote, o.remote)
}

// srtpCrypto implements media.PacketCrypto with pion/srtp: one context per
// direction, each behind its own lock (the send and receive paths run on
// different goroutines).
type srtpCrypto struct {
	keys  srtpKeys
	outMu sync.Mutex
	out   *srtp.Context
	inMu  sync.Mutex
	in    *srtp.Context
}

// newSRTPCrypto builds the contexts of a negotiated key pair; received
// packets get replay protection.
func newSRTPCrypto(k srtpKeys) (*srtpCrypto, error) {
	profile := srtp.ProtectionProfileAes128CmHmacSha1_80
	out, err := srtp.CreateContext(k.local[:16], k.local[16:], profile)
	if err != nil {
		return nil, fmt.Errorf("srtp send context: %w", err)
	}
	in, err := srtp.CreateContext(k.remote[:16], k.remote[16:], profile,
		srtp.SRTPReplayProtection(128), srtp.SRTCPReplayProtection(128))
	if err != nil {
		return nil, fmt.Errorf("srtp receive context: %w", err)
	}
	return &srtpCrypto{keys: k, out: out, in: in}, nil
}

// ProtectRTP encrypts and authenticates an RTP packet.
func (s *srtpCrypto) ProtectRTP(dst, pkt []byte) ([]byte, error) {
	s.outMu.Lock()
	defer s.outMu.Unlock()
	return s.out.EncryptRTP(dst, pkt, nil)
}

// UnprotectRTP authenticates and decrypts an SRTP packet.
func (s *srtpCrypto) UnprotectRTP(dst, pkt []byte) ([]byte, error) {
	s.inMu.Lock()
	defer s.inMu.Unlock()
	return s.in.DecryptRTP(dst, pkt, nil)
}

// ProtectRTCP encrypts and authenticates an RTCP compound packet.
func (s *srtpCrypto) ProtectRTCP(dst, pkt []byte) ([]byte, error) {
	s.outMu.Lock()
	defer s.outMu.Unlock()
	return s.out.EncryptRTCP(dst, pkt, nil)
}

// UnprotectRTCP authenticates and decrypts an SRTCP packet.
func (s *srtpCrypto) UnprotectRTCP(dst, pkt []byte) ([]byte, error) {
	s.inMu.Lock()
	defer s.inMu.Unlock()
	return s.in.DecryptRTCP(dst, pkt, nil)
}

// srtpMode is the SRTP behaviour of one call, from the account's policy
// and transport.
type srtpMode int

const (
	srtpNone    srtpMode = iota // plain RTP/AVP offers
	srtpOffer                   // RTP/AVP with a=crypto: SRTP when the peer answers with a key
	srtpRequire                 // RTP/SAVP only
)

// srtpModeOf applies the account's policy to its transport.
func srtpModeOf(a Account) srtpMode {
	switch {
	case a.SRTP == SRTPRequired:
		return srtpRequire
	case a.SRTP == SRTPAuto && a.Transport == TransportTLS:
		return srtpOffer
	}
	return srtpNone
}

// mediaSecurity is the transport profile and key of one SDP we render.
type mediaSecurity struct {
	savp   bool
	crypto *cryptoLine
}

// protos is the media line's transport protocol.
func (m mediaSecurity) protos() []string {
	if m.savp {
		return []string{"RTP", "SAVP"}
	}
	return []string{"RTP", "AVP"}
}

// offerSecurity is what our offers carry.
func (l localMedia) offerSecurity() mediaSecurity {
	if l.srtp == srtpNone || len(l.key) != srtpKeyLen {
		return mediaSecurity{}
	}
	return mediaSecurity{savp: l.srtp == srtpRequire, crypto: &cryptoLine{tag: 1, key: l.key}}
}

// answerSecurity decides the security of our answer to a peer's media
// line: SRTP when it offers a key we can use, refused when it offers
// RTP/SAVP with no usable key or when we require SRTP and it offers none.
func (l localMedia) answerSecurity(md *sdp.MediaDescription) (mediaSecurity, *srtpKeys, error) {
	savp, plain := isSAVP(md.MediaName.Protos), isPlainRTP(md.MediaName.Protos)
	if !savp && !plain {
		return mediaSecurity{}, nil, fmt.Errorf("%w: transport %v", ErrNoMedia, md.MediaName.Protos)
	}
	rc, has := remoteCrypto(md)
	switch {
	case savp && !has:
		return mediaSecurity{}, nil, fmt.Errorf("%w: no %s key in the offer", ErrNoMedia, srtpSuite)
	case !has && l.srtp == srtpRequire:
		return mediaSecurity{}, nil, fmt.Errorf("%w: the offer has no SRTP key", ErrNotSecure)
	case !has:
		return mediaSecurity{}, nil, nil
	}
	return mediaSecurity{savp: savp, crypto: &cryptoLine{tag: rc.tag, key: l.key}},
		&srtpKeys{local: l.key, remote: rc.key}, nil
}

// answeredSecurity reads the peer's answer to our offer: the keys when it
// accepted SRTP, an error when we require SRTP and it declined.
func (l localMedia) answeredSecurity(md *sdp.MediaDescription) (*srtpKeys, error) {
	offered := l.offerSecurity()
	rc, has := remoteCrypto(md)
	if offered.crypto != nil && has && rc.tag == offered.crypto.tag {
		return &srtpKeys{local: l.key, remote: rc.key}, nil
	}
	if l.srtp == srtpRequire {
		return nil, fmt.Errorf("%w: the answer has no SRTP key", ErrNotSecure)
	}
	if isSAVP(md.MediaName.Protos) {
		return nil, fmt.Errorf("%w: RTP/SAVP answer without a usable key", ErrNoMedia)
	}
	return nil, nil
}

// mediaEndReason is the end reason of a call whose media could not be
// negotiated.
func mediaEndReason(err error) EndReason {
	if errors.Is(err, ErrNotSecure) {
		return EndNotSecure
	}
	return EndNoMedia
}
