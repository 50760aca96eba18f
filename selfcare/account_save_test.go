package selfcare

import (
	"context"
	"errors"
	"testing"
)

// memAccounts is an AccountStore in memory; failSave makes SetAccount fail.
type memAccounts struct {
	acct     Account
	settings map[string]string
	failSave bool
}

func (m *memAccounts) Account(context.Context) (Account, error) { return m.acct, nil }

func (m *memAccounts) SetAccount(_ context.Context, a Account) error {
	if m.failSave {
		return errors.New("disk full")
	}
	m.acct = a
	return nil
}

func (m *memAccounts) Setting(_ context.Context, k string) (string, error) { return m.settings[k], nil }

func (m *memAccounts) SetSetting(_ context.Context, k, v string) error {
	m.settings[k] = v
	return nil
}

// memSecrets is a keyring in memory.
type memSecrets map[string]string

func (s memSecrets) Get(k string) (string, error) {
	if v, ok := s[k]; ok {
		return v, nil
	}
	return "", errors.New("not found")
}
func (s memSecrets) Set(k, v string) error { s[k] = v; return nil }
func (s memSecrets) Delete(k string) error { delete(s, k); return nil }

// TestSaveAccountCountsPasswordChangesAndLosesNothing: the revision the
// provisioning watcher reads rises with each new password and not when the
// same one is saved again; a failed save puts the previous password back;
// an invalid account or an empty password saves nothing.
func TestSaveAccountCountsPasswordChangesAndLosesNothing(t *testing.T) {
	ctx := context.Background()
	st, sec := &memAccounts{settings: map[string]string{}}, memSecrets{}
	a := Account{User: "4021", Domain: "sip.example.fr", Transport: TransportUDP}
	steps := []struct {
		password string
		rev      string
	}{{"first", "1"}, {"first", "1"}, {"second", "2"}}
	for _, s := range steps {
		if err := SaveAccount(ctx, st, sec, a, s.password); err != nil {
			t.Fatal(err)
		}
		if got := st.settings[SettingPasswordRevision]; got != s.rev || sec[a.SecretKey()] != s.password {
			t.Fatalf("after saving %q: revision %q (want %s), keyring %q", s.password, got, s.rev, sec[a.SecretKey()])
		}
	}
	st.failSave = true
	if err := SaveAccount(ctx, st, sec, a, "third"); err == nil {
		t.Fatal("a failed save reported success")
	}
	if sec[a.SecretKey()] != "second" || st.settings[SettingPasswordRevision] != "2" {
		t.Fatalf("a failed save left keyring %q, revision %q", sec[a.SecretKey()], st.settings[SettingPasswordRevision])
	}
	st.failSave = false
	bad := a
	bad.User = "not a user"
	if err := SaveAccount(ctx, st, sec, bad, "fourth"); ErrorCode(err) == "" {
		t.Fatalf("invalid account: %v", err)
	}
	if err := SaveAccount(ctx, st, sec, a, ""); ErrorCode(err) != CodeRequired {
		t.Fatalf("empty password: %v", err)
	}
	if sec[a.SecretKey()] != "second" || st.acct.User != "4021" {
		t.Fatal("a refused save changed what was kept")
	}
}
