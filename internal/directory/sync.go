package directory

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/ligne-app/ligne/selfcare"
)

// Store is what synchronization needs from storage (store.DB has it).
type Store interface {
	selfcare.SettingsService
	// ReplaceDirectory swaps the internal contacts of source for cs, in one
	// transaction.
	ReplaceDirectory(ctx context.Context, source string, cs []selfcare.Contact) error
}

// Status is the outcome of the last synchronizations.
type Status struct {
	Attempt time.Time `json:"attempt"` // last synchronization tried
	Success time.Time `json:"success"` // last one that loaded the directory
	Count   int       `json:"count"`   // contacts loaded by that one
	Skipped int       `json:"skipped"` // entries it left out (no name, no number)
	// Code and Args are the last attempt's error, empty after a success.
	Code selfcare.Code `json:"code,omitempty"`
	Args []string      `json:"args,omitempty"`
}

// Err returns the last attempt's error, nil after a success.
func (s Status) Err() error {
	if s.Code == "" {
		return nil
	}
	args := make([]any, len(s.Args))
	for i, a := range s.Args {
		args[i] = a
	}
	return selfcare.Errorf(s.Code, "", args...)
}

// LoadStatus returns the status saved by the last synchronization.
func LoadStatus(ctx context.Context, s selfcare.SettingsService) (Status, error) {
	var st Status
	raw, err := s.Setting(ctx, SettingStatus)
	if err != nil || raw == "" {
		return st, err
	}
	if err := json.Unmarshal([]byte(raw), &st); err != nil {
		return st, fmt.Errorf("read directory status: %w", err)
	}
	return st, nil
}

// Syncer loads the LDAP directory into the store.
type Syncer struct {
	Store   Store
	Secrets selfcare.Secrets
	Now     func() time.Time // time.Now when nil
	Log     *slog.Logger     // discarded when nil
	TLS     *tls.Config      // roots and names for LDAPS/StartTLS; the system's when nil
}

func (s *Syncer) now() time.Time {
	if s.Now == nil {
		return time.Now()
	}
	return s.Now()
}

func (s *Syncer) log() *slog.Logger {
	if s.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return s.Log
}

// Sync reads the whole directory and replaces the "ldap" contacts with it.
// On any error the contacts already loaded stay; the status records the
// attempt either way.
func (s *Syncer) Sync(ctx context.Context) (Status, error) {
	st, err := LoadStatus(ctx, s.Store)
	if err != nil {
		return st, err
	}
	st.Attempt = s.now()
	res, err := s.fetch(ctx)
	if err == nil {
		err = s.Store.ReplaceDirectory(ctx, Source, res.Contacts)
	}
	if errors.Is(err, context.Canceled) {
		return st, err
	}
	st.record(res, err)
	if err != nil {
		s.log().Warn("directory sync failed", "err", err)
	} else {
		s.log().Info("directory synced", "contacts", st.Count, "skipped", st.Skipped)
	}
	return st, errors.Join(err, s.saveStatus(ctx, st))
}

// fetch reads the directory with the saved settings and password.
func (s *Syncer) fetch(ctx context.Context) (Result, error) {
	c, ok, err := LoadConfig(ctx, s.Store)
	if err != nil {
		return Result{}, err
	}
	if !ok {
		return Result{}, selfcare.Errorf(selfcare.CodeLDAPNotConfigured, "")
	}
	password := ""
	if c.BindDN != "" {
		if password, err = s.Secrets.Get(c.SecretKey()); err != nil && selfcare.ErrorCode(err) != selfcare.CodeSecretStore {
			return Result{}, selfcare.Errorf(selfcare.CodeLDAPPasswordMissing, "password")
		} else if err != nil {
			return Result{}, err
		}
	}
	return Fetch(ctx, c, password, s.TLS)
}

// record notes an attempt's outcome.
func (st *Status) record(res Result, err error) {
	st.Code, st.Args = "", nil
	if err == nil {
		st.Success, st.Count, st.Skipped = st.Attempt, len(res.Contacts), res.Skipped
		return
	}
	var e *selfcare.Error
	if !errors.As(err, &e) {
		e = selfcare.Errorf(selfcare.CodeInternal, "")
	}
	st.Code = e.Code
	for _, a := range e.Args {
		st.Args = append(st.Args, fmt.Sprint(a))
	}
}

func (s *Syncer) saveStatus(ctx context.Context, st Status) error {
	body, _ := json.Marshal(st)
	return s.Store.SetSetting(ctx, SettingStatus, string(body))
}

// Due returns how long until the next periodic synchronization (0 or less:
// now); ok is false when no periodic refresh is set. A failed attempt is
// retried after a tenth of the period, five minutes at least.
func (s *Syncer) Due(ctx context.Context) (time.Duration, bool, error) {
	c, ok, err := LoadConfig(ctx, s.Store)
	if err != nil || !ok || c.Refresh == 0 {
		return 0, false, err
	}
	st, err := LoadStatus(ctx, s.Store)
	if err != nil {
		return 0, false, err
	}
	period := c.Refresh
	if st.Code != "" {
		period = max(c.Refresh/10, MinRefresh)
	}
	return st.Attempt.Add(period).Sub(s.now()), true, nil
}

// Remove forgets the LDAP source: its contacts, settings, status and
// password.
func (s *Syncer) Remove(ctx context.Context) error {
	c, ok, err := LoadConfig(ctx, s.Store)
	if err != nil {
		return err
	}
	if err := s.Store.ReplaceDirectory(ctx, Source, nil); err != nil {
		return err
	}
	for _, key := range []string{SettingConfig, SettingStatus} {
		if err := s.Store.SetSetting(ctx, key, ""); err != nil {
			return err
		}
	}
	if ok && c.BindDN != "" {
		return s.Secrets.Delete(c.SecretKey())
	}
	return nil
}
