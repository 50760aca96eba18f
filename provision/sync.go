package provision

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/ligne-app/ligne/selfcare"
)

// Syncer asks phones to fetch their configuration again: on demand, and
// after any change of what their files carry, wherever it was made (a
// device form, the function keys, forwarding, DND, a schedule that just
// started).
type Syncer struct {
	store    Store
	provider *StoreProvider
	notifier *Notifier
	log      *slog.Logger

	mu    sync.Mutex
	locks map[int64]*sync.Mutex // one push at a time per phone
}

// NewSyncer returns a syncer rendering with p and notifying with n.
func NewSyncer(st Store, p *StoreProvider, n *Notifier, log *slog.Logger) *Syncer {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Syncer{store: st, provider: p, notifier: n, log: log, locks: map[int64]*sync.Mutex{}}
}

// SyncNow sends check-sync to the phone and records the outcome with the
// configuration it announced. The error is a *selfcare.Error the user can
// read (no address, no answer, refused).
func (s *Syncer) SyncNow(ctx context.Context, deviceID int64) (selfcare.SyncResult, error) {
	unlock := s.lock(deviceID)
	defer unlock()
	d, err := s.device(ctx, deviceID)
	if err != nil {
		return selfcare.SyncResult{}, err
	}
	return s.push(ctx, d, "")
}

// SyncTo is SyncNow towards address (host[:port]) instead of the phone's
// known one, for a phone whose address Ligne has not learned yet.
func (s *Syncer) SyncTo(ctx context.Context, deviceID int64, address string) (selfcare.SyncResult, error) {
	unlock := s.lock(deviceID)
	defer unlock()
	d, err := s.device(ctx, deviceID)
	if err != nil {
		return selfcare.SyncResult{}, err
	}
	return s.push(ctx, d, address)
}

// push notifies d at address (its known one when empty) and records what
// happened.
func (s *Syncer) push(ctx context.Context, d selfcare.Device, address string) (selfcare.SyncResult, error) {
	hash, err := s.Hash(ctx, d)
	if err != nil {
		return selfcare.SyncResult{}, err
	}
	if address == "" {
		st, err := s.store.SyncState(ctx, d.ID)
		if err != nil {
			return selfcare.SyncResult{}, err
		}
		address = st.Address
	}
	if address == "" {
		return selfcare.SyncResult{}, selfcare.Errorf(selfcare.CodeDeviceNoAddress, "sip_address")
	}
	acct, err := s.store.Account(ctx)
	if err != nil {
		return selfcare.SyncResult{}, err
	}
	res, pushErr := s.notifier.CheckSync(ctx, address, acct.User)
	if err := s.store.RecordSync(ctx, d.ID, res, hash, d.ConfigVersion); err != nil {
		return res, fmt.Errorf("record check-sync of %s: %w", d.MAC, err)
	}
	return res, pushErr
}

// Hash identifies what d's files carry now, apart from the configuration
// version and the server's address: two equal hashes mean nothing to push.
// The SIP password counts through its revision (selfcare.SaveAccount), so
// that the keyring is not read every few seconds.
func (s *Syncer) Hash(ctx context.Context, d selfcare.Device) (string, error) {
	d.ConfigVersion = 0
	in, err := Gather(ctx, s.store, nil, d, Endpoint{}, s.provider.Now())
	if err != nil {
		return "", err
	}
	files, err := s.provider.Renderer.Render(in)
	if err != nil {
		return "", err
	}
	rev, err := s.store.Setting(ctx, selfcare.SettingPasswordRevision)
	if err != nil {
		return "", fmt.Errorf("hash %s: %w", d.MAC, err)
	}
	h := sha256.New()
	if rev != "" { // hashes from before the first change stay as they were
		fmt.Fprintf(h, "password revision %s\x00", rev)
	}
	for _, f := range files {
		fmt.Fprintf(h, "%s\x00%d\x00", f.Name, len(f.Data))
		h.Write(f.Data)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// PushChanges pushes to every phone whose configuration changed since its
// last push, raising its version first when the change did not (forwarding
// and DND are not device settings). A phone never pushed to and already up
// to date only gets its baseline recorded.
func (s *Syncer) PushChanges(ctx context.Context) error {
	devs, err := s.store.Devices(ctx)
	if err != nil {
		return fmt.Errorf("push changes: %w", err)
	}
	for _, d := range devs {
		if err := s.pushIfChanged(ctx, d); err != nil {
			s.log.Warn("automatic check-sync", "mac", d.MAC, "err", err)
		}
	}
	return nil
}

func (s *Syncer) pushIfChanged(ctx context.Context, d selfcare.Device) error {
	unlock := s.lock(d.ID)
	defer unlock()
	hash, err := s.Hash(ctx, d)
	if err != nil {
		return err
	}
	st, err := s.store.SyncState(ctx, d.ID)
	if err != nil || st.PushedHash == hash || st.Address == "" {
		return err
	}
	if st.PushedHash == "" && st.UpToDate(d.ConfigVersion) {
		return s.store.RecordSync(ctx, d.ID, st.Push, hash, d.ConfigVersion)
	}
	if d.ConfigVersion <= st.PushedVersion {
		// d was read before the hash: a change in between (SetDND raises
		// every version) may already have raised it
		if d.ConfigVersion, err = s.store.BumpDeviceConfig(ctx, d.ID, st.PushedVersion); err != nil {
			return err
		}
	}
	_, err = s.push(ctx, d, "")
	return err
}

// Watch runs PushChanges at once and then every interval until ctx ends.
func (s *Syncer) Watch(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if err := s.PushChanges(ctx); err != nil && ctx.Err() == nil {
			s.log.Warn("automatic check-sync", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (s *Syncer) device(ctx context.Context, id int64) (selfcare.Device, error) {
	devs, err := s.store.Devices(ctx)
	if err != nil {
		return selfcare.Device{}, err
	}
	for _, d := range devs {
		if d.ID == id {
			return d, nil
		}
	}
	return selfcare.Device{}, selfcare.Errorf(selfcare.CodeNotFound, "device")
}

// lock serializes pushes to one phone and returns the unlock.
func (s *Syncer) lock(id int64) func() {
	s.mu.Lock()
	l, ok := s.locks[id]
	if !ok {
		l = &sync.Mutex{}
		s.locks[id] = l
	}
	s.mu.Unlock()
	l.Lock()
	return l.Unlock
}
