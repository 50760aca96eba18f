package softphone

import (
	"errors"
	"net"
	"testing"
)

// FuzzSDPOfferAnswer feeds any body to the offer/answer code as a peer's
// offer and as a peer's answer, under each SRTP mode. It must never panic;
// a refusal must be one of our errors (400 or 488 for the peer); an
// accepted offer must give an answer our own parser reads back, a usable
// peer address, and encryption whenever it is required.
// Seeds: testdata/fuzz/FuzzSDPOfferAnswer (phones, PBXs, SRTP, hold,
// IPv6, WebRTC, malformed).
func FuzzSDPOfferAnswer(f *testing.F) {
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, mode := range []srtpMode{srtpNone, srtpOffer, srtpRequire} {
			l := srtpLocal(mode)
			checkAnswer(t, l, body)
			n, err := applyAnswer(body, l)
			checkOutcome(t, mode, n, err)
		}
	})
}

// checkAnswer answers body as an offer and checks the outcome.
func checkAnswer(t *testing.T, l localMedia, body []byte) {
	ans, n, err := answerOffer(body, l, false)
	checkOutcome(t, l.srtp, n, err)
	if err != nil {
		return
	}
	if _, md, err := parseSDP(ans); err != nil || md.MediaName.Port.Value != l.port {
		t.Fatalf("our answer does not parse back (%v):\n%s", err, ans)
	}
}

// checkOutcome holds for both directions of the exchange.
func checkOutcome(t *testing.T, mode srtpMode, n negotiated, err error) {
	if err != nil {
		if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrNoMedia) && !errors.Is(err, ErrNotSecure) {
			t.Fatalf("refusal with an unexpected error: %v", err)
		}
		return
	}
	if n.remote == nil || n.remote.Port <= 0 || n.remote.Port > 65535 {
		t.Fatalf("accepted a peer address we cannot send to: %v", n.remote)
	}
	if n.remote.IP.IsMulticast() || n.remote.IP.Equal(net.IPv4bcast) {
		t.Fatalf("accepted to send audio to %v", n.remote.IP)
	}
	if mode == srtpRequire && n.keys == nil {
		t.Fatal("SRTP is required but the audio would go in clear")
	}
	if n.keys != nil && (len(n.keys.remote) != srtpKeyLen || len(n.keys.local) != srtpKeyLen) {
		t.Fatalf("keys of %d and %d bytes", len(n.keys.local), len(n.keys.remote))
	}
}

// FuzzDialogInfo feeds any body to the BLF (dialog-info) parser: it must
// never panic, refuse with ErrMalformed, and always give one of the three
// states a key can show.
func FuzzDialogInfo(f *testing.F) {
	f.Fuzz(func(t *testing.T, body []byte) {
		ev, err := parseDialogInfo(body)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		switch ev.State {
		case ColleagueIdle, ColleagueRinging, ColleagueInCall:
		default:
			t.Fatalf("state %q", ev.State)
		}
	})
}

// FuzzMessageSummary feeds any body to the MWI (message-summary) parser:
// no panic, and counts a user can be shown (never negative).
func FuzzMessageSummary(f *testing.F) {
	f.Fuzz(func(t *testing.T, body string) {
		ev, err := parseMessageSummary(body)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		if ev.New < 0 || ev.Old < 0 || ev.UrgentNew < 0 || ev.UrgentOld < 0 {
			t.Fatalf("negative message counts %+v from %q", ev, body)
		}
	})
}
