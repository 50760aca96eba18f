package engine

import (
	"context"
	"fmt"

	"github.com/ligne-app/ligne/selfcare"
	"github.com/ligne-app/ligne/softphone"
)

// AccountStore is what Account reads.
type AccountStore interface {
	Account(ctx context.Context) (selfcare.Account, error)
	Presented(ctx context.Context, line selfcare.LineKind) (selfcare.PresentedNumber, error)
}

// Account builds the engine account from the stored one, its password in
// the keyring and the fixed line's presented number.
func Account(ctx context.Context, st AccountStore, sec selfcare.Secrets) (softphone.Account, error) {
	a, err := st.Account(ctx)
	if err != nil {
		return softphone.Account{}, err
	}
	if a.Demo {
		return softphone.Account{}, fmt.Errorf("engine account: the demo workspace has no line")
	}
	pw, err := sec.Get(a.SecretKey())
	if err != nil {
		return softphone.Account{}, fmt.Errorf("engine account: password of %s: %w", a.AOR(), err)
	}
	pn, err := st.Presented(ctx, selfcare.LineFixed)
	if err != nil && selfcare.ErrorCode(err) != selfcare.CodeNotFound {
		return softphone.Account{}, err
	}
	return softphone.Account{
		DisplayName: a.DisplayName, User: a.User, AuthUser: a.AuthUser, Password: pw, Domain: a.Domain,
		Registrar: a.Registrar, OutboundProxy: a.OutboundProxy, Transport: softphone.Transport(a.Transport),
		TLSPinSHA256: a.TLSInsecurePin, Identity: Identity(pn), SRTP: softphone.SRTPPolicy(a.SRTP),
	}, nil
}

// Identity turns a presented-number choice into the engine's identity, for
// the next outgoing call (softphone.DialOptions.Identity).
func Identity(pn selfcare.PresentedNumber) softphone.Identity {
	if pn.Anonymous() {
		return softphone.Identity{Anonymous: true}
	}
	return softphone.Identity{Number: pn.Number}
}
