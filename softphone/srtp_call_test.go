package softphone

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ligne-app/ligne/internal/faultnet"
	"github.com/ligne-app/ligne/internal/peers"
	"github.com/pion/rtp"
	"github.com/pion/srtp/v3"
)

// wireCapture keeps the RTP packets a media relay forwarded towards the
// callee's address.
type wireCapture struct {
	mu      sync.Mutex
	packets [][]byte
}

func (w *wireCapture) tap(dir faultnet.Direction, b []byte) []byte {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.packets) < 200 && len(b) >= 12 && b[1]&0x7f < 64 { // RTP, not RTCP
		w.packets = append(w.packets, append([]byte(nil), b...))
	}
	return b
}

func (w *wireCapture) snapshot() [][]byte {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([][]byte(nil), w.packets...)
}

// sipRelay puts a SIP relay with a media ALG in front of a phone.
func sipRelay(t *testing.T, to *Phone) (*faultnet.UDP, *faultnet.MediaALG) {
	t.Helper()
	relay, err := faultnet.ListenUDP(hostPortString(to.tp.currentContact()))
	if err != nil {
		t.Fatal(err)
	}
	alg := faultnet.NewMediaALG()
	relay.SetTap(alg.Tap)
	t.Cleanup(func() { relay.Close(); alg.Close() })
	return relay, alg
}

// TestSRTPOnTheWire: alice requires SRTP and calls bob through a relay
// that sees every packet. Bob answers with a key; both hear each other;
// every audio packet on the wire carries the 10-byte authentication tag,
// decrypts with the negotiated key and differs from its plaintext.
func TestSRTPOnTheWire(t *testing.T) {
	bob, brec := testPhone(t, Account{User: "bob", Domain: peers.Loopback, NoRegister: true}, Options{AutoAnswer: true})
	relay, alg := sipRelay(t, bob)
	wire := &wireCapture{}
	alg.SetMediaTap(wire.tap)
	alice, _ := testPhone(t, Account{User: "alice", Domain: peers.Loopback, NoRegister: true, SRTP: SRTPRequired,
		OutboundProxy: relay.Addr().String()}, Options{})
	c, err := alice.Dial(bctx(t), "sip:bob@"+peers.Loopback, DialOptions{})
	if err != nil {
		t.Fatal(err)
	}
	waitAnswered(t, c)
	in := brec.next(func(ev Event) bool { _, ok := ev.(CallAnsweredEvent); return ok }).(CallAnsweredEvent)
	if !c.Secure() || !in.Call.Secure() || !in.SRTP {
		t.Fatalf("call not encrypted: alice %v, bob %v (event %+v)", c.Secure(), in.Call.Secure(), in)
	}
	heardByAlice := playTone(t, c, 700)
	heardByBob := playTone(t, in.Call, 1100)
	listen(2 * time.Second)
	assertHears(t, "alice (srtp)", heardByAlice.wav(), 1100)
	assertHears(t, "bob (srtp)", heardByBob.wav(), 700)
	assertEncrypted(t, wire.snapshot(), c, in.Call)
	_ = c.Hangup(bctx(t))
}

// assertEncrypted decrypts the captured packets with the keys either side
// sends with: each must authenticate under one of them, carry the SRTP
// tag, and differ from its plaintext.
func assertEncrypted(t *testing.T, packets [][]byte, calls ...*Call) {
	t.Helper()
	if len(packets) < 50 {
		t.Fatalf("only %d RTP packets seen on the wire", len(packets))
	}
	var ctxs []*srtp.Context
	for _, c := range calls {
		c.mu.Lock()
		k := c.neg.keys.local
		c.mu.Unlock()
		sc, err := srtp.CreateContext(k[:16], k[16:], srtp.ProtectionProfileAes128CmHmacSha1_80)
		if err != nil {
			t.Fatal(err)
		}
		ctxs = append(ctxs, sc)
	}
	for i, p := range packets {
		plain, ok := decryptAny(ctxs, p)
		if !ok {
			t.Fatalf("packet %d (%d bytes) does not authenticate under the negotiated keys", i, len(p))
		}
		var h rtp.Header
		n, _ := h.Unmarshal(p)
		if len(p) != len(plain)+10 || bytes.Equal(p[n:len(plain)], plain[n:]) {
			t.Fatalf("packet %d: %d bytes on the wire for %d in clear, payload in clear: %v",
				i, len(p), len(plain), bytes.Equal(p[n:len(plain)], plain[n:]))
		}
	}
	t.Logf("%d packets on the wire, all SRTP (AES_CM_128_HMAC_SHA1_80)", len(packets))
}

func decryptAny(ctxs []*srtp.Context, p []byte) ([]byte, bool) {
	for _, c := range ctxs {
		if plain, err := c.DecryptRTP(nil, p, nil); err == nil {
			return plain, true
		}
	}
	return nil, false
}

// TestSRTPWithBaresip: Ligne over TLS (Kamailio, pinned certificate)
// offers SRTP to a baresip that has it (tones both ways, encrypted), still
// reaches a baresip without it (in clear), and, when SRTP is required,
// calls an SRTP-only baresip (RTP/SAVP) but refuses to call or be called
// in clear.
func TestSRTPWithBaresip(t *testing.T) {
	k := peers.StartKamailio(t, peers.KamailioOptions{Users: regUsers, TLS: true})
	secure := startBaresipEnc(t, k, "alice", 440, "srtp")
	mandatory := startBaresipEnc(t, k, "bob", 330, "srtp-mand")
	plain := startBaresipEnc(t, k, "carol", 880, "")
	acct := kamailioAccount(k, "dave", regUsers["dave"], TransportTLS)
	acct.TLSPinSHA256 = certPin(t, k.TLSCertFile)
	dave, drec := testPhone(t, acct, Options{})
	drec.reg(RegRegistered)
	acct.User, acct.Password, acct.SRTP = "erin", regUsers["erin"], SRTPRequired
	erin, erec := testPhone(t, acct, Options{})
	erec.reg(RegRegistered)

	t.Run("offered on tls and taken by an srtp peer", func(t *testing.T) {
		c := dialAnswered(t, dave, "alice")
		if !c.Secure() {
			t.Fatal("audio with an SRTP baresip is not encrypted")
		}
		heard := playTone(t, c, 660)
		listen(2 * time.Second)
		assertHears(t, "dave (srtp with baresip)", heard.wav(), 440)
		_ = c.Hangup(bctx(t))
		assertBaresipHeard(t, secure, 660)
	})
	t.Run("offered and declined: audio in clear", func(t *testing.T) {
		c := dialAnswered(t, dave, "carol")
		if c.Secure() {
			t.Fatal("a baresip without srtp cannot have encrypted audio")
		}
		heard := playTone(t, c, 550)
		listen(2 * time.Second)
		assertHears(t, "dave (clear with baresip)", heard.wav(), 880)
		_ = c.Hangup(bctx(t))
	})
	t.Run("required: RTP/SAVP to an srtp-only peer", func(t *testing.T) {
		c := dialAnswered(t, erin, "bob")
		if !c.Secure() {
			t.Fatal("required SRTP call not encrypted")
		}
		heard := playTone(t, c, 770)
		listen(2 * time.Second)
		assertHears(t, "erin (srtp-mand baresip)", heard.wav(), 330)
		_ = c.Hangup(bctx(t))
		assertBaresipHeard(t, mandatory, 770)
	})
	t.Run("required: no call in clear either way", func(t *testing.T) {
		c, err := erin.Dial(bctx(t), "carol", DialOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if e := waitEnded(t, c); e.Reason != EndNotSecure || !strings.Contains(e.Message, "SRTP") {
			t.Fatalf("required SRTP towards a clear peer ended %+v", e)
		}
		plain.ForgetEvents()
		if err := plain.Dial(bctx(t), "sip:erin@"+k.Domain); err != nil {
			t.Fatal(err)
		}
		// the refused incoming call from erin may close after ForgetEvents:
		// wait for the close of baresip's own call
		ev, err := plain.WaitEvent(bctx(t), "CALL_CLOSED")
		for err == nil && ev.Direction != "outgoing" {
			ev, err = plain.WaitEvent(bctx(t), "CALL_CLOSED")
		}
		if err != nil || !strings.Contains(ev.Param, "488") {
			t.Fatalf("baresip calling in clear: %+v %v, want closed with 488", ev, err)
		}
	})
}

// startBaresipEnc starts a registered, auto-answering baresip with the
// given media encryption ("" for none).
func startBaresipEnc(t *testing.T, k *peers.Kamailio, user string, hz int, enc string) *peers.Baresip {
	t.Helper()
	b := peers.StartBaresip(t, peers.BaresipOptions{User: user, Password: regUsers[user], Domain: k.Domain,
		Proxy: k.URI() + ";transport=udp", AutoAnswer: true, ToneHz: hz, MediaEnc: enc})
	if err := b.WaitRegistered(bctx(t)); err != nil {
		t.Fatal(err)
	}
	return b
}

// dialAnswered calls target and waits for the answer.
func dialAnswered(t *testing.T, p *Phone, target string) *Call {
	t.Helper()
	c, err := p.Dial(bctx(t), target, DialOptions{})
	if err != nil {
		t.Fatal(err)
	}
	waitAnswered(t, c)
	return c
}
