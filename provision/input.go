package provision

import (
	"context"
	"fmt"
	"time"

	"github.com/ligne-app/ligne/selfcare"
)

// Input is everything one phone's configuration is made from.
type Input struct {
	Device   selfcare.Device
	Model    selfcare.Model
	Account  selfcare.Account
	Password string // the SIP password, from the keyring; empty when none is stored
	Line     selfcare.Line
	Company  selfcare.Company
	Keys     []Key        // the function keys, in the user's order
	Forward  PhoneForward // forwarding and DND as the phone should hold them now
	Server   Endpoint     // where the phone fetches from, with its credentials
}

// Key is one function key ready for a phone: the user's key with its
// label and number resolved from the contact.
type Key struct {
	Kind   selfcare.KeyKind
	Label  string
	Number string // the colleague's extension (supervision) or the number to dial (shortcut)
}

// Endpoint is the provisioning server as a phone must be told about it.
type Endpoint struct {
	URL      string // base URL ending in "/"; empty: keep the phone's own
	User     string
	Password string
}

// Source is what Gather reads: the selfcare services.
type Source interface {
	Account(ctx context.Context) (selfcare.Account, error)
	Profile(ctx context.Context) (selfcare.Profile, error)
	Lines(ctx context.Context) ([]selfcare.Line, error)
	Keys(ctx context.Context) ([]selfcare.FunctionKey, error)
	ContactByID(ctx context.Context, id string) (selfcare.Contact, error)
	ForwardRules(ctx context.Context, line selfcare.LineKind) ([]selfcare.ForwardRule, error)
	DND(ctx context.Context) (bool, error)
}

// Gather reads the settings of device d at instant now (forwarding rules
// with schedules depend on it) and returns the input to render.
func Gather(ctx context.Context, src Source, sec selfcare.Secrets, d selfcare.Device, srv Endpoint, now time.Time) (Input, error) {
	m, ok := selfcare.FindModel(d.Model)
	if !ok {
		return Input{}, selfcare.Errorf(selfcare.CodeModelUnknown, "model", d.Model)
	}
	in := Input{Device: d, Model: m, Server: srv}
	var err error
	if in.Account, err = src.Account(ctx); err != nil {
		return in, fmt.Errorf("gather %s: %w", d.MAC, err)
	}
	if in.Password, err = password(sec, in.Account); err != nil {
		return in, fmt.Errorf("gather %s: %w", d.MAC, err)
	}
	if err := gatherProfile(ctx, src, &in); err != nil {
		return in, fmt.Errorf("gather %s: %w", d.MAC, err)
	}
	if in.Keys, err = gatherKeys(ctx, src); err != nil {
		return in, fmt.Errorf("gather %s: %w", d.MAC, err)
	}
	if in.Forward, err = gatherForward(ctx, src, d.Line, in.Company.VoicemailNumber, now); err != nil {
		return in, fmt.Errorf("gather %s: %w", d.MAC, err)
	}
	return in, nil
}

// password reads the SIP password. A missing entry (the demo workspace)
// renders without one; a keyring that does not answer is an error.
func password(sec selfcare.Secrets, a selfcare.Account) (string, error) {
	if sec == nil || a.Demo {
		return "", nil
	}
	pw, err := sec.Get(a.SecretKey())
	if selfcare.ErrorCode(err) == selfcare.CodeSecretStore {
		return "", err
	}
	if err != nil {
		return "", nil
	}
	return pw, nil
}

// gatherProfile fills the company and the device's line.
func gatherProfile(ctx context.Context, src Source, in *Input) error {
	p, err := src.Profile(ctx)
	if err != nil && selfcare.ErrorCode(err) != selfcare.CodeNotFound {
		return err
	}
	in.Company = p.Company
	lines, err := src.Lines(ctx)
	if err != nil {
		return err
	}
	in.Line, _ = selfcare.FindLine(lines, in.Device.Line)
	return nil
}

// gatherKeys resolves each function key's label and number.
func gatherKeys(ctx context.Context, src Source) ([]Key, error) {
	keys, err := src.Keys(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Key, 0, len(keys))
	for _, k := range keys {
		c, err := src.ContactByID(ctx, k.ContactID)
		if err != nil && selfcare.ErrorCode(err) != selfcare.CodeNotFound {
			return nil, err
		}
		number := k.Number
		if number == "" {
			number = c.FirstNumber()
		}
		out = append(out, Key{Kind: k.Kind, Label: selfcare.KeyLabel(k, c), Number: number})
	}
	return out, nil
}

func gatherForward(ctx context.Context, src Source, line selfcare.LineKind, voicemail string, now time.Time) (PhoneForward, error) {
	rules, err := src.ForwardRules(ctx, line)
	if err != nil {
		return PhoneForward{}, err
	}
	dnd, err := src.DND(ctx)
	if err != nil {
		return PhoneForward{}, err
	}
	return PhoneForwardAt(rules, dnd, now, voicemail), nil
}

// errNoTemplate wraps ErrUnknownFamily with the family.
func errNoTemplate(family string) error {
	return fmt.Errorf("render family %q: %w", family, ErrUnknownFamily)
}
