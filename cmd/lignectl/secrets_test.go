package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ligne-app/ligne/secrets"
)

// TestSecretsWithoutKeyringNeedTheUsersAgreement: with no keyring, account
// set refuses (nothing saved, the message says why and what to do);
// after `secrets allow-file` the password goes to the private file, never
// the database; `secrets forbid-file` deletes it.
func TestSecretsWithoutKeyringNeedTheUsersAgreement(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path="+filepath.Join(t.TempDir(), "no-bus"))
	dir := t.TempDir()
	const pw = "N0-Keyring-Here!"
	set := []string{"--data", dir, "--lang", "en", "account", "set", "--user", "4021", "--domain", "sip.example.fr", "--password-stdin"}
	code, _, errOut := ctl(t, pw+"\n", set...)
	if code != 1 || !strings.Contains(errOut, "lignectl secrets allow-file") || !strings.Contains(errOut, "in clear") {
		t.Fatalf("account set without keyring nor consent: %d %q", code, errOut)
	}
	if code, out, _ := ctl(t, "", "--data", dir, "account", "show"); code == 0 {
		t.Fatalf("an account was saved although its password could not be: %s", out)
	}
	if code, out, errOut := ctl(t, "", "--data", dir, "secrets", "allow-file"); code != 0 || !strings.Contains(out, "mode=file") {
		t.Fatalf("allow-file: %d %q %q", code, out, errOut)
	}
	if code, out, errOut := ctl(t, pw+"\n", set...); code != 0 || !strings.Contains(out, secrets.FileName) || strings.Contains(out, "kept in the system keyring") {
		t.Fatalf("account set after consent (must say the password is in the file): %d %q %q", code, out, errOut)
	}
	file := filepath.Join(dir, secrets.FileName)
	if st, err := os.Stat(file); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("password file: %v %v", err, st)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "ligne.db")); strings.Contains(string(b), pw) {
		t.Fatal("the password is in the database")
	}
	if code, out, _ := ctl(t, "", "--data", dir, "account", "show"); code != 0 || !strings.Contains(out, "password_in_keyring=true") {
		t.Fatalf("show after consent: %d %s", code, out)
	}
	if code, out, _ := ctl(t, "", "--data", dir, "secrets", "forbid-file"); code != 0 || !strings.Contains(out, "mode=none") {
		t.Fatalf("forbid-file: %d %s", code, out)
	}
	if _, err := os.Stat(file); !os.IsNotExist(err) {
		t.Fatalf("the password file survived forbid-file: %v", err)
	}
}
