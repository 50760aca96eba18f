package crashtest

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ligne-app/ligne/internal/peers"
	"github.com/ligne-app/ligne/internal/syncbuf"
	"github.com/ligne-app/ligne/internal/testkeyring"
	"github.com/ligne-app/ligne/internal/testldap"
	"github.com/ligne-app/ligne/internal/voicemail"
	"github.com/ligne-app/ligne/provision"
	"github.com/ligne-app/ligne/secrets"
)

// Known test passwords, one per kind of secret Ligne keeps.
const (
	sipPassword  = "Sip-Known-Test-Pw-7731"
	smtpPassword = "Smtp-Known-Test-Pw-5519"
	smsToken     = "Sms-Known-Token-2287"
)

// artefacts collects everything a session produced: command output (with
// -v logs), SIP traces, exports, a crash dump, and the data folder.
type artefacts struct {
	outputs map[string][]byte
	files   []string
}

func (a *artefacts) add(name string, b []byte) { a.outputs[name] = append(a.outputs[name], b...) }

// TestNoArtefactHoldsAPassword drives a whole session with lignectl (-v:
// every log line): SIP account, registration and a call with digest
// authentication through Kamailio (SIP traces on), an LDAP directory with
// its bind password, a desk phone with its provisioning password, the
// voicemail's SMTP password and SMS token, exports of the call log and
// the contacts, and a crash dump (SIGQUIT). Then every artefact is
// grepped for each password: none may hold one. The secrets must be in
// the keyring (the test would prove nothing otherwise). The rendered
// desk-phone files are the one exception: a phone needs its SIP password
// there (written 0600 in a 0700 folder, served only to that phone).
func TestNoArtefactHoldsAPassword(t *testing.T) {
	testkeyring.Start(t)
	k := peers.StartKamailio(t, peers.KamailioOptions{Users: map[string]string{"alice": sipPassword, "bob": "b0b"}, CallAuth: true})
	bob := peers.StartBaresip(t, peers.BaresipOptions{User: "bob", Password: "b0b", Domain: k.Domain, Proxy: k.URI(), AutoAnswer: true})
	if err := bob.WaitRegistered(t.Context()); err != nil {
		t.Fatal(err)
	}
	ldap := testldap.Start(t)
	ldap.Add(t, testldap.Person("pmartin", "Paul Martin", "Martin", "telephoneNumber: 4301"))
	dir, out := t.TempDir(), t.TempDir()
	a := &artefacts{outputs: map[string][]byte{}}
	ctl := func(stdin string, args ...string) {
		t.Helper()
		cmd := exec.Command(lignectlBin, append([]string{"--data", dir, "-v"}, args...)...)
		cmd.Stdin = strings.NewReader(stdin)
		b, err := cmd.CombinedOutput()
		a.add("lignectl "+args[0]+" "+args[1], b)
		if err != nil {
			t.Fatalf("lignectl %v: %v\n%s", args, err, b)
		}
	}
	ctl(sipPassword+"\n", "account", "set", "--user", "alice", "--domain", k.Domain, "--proxy", k.Addr(), "--password-stdin")
	ctl(testldap.BindPassword+"\n", "contacts", "ldap", "set", "--url", ldap.URL, "--base-dn", "ou=people,"+testldap.BaseDN,
		"--bind-dn", testldap.BindDN, "--password-stdin")
	ctl("", "contacts", "ldap", "sync")
	ctl("", "profile", "load", filepath.Join("..", "..", "assets", "demo", "profile.json"))
	ctl("", "device", "add", "--model", "T46U", "--mac", "805ec0aabbcc")
	ctl("", "dial", "bob", "--hangup-after", "1s", "--trace", filepath.Join(out, "dial.trace"), "--record", filepath.Join(out, "call.wav"))
	runThenCrash(t, a, dir, filepath.Join(out, "run.trace"))
	ctl("", "calllog", "export", filepath.Join(out, "calls.csv"))
	ctl("", "contacts", "export", filepath.Join(out, "contacts.vcf"))
	saveVoicemailSecrets(t, dir)
	ctl("", "provision", "render", "--out", filepath.Join(t.TempDir(), "phones"), "--url", "http://127.0.0.1:8080/")

	provPw := inKeyring(t, sipPassword, "sip:alice@"+k.Domain, provision.CredentialKey("805ec0aabbcc"))
	if !strings.Contains(string(readAll(t, filepath.Join(out, "dial.trace"))), "Authorization: <redacted>") &&
		!strings.Contains(string(readAll(t, filepath.Join(out, "dial.trace"))), "<redacted>") {
		t.Fatal("the dial trace shows no redacted credentials: the call did not authenticate")
	}
	a.files = append(walk(t, dir), walk(t, out)...)
	for _, secret := range []string{sipPassword, testldap.BindPassword, smtpPassword, smsToken, provPw} {
		a.assertNowhere(t, secret)
	}
	t.Logf("%d command outputs and %d files checked for 5 passwords", len(a.outputs), len(a.files))
}

// runThenCrash registers with `lignectl run` (trace on) and makes it dump
// its goroutines and die (SIGQUIT), as a crash report would show them.
func runThenCrash(t *testing.T, a *artefacts, dir, trace string) {
	t.Helper()
	cmd := exec.Command(lignectlBin, "--data", dir, "-v", "run", "--listen", "127.0.0.1:0", "--trace", trace)
	outb := &syncbuf.Buffer{}
	cmd.Stdout, cmd.Stderr = outb, outb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(guard)
	for !strings.Contains(outb.String(), `"registered"`) && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	_ = cmd.Process.Signal(syscall.SIGQUIT)
	_ = cmd.Wait()
	a.add("lignectl run (crash dump)", []byte(outb.String()))
	if !strings.Contains(outb.String(), `"registered"`) || !strings.Contains(outb.String(), "goroutine ") {
		t.Fatalf("run did not register or left no crash dump:\n%s", outb.String())
	}
}

// saveVoicemailSecrets saves the SMTP password and the SMS token the way
// the window's voicemail settings do.
func saveVoicemailSecrets(t *testing.T, dir string) {
	t.Helper()
	ctx := context.Background()
	db := openStore(t, dir)
	defer db.Close()
	mb := voicemail.NewMailbox(voicemail.MailboxConfig{Store: db, Dir: dir, Secrets: secrets.Keyring{}})
	sys, err := mb.System(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sys.SMTP.Host, sys.SMTP.Port, sys.SMTP.Security, sys.SMTP.User, sys.SMTP.From = "smtp.example.com", 587, "starttls", "ligne", "ligne@example.com"
	sys.SMS.URL = "https://sms.example.com/send"
	if _, err := mb.SaveSystem(ctx, sys, smtpPassword, smsToken); err != nil {
		t.Fatalf("save voicemail settings: %v", err)
	}
}

// inKeyring checks the keyring holds the SIP password and returns the
// generated provisioning password.
func inKeyring(t *testing.T, sip, sipKey, provKey string) string {
	t.Helper()
	if v, err := (secrets.Keyring{}).Get(sipKey); err != nil || v != sip {
		t.Fatalf("the SIP password is not in the keyring: %q %v", v, err)
	}
	pw, err := (secrets.Keyring{}).Get(provKey)
	if err != nil || len(pw) < 12 {
		t.Fatalf("no provisioning password in the keyring: %v", err)
	}
	return pw
}

// assertNowhere fails for each artefact holding secret.
func (a *artefacts) assertNowhere(t *testing.T, secret string) {
	t.Helper()
	for name, b := range a.outputs {
		if bytes.Contains(b, []byte(secret)) {
			t.Errorf("the output of %s holds a password", name)
		}
	}
	for _, f := range a.files {
		if bytes.Contains(readAll(t, f), []byte(secret)) {
			t.Errorf("%s holds a password", f)
		}
	}
}

// walk lists every file under dir.
func walk(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	_ = filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out = append(out, path)
		}
		return nil
	})
	return out
}

func readAll(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	return b
}
