package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ligne-app/ligne/assets"
	"github.com/ligne-app/ligne/internal/testkeyring"
	"github.com/ligne-app/ligne/secrets"
	"github.com/ligne-app/ligne/selfcare"
	"github.com/ligne-app/ligne/store"
)

// ctl runs lignectl in-process and returns its exit code and output.
func ctl(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func TestHelpAndVersion(t *testing.T) {
	code, out, _ := ctl(t, "", "help")
	for _, want := range []string{"account", "profile", "demo", "version", "--password-stdin"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Fatalf("help (%d) lacks %q:\n%s", code, want, out)
		}
	}
	if code, out, _ := ctl(t, "", "version"); code != 0 || !strings.HasPrefix(out, "lignectl ") {
		t.Fatalf("version: %d %q", code, out)
	}
	if code, _, errOut := ctl(t, "", "--lang", "en", "frobnicate"); code != 2 || !strings.Contains(errOut, "unknown command") {
		t.Fatalf("unknown: %d %q", code, errOut)
	}
}

func TestAccountSetStoresPasswordInTheKeyring(t *testing.T) {
	testkeyring.Start(t)
	dir := t.TempDir()
	code, out, errOut := ctl(t, "Tr0ub4dor&3\n", "--data", dir, "--lang", "en", "account", "set",
		"--user", "4021", "--domain", "sip.example.fr", "--proxy", "sip:127.0.0.1:5060", "--transport", "tcp", "--srtp", "required", "--password-stdin")
	if code != 0 {
		t.Fatalf("account set: %d %s", code, errOut)
	}
	if !strings.Contains(out, "sip:4021@sip.example.fr") {
		t.Fatalf("output %q", out)
	}
	pw, err := secrets.Keyring{}.Get("sip:4021@sip.example.fr")
	if err != nil || pw != "Tr0ub4dor&3" {
		t.Fatalf("keyring: %q %v", pw, err)
	}
	assertNotInFiles(t, dir, "Tr0ub4dor&3")
	code, out, _ = ctl(t, "", "--data", dir, "account", "show")
	if code != 0 || !strings.Contains(out, "transport=tcp") || !strings.Contains(out, "srtp=required") || !strings.Contains(out, "password_in_keyring=true") || strings.Contains(out, "Tr0ub4dor") {
		t.Fatalf("show: %d %s", code, out)
	}
}

// assertNotInFiles fails when secret appears in any file under dir
// (database, WAL, anything Ligne wrote).
func assertNotInFiles(t *testing.T, dir, secret string) {
	t.Helper()
	filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			if b, _ := os.ReadFile(path); bytes.Contains(b, []byte(secret)) {
				t.Errorf("%s contains the password", path)
			}
		}
		return nil
	})
}

func TestAccountSetRefusesBadInputAndChangesNothing(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--user", "4021", "--domain", "bad domain", "--password-stdin"}, "--domain: “bad domain” is not a valid domain name."},
		{[]string{"--user", "40 21", "--domain", "sip.example.fr", "--password-stdin"}, "--user: “40 21” contains characters not allowed"},
		{[]string{"--user", "4021", "--domain", "sip.example.fr", "--transport", "sctp", "--password-stdin"}, "--transport: Unknown transport “sctp”"},
		{[]string{"--user", "4021", "--domain", "sip.example.fr", "--srtp", "maybe", "--password-stdin"}, "--srtp: Unknown audio encryption “maybe”"},
		{[]string{"--user", "4021", "--domain", "sip.example.fr", "--proxy", "host:0", "--password-stdin"}, "--proxy: “host:0” is not a valid server address"},
		{[]string{"--user", "4021", "--domain", "sip.example.fr"}, "--password-stdin"},
	}
	for _, c := range cases {
		args := append([]string{"--data", dir, "--lang", "en", "account", "set"}, c.args...)
		code, _, errOut := ctl(t, "pw", args...)
		if code == 0 || !strings.Contains(errOut, c.want) || strings.Count(strings.TrimSpace(errOut), "\n") > 0 {
			t.Errorf("%v: exit %d, stderr %q, want one line with %q", c.args, code, errOut, c.want)
		}
	}
	db, err := store.Open(context.Background(), dir, store.Options{})
	if err == nil {
		defer db.Close()
		if _, err := db.Account(context.Background()); selfcare.ErrorCode(err) != selfcare.CodeNoAccount {
			t.Fatal("a refused account was saved")
		}
	}
}

func TestProfileLoadReportsEveryProblem(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.json")
	os.WriteFile(good, assets.DemoProfile(), 0o600)
	code, out, errOut := ctl(t, "", "--data", dir, "--lang", "fr", "profile", "load", good)
	if code != 0 || !strings.Contains(out, "Lemoine Équipements SAS") || !strings.Contains(out, "30 collègues") {
		t.Fatalf("load: %d %q %q", code, out, errOut)
	}
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"schema":"ligne.profile/1","company":{"name":"X","sip_domain":"x.fr"},
		"user":{"id":"u","name":"U","lines":[{"kind":"fixed","numbers":["12ab"]}],"devices":[{"model":"T99","mac":"zz"}]}}`), 0o600)
	code, _, errOut = ctl(t, "", "--data", dir, "--lang", "fr", "profile", "load", bad)
	for _, want := range []string{"user.lines[0].numbers[0]: « 12ab » n'est pas un numéro valide", "user.devices[0].mac", "user.devices[0].model"} {
		if code != 1 || !strings.Contains(errOut, want) {
			t.Errorf("bad profile: %d, stderr lacks %q:\n%s", code, want, errOut)
		}
	}
	db, _ := store.Open(context.Background(), dir, store.Options{})
	defer db.Close()
	if p, _ := db.Profile(context.Background()); p.Company.Name != "Lemoine Équipements SAS" {
		t.Fatal("the bad profile replaced the good one")
	}
}

func TestDemo(t *testing.T) {
	dir := t.TempDir()
	if code, out, errOut := ctl(t, "", "--data", dir, "demo"); code != 0 || !strings.Contains(out, dir) {
		t.Fatalf("demo: %d %q %q", code, out, errOut)
	}
	if code, _, _ := ctl(t, "", "--data", dir, "demo"); code != 1 {
		t.Fatal("demo over an existing workspace must fail")
	}
}
