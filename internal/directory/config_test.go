package directory

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/ligne-app/ligne/internal/testkeyring"
	"github.com/ligne-app/ligne/secrets"
	"github.com/ligne-app/ligne/selfcare"
	"github.com/ligne-app/ligne/store"
)

func openStore(t *testing.T) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func goodConfig() Config {
	return Config{URL: "ldap://annuaire.lemoine.example", BaseDN: "ou=people,dc=lemoine,dc=example",
		BindDN: "cn=ligne,ou=services,dc=lemoine,dc=example", Mapping: DefaultMapping(), Refresh: time.Hour}
}

func TestConfigIsCheckedFieldByField(t *testing.T) {
	c, err := goodConfig().Normalize()
	if err != nil {
		t.Fatal(err)
	}
	if c.URL != "ldap://annuaire.lemoine.example:389" || c.Filter != DefaultFilter {
		t.Fatalf("defaults not filled: %+v", c)
	}
	if c, _ := (Config{URL: "ldaps://[::1]", BaseDN: "dc=x", Mapping: DefaultMapping()}).Normalize(); c.URL != "ldaps://[::1]:636" {
		t.Fatalf("ldaps default port: %s", c.URL)
	}
	bad := []struct {
		edit  func(*Config)
		code  selfcare.Code
		field string
	}{
		{func(c *Config) { c.URL = "http://annuaire.example" }, selfcare.CodeLDAPURLInvalid, "url"},
		{func(c *Config) { c.URL = "ldap://" }, selfcare.CodeLDAPURLInvalid, "url"},
		{func(c *Config) { c.URL = "annuaire.example:389" }, selfcare.CodeLDAPURLInvalid, "url"},
		{func(c *Config) { c.BaseDN = "" }, selfcare.CodeLDAPDNInvalid, "base_dn"},
		{func(c *Config) { c.BaseDN = "people" }, selfcare.CodeLDAPDNInvalid, "base_dn"},
		{func(c *Config) { c.BindDN = "ligne" }, selfcare.CodeLDAPDNInvalid, "bind_dn"},
		{func(c *Config) { c.Filter = "(objectClass=person" }, selfcare.CodeLDAPFilterInvalid, "filter"},
		{func(c *Config) { c.Mapping.Name = "" }, selfcare.CodeRequired, "mapping.name"},
		{func(c *Config) { c.Mapping.Mobile = "mobile phone" }, selfcare.CodeLDAPAttributeInvalid, "mapping.mobile"},
		{func(c *Config) { c.Refresh = time.Minute }, selfcare.CodeOutOfRange, "refresh"},
	}
	for _, b := range bad {
		c := goodConfig()
		b.edit(&c)
		_, err := c.Normalize()
		var e *selfcare.Error
		if !errors.As(err, &e) || e.Code != b.code || e.Field != b.field {
			t.Errorf("%+v: got %v, want %s on %s", c, err, b.code, b.field)
		}
	}
}

func TestSettingsKeepTheBindPasswordInTheKeyringOnly(t *testing.T) {
	testkeyring.Start(t)
	ctx := context.Background()
	db := openStore(t)
	keyring := secrets.Keyring{}
	c := goodConfig()
	if _, err := SaveConfig(ctx, db, keyring, c, ""); selfcare.ErrorCode(err) != selfcare.CodeLDAPPasswordMissing {
		t.Fatalf("no password: %v", err)
	}
	if _, ok, _ := LoadConfig(ctx, db); ok {
		t.Fatal("settings saved without their password")
	}
	saved, err := SaveConfig(ctx, db, keyring, c, "Annuaire-Secret-77")
	if err != nil {
		t.Fatal(err)
	}
	if pw, err := keyring.Get(saved.SecretKey()); err != nil || pw != "Annuaire-Secret-77" {
		t.Fatalf("keyring: %q %v", pw, err)
	}
	c.Refresh = 2 * time.Hour
	if _, err := SaveConfig(ctx, db, keyring, c, ""); err != nil {
		t.Fatalf("saving again without retyping the password: %v", err)
	}
	c.BindDN = "cn=autre,ou=services,dc=lemoine,dc=example"
	if _, err := SaveConfig(ctx, db, keyring, c, ""); selfcare.ErrorCode(err) != selfcare.CodeLDAPPasswordMissing {
		t.Fatalf("another account without its password: %v", err)
	}
	if got, _, _ := LoadConfig(ctx, db); got.BindDN != saved.BindDN || got.Refresh != 2*time.Hour {
		t.Fatalf("refused save changed the settings: %+v", got)
	}
	moved, err := SaveConfig(ctx, db, keyring, c, "Autre-Secret-88")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := keyring.Get(saved.SecretKey()); err != secrets.ErrNotFound {
		t.Fatalf("the old account's password stayed in the keyring: %v", err)
	}
	s := &Syncer{Store: db, Secrets: keyring}
	if err := s.Remove(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := keyring.Get(moved.SecretKey()); err != secrets.ErrNotFound {
		t.Fatalf("removing the directory left its password: %v", err)
	}
	assertNotInFiles(t, db.Dir(), "Annuaire-Secret-77", "Autre-Secret-88")
}

// assertNotInFiles fails when a secret appears in any file under dir.
func assertNotInFiles(t *testing.T, dir string, secrets ...string) {
	t.Helper()
	filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return nil
		}
		b, _ := os.ReadFile(path)
		for _, s := range secrets {
			if bytes.Contains(b, []byte(s)) {
				t.Errorf("%s contains a password", path)
			}
		}
		return nil
	})
}

// fakeSyncer counts synchronizations; its settings say every period
// once enabled.
type fakeSyncer struct {
	mu      sync.Mutex
	period  time.Duration
	last    time.Time
	syncs   int
	enabled bool
}

func (f *fakeSyncer) Sync(context.Context) (Status, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.syncs++
	f.last = time.Now()
	return Status{Attempt: f.last}, nil
}

func (f *fakeSyncer) Due(context.Context) (time.Duration, bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.enabled {
		return 0, false, nil
	}
	return f.last.Add(f.period).Sub(time.Now()), true, nil
}

func (f *fakeSyncer) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.syncs
}

func (f *fakeSyncer) enable() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.enabled = true
}

func TestRefresherSyncsEveryPeriodAndPicksUpNewSettings(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := &fakeSyncer{period: time.Hour}
		var heard atomic.Int32
		r := newRefresher(f, nil, func(Status, error) { heard.Add(1) })
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error)
		go func() { done <- r.Run(ctx) }()
		time.Sleep(3 * time.Hour)
		synctest.Wait()
		if f.count() != 0 {
			t.Fatalf("%d synchronizations with the refresh off", f.count())
		}
		f.enable() // turned on in the settings: the first one within a minute
		time.Sleep(time.Minute)
		synctest.Wait()
		if f.count() != 1 {
			t.Fatalf("%d synchronizations a minute after turning it on", f.count())
		}
		time.Sleep(5*time.Hour + time.Second)
		synctest.Wait()
		if f.count() != 6 || heard.Load() != 6 {
			t.Fatalf("%d synchronizations (%d heard) over five more hours, want 6", f.count(), heard.Load())
		}
		cancel()
		if err := <-done; err != context.Canceled {
			t.Fatalf("run ended with %v", err)
		}
	})
}
