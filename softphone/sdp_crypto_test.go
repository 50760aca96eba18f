package softphone

import (
	"bytes"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
)

// srtpLocal is testLocal with an SRTP mode and a fixed key.
func srtpLocal(mode srtpMode) localMedia {
	l := testLocal(SendRecv)
	l.srtp, l.key = mode, bytes.Repeat([]byte{7}, srtpKeyLen)
	return l
}

var peerKey = bytes.Repeat([]byte{9}, srtpKeyLen)

// withCrypto turns baresipOffer into an SRTP offer with proto and tag.
func withCrypto(proto string, tag string) string {
	o := strings.Replace(baresipOffer, "RTP/AVP", proto, 1)
	return o + "a=crypto:" + tag + " AES_CM_128_HMAC_SHA1_80 inline:" + base64.StdEncoding.EncodeToString(peerKey) + "|2^31\r\n"
}

func TestOffersCarrySRTPAsThePolicySays(t *testing.T) {
	for _, tc := range []struct {
		acct  Account
		proto string
		key   bool
	}{
		{Account{Transport: TransportUDP}, "RTP/AVP", false},
		{Account{Transport: TransportTCP}, "RTP/AVP", false},
		{Account{Transport: TransportTLS}, "RTP/AVP", true},
		{Account{Transport: TransportTLS, SRTP: SRTPOff}, "RTP/AVP", false},
		{Account{Transport: TransportTLS, SRTP: SRTPRequired}, "RTP/SAVP", true},
		{Account{Transport: TransportUDP, SRTP: SRTPRequired}, "RTP/SAVP", true},
	} {
		l := srtpLocal(srtpModeOf(tc.acct))
		body, err := l.offer()
		if err != nil {
			t.Fatal(err)
		}
		s := string(body)
		hasKey := strings.Contains(s, "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:"+base64.StdEncoding.EncodeToString(l.key))
		if !strings.Contains(s, "m=audio 40000 "+tc.proto+" ") || hasKey != tc.key {
			t.Errorf("%s account, srtp %q: offer\n%s\nwant %s, key %v", tc.acct.Transport, tc.acct.SRTP, s, tc.proto, tc.key)
		}
	}
}

func TestAnswerAcceptsAnSRTPOfferWithItsTag(t *testing.T) {
	for _, proto := range []string{"RTP/SAVP", "RTP/AVP"} {
		body, n, err := answerOffer([]byte(withCrypto(proto, "5")), srtpLocal(srtpNone), false)
		if err != nil {
			t.Fatalf("%s offer: %v", proto, err)
		}
		s := string(body)
		if !strings.Contains(s, "m=audio 40000 "+proto+" ") || !strings.Contains(s, "a=crypto:5 AES_CM_128_HMAC_SHA1_80 inline:") {
			t.Errorf("answer to an %s SRTP offer:\n%s", proto, s)
		}
		if n.keys == nil || !bytes.Equal(n.keys.remote, peerKey) || !bytes.Equal(n.keys.local, srtpLocal(srtpNone).key) {
			t.Errorf("negotiated keys %+v", n.keys)
		}
	}
}

func TestAnswerRefusesWhatCannotBeEncrypted(t *testing.T) {
	unsupported := strings.Replace(withCrypto("RTP/SAVP", "1"), "AES_CM_128_HMAC_SHA1_80", "AEAD_AES_256_GCM", 1)
	withMKI := strings.Replace(withCrypto("RTP/SAVP", "1"), "|2^31", "|2^31|1:4", 1)
	for _, tc := range []struct {
		name, offer string
		mode        srtpMode
		want        error
	}{
		{"SAVP without a key", strings.Replace(baresipOffer, "RTP/AVP", "RTP/SAVP", 1), srtpNone, ErrNoMedia},
		{"SAVP with an unsupported suite", unsupported, srtpNone, ErrNoMedia},
		{"SAVP with an MKI", withMKI, srtpNone, ErrNoMedia},
		{"DTLS-SRTP", strings.Replace(baresipOffer, "RTP/AVP", "UDP/TLS/RTP/SAVP", 1), srtpNone, ErrNoMedia},
		{"clear offer when SRTP is required", baresipOffer, srtpRequire, ErrNotSecure},
	} {
		if _, _, err := answerOffer([]byte(tc.offer), srtpLocal(tc.mode), false); !errors.Is(err, tc.want) {
			t.Errorf("%s: err %v, want %v", tc.name, err, tc.want)
		}
	}
}

func TestAnswerToOurOfferDecidesEncryption(t *testing.T) {
	answer := func(proto, tag string) []byte { return []byte(withCrypto(proto, tag)) }
	if n, err := applyAnswer(answer("RTP/AVP", "1"), srtpLocal(srtpOffer)); err != nil || n.keys == nil {
		t.Fatalf("key answered to our offer: %+v %v", n.keys, err)
	}
	if n, err := applyAnswer([]byte(baresipOffer), srtpLocal(srtpOffer)); err != nil || n.keys != nil {
		t.Fatalf("clear answer to an optional offer must fall back to RTP: %+v %v", n.keys, err)
	}
	if _, err := applyAnswer([]byte(baresipOffer), srtpLocal(srtpRequire)); !errors.Is(err, ErrNotSecure) {
		t.Fatalf("clear answer when SRTP is required: %v", err)
	}
	if _, err := applyAnswer(answer("RTP/SAVP", "2"), srtpLocal(srtpRequire)); !errors.Is(err, ErrNotSecure) {
		t.Fatalf("answer with a tag we never offered: %v", err)
	}
}

func TestParseCryptoRejectsBadKeys(t *testing.T) {
	good := base64.StdEncoding.EncodeToString(peerKey)
	for _, v := range []string{
		"1 AES_CM_128_HMAC_SHA1_32 inline:" + good,
		"1 AES_CM_128_HMAC_SHA1_80 inline:" + good[:20],
		"1 AES_CM_128_HMAC_SHA1_80 inline:!!!" + good[3:],
		"x AES_CM_128_HMAC_SHA1_80 inline:" + good,
		"1 AES_CM_128_HMAC_SHA1_80 key:" + good,
		"1 AES_CM_128_HMAC_SHA1_80 inline:" + good + " UNENCRYPTED_SRTP",
		"",
	} {
		if c, ok := parseCrypto(v); ok {
			t.Errorf("accepted %q as %+v", v, c)
		}
	}
	if c, ok := parseCrypto("7 AES_CM_128_HMAC_SHA1_80 inline:" + good + "|2^20"); !ok || c.tag != 7 {
		t.Errorf("lifetime parameter refused: %+v %v", c, ok)
	}
}

func TestSRTPCryptoRoundTripAndTamper(t *testing.T) {
	a, err := newSRTPCrypto(srtpKeys{local: peerKey, remote: srtpLocal(srtpNone).key})
	if err != nil {
		t.Fatal(err)
	}
	b, err := newSRTPCrypto(srtpKeys{local: srtpLocal(srtpNone).key, remote: peerKey})
	if err != nil {
		t.Fatal(err)
	}
	plain := append([]byte{0x80, 0, 0, 1, 0, 0, 0, 160, 1, 2, 3, 4}, bytes.Repeat([]byte{0xd5}, 160)...)
	wire, err := a.ProtectRTP(nil, plain)
	if err != nil {
		t.Fatal(err)
	}
	if len(wire) != len(plain)+10 || bytes.Equal(wire[12:172], plain[12:]) {
		t.Fatalf("protected packet is %d bytes, payload in clear: %v", len(wire), bytes.Equal(wire[12:172], plain[12:]))
	}
	got, err := b.UnprotectRTP(nil, wire)
	if err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("unprotect: %v", err)
	}
	if _, err := b.UnprotectRTP(nil, wire); err == nil {
		t.Fatal("a replayed packet was accepted")
	}
	wire2, _ := a.ProtectRTP(nil, append(append([]byte{}, plain[:3]...), append([]byte{2}, plain[4:]...)...))
	wire2[20] ^= 1
	if _, err := b.UnprotectRTP(nil, wire2); err == nil {
		t.Fatal("a tampered packet was accepted")
	}
	if _, err := b.UnprotectRTP(nil, plain); err == nil {
		t.Fatal("a packet in clear was accepted")
	}
}
