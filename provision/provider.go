package provision

import (
	"context"
	"fmt"
	"time"

	"github.com/ligne-app/ligne/selfcare"
)

// Store is what provisioning reads and writes: the selfcare services and
// the fetch log. The store package implements it.
type Store interface {
	Source
	Devices(ctx context.Context) ([]selfcare.Device, error)
	selfcare.ProvisioningLog
	// Setting reads a preference (the SIP password's revision, for Hash).
	Setting(ctx context.Context, key string) (string, error)
}

// StoreProvider renders files from the store's settings for the server.
type StoreProvider struct {
	Store       Store
	Secrets     selfcare.Secrets
	Renderer    *Renderer
	Credentials Credentials
	Now         func() time.Time
	// OnFetch, when set, hears every fetch once it is recorded.
	OnFetch func(selfcare.Fetch)
}

var _ Provider = (*StoreProvider)(nil)

// NewStoreProvider returns a provider reading st, with passwords in sec.
func NewStoreProvider(st Store, sec selfcare.Secrets, now func() time.Time) (*StoreProvider, error) {
	r, err := NewRenderer()
	if err != nil {
		return nil, err
	}
	if now == nil {
		now = time.Now
	}
	return &StoreProvider{Store: st, Secrets: sec, Renderer: r, Credentials: Credentials{Secrets: sec}, Now: now}, nil
}

// Devices returns the configured phones.
func (p *StoreProvider) Devices(ctx context.Context) ([]selfcare.Device, error) {
	return p.Store.Devices(ctx)
}

// RecordFetch logs a fetch in the store.
func (p *StoreProvider) RecordFetch(ctx context.Context, f selfcare.Fetch) error {
	if err := p.Store.RecordFetch(ctx, f); err != nil {
		return err
	}
	if p.OnFetch != nil {
		p.OnFetch(f)
	}
	return nil
}

// Files renders d's files, telling the phone to come back to base with its
// own credentials (created the first time).
func (p *StoreProvider) Files(ctx context.Context, d selfcare.Device, base string) ([]File, error) {
	in, err := p.Input(ctx, d, base)
	if err != nil {
		return nil, err
	}
	return p.Renderer.Render(in)
}

// Input gathers what d's files are made from at this instant.
func (p *StoreProvider) Input(ctx context.Context, d selfcare.Device, base string) (Input, error) {
	ep := Endpoint{URL: base}
	if base != "" {
		pw, err := p.Credentials.Ensure(d.MAC)
		if err != nil {
			return Input{}, fmt.Errorf("files of %s: %w", d.MAC, err)
		}
		ep.User, ep.Password = d.MAC, pw
	}
	return Gather(ctx, p.Store, p.Secrets, d, ep, p.Now())
}

// Password returns a configured phone's provisioning password, for the
// server's authentication.
func (p *StoreProvider) Password(mac string) (string, bool) {
	pw, err := p.Credentials.Password(mac)
	return pw, err == nil && pw != ""
}
