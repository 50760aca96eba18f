package softphone

import (
	"errors"
	"strings"
	"testing"

	"github.com/ligne-app/ligne/internal/peers"
)

// TestPinnedCertificateMustMatch: trusting a self-signed server is an
// explicit choice of one certificate. Another fingerprint (a server that
// changed, or someone in the middle) is refused with a reason naming the
// pin, and a pin that is not a SHA-256 is refused at once.
func TestPinnedCertificateMustMatch(t *testing.T) {
	k := peers.StartKamailio(t, peers.KamailioOptions{Users: regUsers, TLS: true})
	acct := kamailioAccount(k, "bob", regUsers["bob"], TransportTLS)
	acct.TLSPinSHA256 = strings.Repeat("ab", 32)
	_, rec := testPhone(t, acct, Options{})
	ev := rec.reg(RegRetrying)
	if !strings.Contains(ev.Reason, "pinned fingerprint") {
		t.Fatalf("a certificate with another fingerprint: %+v", ev)
	}
	acct.TLSPinSHA256 = "not-hex"
	p, err := New(acct, Options{})
	if err == nil {
		err = p.Start(t.Context())
		p.Close()
	}
	if !errors.Is(err, ErrInvalidAccount) {
		t.Fatalf("a pin that is not a SHA-256: %v", err)
	}
}
