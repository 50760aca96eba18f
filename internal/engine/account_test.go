package engine

import (
	"context"
	"testing"

	"github.com/ligne-app/ligne/secrets"
	"github.com/ligne-app/ligne/selfcare"
	"github.com/ligne-app/ligne/softphone"
	"github.com/ligne-app/ligne/store"
)

// TestAccountCarriesTheUsersChoices: what the user chose for the account
// (transport, pinned certificate, encrypted audio) is what the SIP engine
// gets, with the password from the secret store.
func TestAccountCarriesTheUsersChoices(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, t.TempDir(), store.Options{})
	must(t, err)
	defer db.Close()
	for _, mode := range []selfcare.SRTPMode{selfcare.SRTPAuto, selfcare.SRTPRequired, selfcare.SRTPOff} {
		a := selfcare.Account{User: "4021", Domain: "sip.example.fr", Transport: selfcare.TransportTLS,
			TLSInsecurePin: "ab12", SRTP: mode}
		must(t, db.SetAccount(ctx, a))
		sec := &secrets.Memory{}
		must(t, sec.Set(a.SecretKey(), "pw"))
		got, err := Account(ctx, db, sec)
		must(t, err)
		if got.SRTP != softphone.SRTPPolicy(mode) || got.Transport != softphone.TransportTLS || got.TLSPinSHA256 != "ab12" || got.Password != "pw" {
			t.Fatalf("srtp %q: engine account %+v", mode, got)
		}
	}
}
