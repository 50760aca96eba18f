package secrets_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ligne-app/ligne/internal/testkeyring"
	"github.com/ligne-app/ligne/secrets"
	"github.com/ligne-app/ligne/selfcare"
	"github.com/ligne-app/ligne/store"
)

const testPassword = "Tr0mb0ne-Fallback-Secret!"

// openDB opens a real store in a fresh data folder.
func openDB(t *testing.T) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// noKeyring points the process at a session bus that does not exist: the
// real keyring code then fails as on a machine without one.
func noKeyring(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path="+filepath.Join(t.TempDir(), "no-bus"))
}

func openStore(t *testing.T, db *store.DB) *secrets.Store {
	t.Helper()
	s, err := secrets.Open(context.Background(), secrets.Options{Settings: db, Dir: db.Dir()})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestKeyringIsUsedWhenItAnswers(t *testing.T) {
	testkeyring.Start(t)
	db := openDB(t)
	s := openStore(t, db)
	if s.Mode() != secrets.ModeKeyring || s.NeedsConsent() {
		t.Fatalf("mode %s with a working keyring (%v)", s.Mode(), s.KeyringError())
	}
	if err := s.Set("sip:alice@example.com", testPassword); err != nil {
		t.Fatal(err)
	}
	if v, err := (secrets.Keyring{}).Get("sip:alice@example.com"); err != nil || v != testPassword {
		t.Fatalf("the OS keyring holds %q (%v)", v, err)
	}
	assertNotInFolder(t, db.Dir())
}

func TestWithoutKeyringNothingIsKeptUntilTheUserAgrees(t *testing.T) {
	noKeyring(t)
	db := openDB(t)
	s := openStore(t, db)
	if !s.NeedsConsent() || s.KeyringError() == nil {
		t.Fatalf("mode %s without a keyring", s.Mode())
	}
	err := s.Set("sip:alice@example.com", testPassword)
	if selfcare.ErrorCode(err) != selfcare.CodeSecretConsent {
		t.Fatalf("Set without consent: %v", err)
	}
	msg := selfcare.ErrorMessage(err, selfcare.LangFrench)
	if !strings.Contains(msg, "trousseau") || !strings.Contains(msg, "en clair") {
		t.Fatalf("the French message does not explain the choice: %s", msg)
	}
	if _, err := os.Stat(s.FilePath()); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a password file exists without consent: %v", err)
	}
	assertNotInFolder(t, db.Dir())
}

func TestConsentedFileIsPrivateAndRemembered(t *testing.T) {
	noKeyring(t)
	db := openDB(t)
	s := openStore(t, db)
	if err := s.Consent(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := s.Set("smtp:mail.example.com", testPassword); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(s.FilePath())
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("password file %v, mode %v, want 0600", err, st.Mode())
	}
	again := openStore(t, db)
	if again.Mode() != secrets.ModeFile {
		t.Fatalf("consent not remembered: mode %s", again.Mode())
	}
	if v, err := again.Get("smtp:mail.example.com"); err != nil || v != testPassword {
		t.Fatalf("after reopening: %q %v", v, err)
	}
	if err := again.Revoke(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(s.FilePath()); !errors.Is(err, os.ErrNotExist) || !openStore(t, db).NeedsConsent() {
		t.Fatalf("revoke left the file (%v) or the consent", err)
	}
}

func TestFileReadableByOthersIsRefused(t *testing.T) {
	noKeyring(t)
	db := openDB(t)
	s := openStore(t, db)
	if err := s.Consent(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := s.Set("ldap:dir", testPassword); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(s.FilePath(), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get("ldap:dir"); selfcare.ErrorCode(err) != selfcare.CodeSecretFileUnsafe {
		t.Fatalf("a world-readable password file was used: %v", err)
	}
}

func TestFallbackPasswordsMoveToTheKeyringWhenItAppears(t *testing.T) {
	noKeyring(t)
	db := openDB(t)
	s := openStore(t, db)
	if err := s.Consent(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := s.Set("prov:805ec0a1b2c3", testPassword); err != nil {
		t.Fatal(err)
	}
	testkeyring.Start(t)
	moved := openStore(t, db)
	if moved.Mode() != secrets.ModeKeyring {
		t.Fatalf("mode %s once the keyring answers", moved.Mode())
	}
	if v, err := (secrets.Keyring{}).Get("prov:805ec0a1b2c3"); err != nil || v != testPassword {
		t.Fatalf("keyring holds %q (%v) after the move", v, err)
	}
	if _, err := os.Stat(s.FilePath()); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the fallback file stayed after the move: %v", err)
	}
	assertNotInFolder(t, db.Dir())
}

// assertNotInFolder checks that no file of the data folder holds the test
// password (database, WAL, anything).
func assertNotInFolder(t *testing.T, dir string) {
	t.Helper()
	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := os.ReadFile(path)
		if strings.Contains(string(b), testPassword) {
			t.Errorf("%s holds the password", path)
		}
		return nil
	})
}
