package softphone

import (
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"log/slog"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ligne-app/ligne/internal/peers"
)

var regUsers = map[string]string{"alice": "Al1ce-pw", "bob": "B0b-pw", "carol": "Car0l-pw", "dave": "D4ve-pw", "erin": "Er1n-pw"}

func TestRegisterToKamailio(t *testing.T) {
	k := peers.StartKamailio(t, peers.KamailioOptions{Users: regUsers, TLS: true})
	for _, tr := range []Transport{TransportUDP, TransportTCP} {
		t.Run("md5 over "+string(tr), func(t *testing.T) {
			_, rec := testPhone(t, kamailioAccount(k, "alice", regUsers["alice"], tr), Options{})
			ev := rec.reg(RegRegistered)
			if ev.Code != 200 || ev.Expires != time.Minute {
				t.Fatalf("registered %+v, want 200 for 60 s", ev)
			}
		})
	}
	t.Run("tls with pinned certificate", func(t *testing.T) {
		acct := kamailioAccount(k, "bob", regUsers["bob"], TransportTLS)
		acct.TLSPinSHA256 = certPin(t, k.TLSCertFile)
		_, rec := testPhone(t, acct, Options{})
		rec.reg(RegRegistered)
	})
	t.Run("tls verifies the certificate by default", func(t *testing.T) {
		_, rec := testPhone(t, kamailioAccount(k, "bob", regUsers["bob"], TransportTLS), Options{})
		ev := rec.reg(RegRetrying)
		if !strings.Contains(ev.Reason, "certificate") {
			t.Fatalf("self-signed server accepted or unclear reason: %+v", ev)
		}
	})
	t.Run("wrong password gives a clear status", func(t *testing.T) {
		p, rec := testPhone(t, kamailioAccount(k, "carol", "not-her-password", TransportUDP), Options{})
		ev := rec.reg(RegFailed)
		if ev.Code != 401 || !strings.Contains(ev.Reason, "check the user name and password") || ev.RetryIn <= 0 {
			t.Fatalf("wrong password status %+v", ev)
		}
		if got := p.Registration(); got.State != RegFailed {
			t.Fatalf("Registration() = %+v", got)
		}
	})
	t.Run("unregister on shutdown", func(t *testing.T) {
		alice, arec := testPhone(t, kamailioAccount(k, "alice", regUsers["alice"], TransportUDP), Options{})
		arec.reg(RegRegistered)
		caller := kamailioAccount(k, "erin", regUsers["erin"], TransportUDP)
		caller.NoRegister = true
		erin, _ := testPhone(t, caller, Options{})
		c, err := erin.Dial(bctx(t), "alice", DialOptions{})
		if err != nil {
			t.Fatal(err)
		}
		in := arec.next(func(ev Event) bool { _, ok := ev.(CallIncomingEvent); return ok }).(CallIncomingEvent)
		if err := in.Call.Reject(bctx(t), 486); err != nil {
			t.Fatal(err)
		}
		if e := waitEnded(t, c); e.Reason != EndBusy {
			t.Fatalf("call to registered alice ended %+v", e)
		}
		if err := alice.Shutdown(bctx(t)); err != nil {
			t.Fatal(err)
		}
		arec.reg(RegUnregistered)
		c, err = erin.Dial(bctx(t), "alice", DialOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if e := waitEnded(t, c); e.Reason != EndNotFound {
			t.Fatalf("call after alice quit ended %+v, want not found", e)
		}
	})
	t.Run("trace redacts credentials", func(t *testing.T) {
		trace, logs := &syncBuffer{}, &syncBuffer{}
		logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
		_, rec := testPhone(t, kamailioAccount(k, "dave", regUsers["dave"], TransportUDP), Options{Trace: trace, Logger: logger})
		rec.reg(RegRegistered)
		if strings.Contains(logs.String(), regUsers["dave"]) {
			t.Fatalf("debug log leaks the password:\n%s", logs.String())
		}
		out := trace.String()
		if !strings.Contains(out, "REGISTER sip:") || !strings.Contains(out, "Authorization: <redacted>") {
			t.Fatalf("trace lacks REGISTER or redacted Authorization:\n%s", out)
		}
		if strings.Contains(out, regUsers["dave"]) || strings.Contains(out, "response=") {
			t.Fatalf("trace leaks credentials:\n%s", out)
		}
	})
}

// TestRegisterWithSHA256 registers (401) and calls (407) with SHA-256
// digest challenges.
func TestRegisterWithSHA256(t *testing.T) {
	k := peers.StartKamailio(t, peers.KamailioOptions{Users: regUsers, Algorithm: "SHA-256", CallAuth: true})
	trace := &syncBuffer{}
	alice, rec := testPhone(t, kamailioAccount(k, "alice", regUsers["alice"], TransportUDP), Options{Trace: trace})
	_, brec := testPhone(t, kamailioAccount(k, "bob", regUsers["bob"], TransportUDP), Options{AutoAnswer: true})
	rec.reg(RegRegistered)
	brec.reg(RegRegistered)
	c, err := alice.Dial(bctx(t), "bob", DialOptions{})
	if err != nil {
		t.Fatal(err)
	}
	waitAnswered(t, c)
	_ = c.Hangup(bctx(t))
	out := trace.String()
	for _, want := range []string{"SIP/2.0 401", "SIP/2.0 407", "algorithm=SHA-256"} {
		if !strings.Contains(out, want) {
			t.Fatalf("trace lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "algorithm=MD5") {
		t.Fatalf("an MD5 challenge was used:\n%s", out)
	}
}

// TestReregisterAfterKamailioRestart stops the registrar, waits until
// Ligne notices (keep-alive), restarts it and expects a new registration.
// The speed requirement (within 5 s of the restart) is held by the
// mechanism: while retrying, the registrar is probed every ProbeInterval
// (4 s by default) and a probe answer registers at once.
func TestReregisterAfterKamailioRestart(t *testing.T) {
	k := peers.StartKamailio(t, peers.KamailioOptions{Users: regUsers})
	for _, tr := range []Transport{TransportUDP, TransportTCP} {
		t.Run(string(tr), func(t *testing.T) {
			p, rec := testPhone(t, kamailioAccount(k, "alice", regUsers["alice"], tr), Options{})
			rec.reg(RegRegistered)
			k.Stop()
			lost := rec.reg(RegRetrying)
			if p.opts.ProbeInterval > 5*time.Second {
				t.Fatalf("probe interval %v cannot meet 5 s", p.opts.ProbeInterval)
			}
			restarted := time.Now()
			k.Start()
			back := rec.reg(RegRegistered)
			t.Logf("lost: %q; registered again %v after the restart (probe every %v)",
				lost.Reason, back.Time.Sub(restarted).Round(time.Millisecond), p.opts.ProbeInterval)
		})
	}
}

func TestReregisterAfterNetworkChangeAndSleep(t *testing.T) {
	k := peers.StartKamailio(t, peers.KamailioOptions{Users: regUsers})
	var network atomic.Value
	network.Store("eth0 192.0.2.10/24")
	var jump atomic.Int64
	acct := kamailioAccount(k, "bob", regUsers["bob"], TransportUDP)
	acct.KeepAlive = -1
	acct.Expiry = time.Hour // no refresh during the test: only the watcher can cause a REGISTER
	_, rec := testPhone(t, acct, Options{WatchInterval: 100 * time.Millisecond,
		NetworkState: func() string { return network.Load().(string) },
		Now:          func() time.Time { return time.Now().Add(time.Duration(jump.Load())) }})
	first := rec.reg(RegRegistered)
	network.Store("wlan0 198.51.100.7/24")
	second := rec.reg(RegRegistered)
	jump.Store(int64(time.Hour)) // the machine slept an hour
	third := rec.reg(RegRegistered)
	if !second.Time.After(first.Time) || !third.Time.After(second.Time) {
		t.Fatalf("registrations not renewed: %v %v %v", first.Time, second.Time, third.Time)
	}
}

func TestBackoffAndRefreshSchedule(t *testing.T) {
	want := []time.Duration{1, 2, 4, 8, 16, 30, 30}
	for i, w := range want {
		if got := backoff(i+1, 30*time.Second); got != w*time.Second {
			t.Errorf("backoff after %d failures = %v, want %v", i+1, got, w*time.Second)
		}
	}
	if got := refreshAfter(time.Minute); got != 30*time.Second {
		t.Errorf("refresh of 60 s binding after %v", got)
	}
	if got := refreshAfter(time.Hour); got != time.Hour-30*time.Second {
		t.Errorf("refresh of 1 h binding after %v", got)
	}
}

func TestRedact(t *testing.T) {
	msg := "REGISTER sip:x SIP/2.0\r\nAuthorization: Digest username=\"a\", response=\"abc\"\r\n" +
		"proxy-authorization: Digest x\r\nX-Note: pw=hunter2\r\n"
	out := Redact(msg, "hunter2")
	if strings.Contains(out, "abc") || strings.Contains(out, "hunter2") || strings.Contains(out, "Digest x") {
		t.Fatalf("not redacted:\n%s", out)
	}
}

func certPin(t *testing.T, path string) string {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(raw)
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(cert.Raw)
	return hex.EncodeToString(sum[:])
}

// TestRegisterLearnsPublicAddressFromRport: a registrar answers that the
// REGISTER came from 198.51.100.7:5999 (received/rport, RFC 3581); Ligne
// registers again with that public address as its contact, so calls reach
// it through the NAT binding.
func TestRegisterLearnsPublicAddressFromRport(t *testing.T) {
	s := peers.StartSipp(t, "testdata/sipp/registrar_nat.xml", "-m", "1")
	acct := Account{User: "alice", Domain: "ligne.test", Registrar: s.Addr(), Expiry: time.Minute, KeepAlive: -1}
	p, rec := testPhone(t, acct, Options{})
	first := rec.reg(RegRegistered)
	second := rec.reg(RegRegistered)
	if second.Contact != "198.51.100.7:5999" || first.Contact == second.Contact {
		t.Fatalf("contacts %q then %q, want the public 198.51.100.7:5999", first.Contact, second.Contact)
	}
	if r := s.Wait(bctx(t)); r.ExitCode != 0 {
		t.Fatalf("sipp registrar: exit %d\n%s", r.ExitCode, r.Log)
	}
	_ = p.Close()
}

func TestRegistrationStatusLine(t *testing.T) {
	cases := map[string]RegistrationEvent{
		"registered": {State: RegRegistered},
		"failed: authentication refused (401 Unauthorized) (retrying in 30 s)": {State: RegFailed,
			Reason: "authentication refused (401 Unauthorized)", RetryIn: 30 * time.Second},
		"retrying in 4 s: no answer from the server": {State: RegRetrying, Reason: "no answer from the server", RetryIn: 4 * time.Second},
	}
	for want, ev := range cases {
		if got := ev.String(); got != want {
			t.Errorf("%+v: %q, want %q", ev, got, want)
		}
	}
}
