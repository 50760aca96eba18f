package secrets

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"github.com/ligne-app/ligne/selfcare"
)

// SettingFallback is the setting that records the user's consent to the
// fallback file ("file"); absent, the fallback is never used.
const SettingFallback = "secrets.fallback"

// fallbackFile is the consented value of SettingFallback.
const fallbackFile = "file"

// probeKey is looked up to tell whether the keyring answers.
const probeKey = "ligne-keyring-probe"

// Mode says where a Store keeps passwords.
type Mode string

// Modes of a Store.
const (
	ModeKeyring Mode = "keyring" // the OS keyring
	ModeFile    Mode = "file"    // the fallback file, the user agreed
	ModeNone    Mode = "none"    // no keyring and no consent: nothing can be kept
)

// Options set up Open.
type Options struct {
	// Settings is where the consent is remembered (the store's settings).
	Settings selfcare.SettingsService
	// Dir is the data folder, where the fallback file goes.
	Dir string
	// Keyring is the OS keyring (Keyring{} when nil).
	Keyring selfcare.Secrets
	Logger  *slog.Logger
}

// Store is the secret store Ligne uses: the OS keyring when it answers;
// otherwise the fallback file, but only once the user agreed to it
// (Consent); otherwise nothing is kept and every Set says why, in the
// user's words (CodeSecretConsent).
type Store struct {
	opt    Options
	file   *File
	ctx    context.Context // for the settings, outliving Open's caller
	once   sync.Once
	reason error // why the keyring is not used (set once by resolve)
	mu     sync.Mutex
	mode   Mode
}

var _ selfcare.Secrets = (*Store)(nil)

// Open prepares the store of a data folder. Nothing is asked of the
// keyring until a secret is needed (or Mode is asked): then it is probed
// once, the consent read, and, when the keyring answers while a fallback
// file is left from a time it did not, the file's passwords are moved
// into the keyring and the file deleted.
func Open(ctx context.Context, o Options) (*Store, error) {
	if o.Settings == nil {
		return nil, fmt.Errorf("open secrets: no settings")
	}
	if o.Keyring == nil {
		o.Keyring = Keyring{}
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return &Store{opt: o, file: NewFile(o.Dir), ctx: context.WithoutCancel(ctx)}, nil
}

// resolve probes the keyring and reads the consent, once.
func (s *Store) resolve() {
	s.once.Do(func() {
		if s.reason = probe(s.opt.Keyring); s.reason == nil {
			s.setMode(ModeKeyring)
			s.moveToKeyring(s.ctx)
			return
		}
		consent, err := s.opt.Settings.Setting(s.ctx, SettingFallback)
		if err != nil {
			s.opt.Logger.Error("read the password-file consent", "err", err)
		}
		s.setMode(ModeNone)
		if consent == fallbackFile {
			s.setMode(ModeFile)
		}
		s.opt.Logger.Warn("no system keyring", "err", s.reason, "mode", s.currentMode())
	})
}

// probe tells whether the keyring answers (a missing entry is an answer).
func probe(k selfcare.Secrets) error {
	_, err := k.Get(probeKey)
	if err == nil || errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}

// Mode returns where passwords go now.
func (s *Store) Mode() Mode {
	s.resolve()
	return s.currentMode()
}

func (s *Store) currentMode() Mode {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.mode
}

// KeyringError returns why the keyring is not used (nil when it is).
func (s *Store) KeyringError() error {
	s.resolve()
	return s.reason
}

// FilePath is where the fallback file is (or would be).
func (s *Store) FilePath() string { return s.file.Path() }

// NeedsConsent reports that no keyring answers and the user has not
// agreed to the fallback file: the window should ask (see Consent).
func (s *Store) NeedsConsent() bool { return s.Mode() == ModeNone }

// Consent records that the user agreed to keep passwords in the fallback
// file, and uses it from now on. It does nothing when the keyring works.
func (s *Store) Consent(ctx context.Context) error {
	if s.Mode() == ModeKeyring {
		return nil
	}
	if err := s.opt.Settings.SetSetting(ctx, SettingFallback, fallbackFile); err != nil {
		return fmt.Errorf("secrets consent: %w", err)
	}
	s.setMode(ModeFile)
	return nil
}

// Revoke withdraws the consent: the fallback file and what it holds are
// deleted, and nothing is kept any more until a keyring answers.
func (s *Store) Revoke(ctx context.Context) error {
	s.resolve()
	if err := s.opt.Settings.SetSetting(ctx, SettingFallback, ""); err != nil {
		return fmt.Errorf("secrets revoke: %w", err)
	}
	if err := s.file.Remove(); err != nil {
		return fmt.Errorf("secrets revoke: %w", err)
	}
	if s.currentMode() == ModeFile {
		s.setMode(ModeNone)
	}
	return nil
}

func (s *Store) setMode(m Mode) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mode = m
}

// backend returns the store in use, or the consent error.
func (s *Store) backend() (selfcare.Secrets, error) {
	switch s.Mode() {
	case ModeKeyring:
		return s.opt.Keyring, nil
	case ModeFile:
		return s.file, nil
	}
	return nil, selfcare.Errorf(selfcare.CodeSecretConsent, "", s.KeyringError())
}

// Get returns the secret stored under key.
func (s *Store) Get(key string) (string, error) {
	b, err := s.backend()
	if err != nil {
		return "", err
	}
	return b.Get(key)
}

// Set stores value under key.
func (s *Store) Set(key, value string) error {
	b, err := s.backend()
	if err != nil {
		return err
	}
	return b.Set(key, value)
}

// Delete removes the secret under key.
func (s *Store) Delete(key string) error {
	b, err := s.backend()
	if err != nil {
		return err
	}
	return b.Delete(key)
}

// moveToKeyring moves what a fallback file holds into the keyring, then
// deletes the file and the consent. On any failure the file is kept.
func (s *Store) moveToKeyring(ctx context.Context) {
	m, err := s.file.all()
	if err != nil || len(m) == 0 {
		return
	}
	for k, v := range m {
		if err := s.opt.Keyring.Set(k, v); err != nil {
			s.opt.Logger.Warn("passwords left in the fallback file", "err", err)
			return
		}
	}
	if err := s.file.Remove(); err != nil {
		s.opt.Logger.Warn("fallback file not removed", "err", err)
		return
	}
	_ = s.opt.Settings.SetSetting(ctx, SettingFallback, "")
	s.opt.Logger.Info("passwords moved from the fallback file to the keyring", "count", len(m))
}
