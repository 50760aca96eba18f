package provision_test

import (
	"context"
	"crypto/tls"
	"net/url"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestTLSRefusesWeakCipherSuites: a TLS 1.2 client offering only suites
// without forward secrecy or with broken ciphers (RC4, 3DES, RSA key
// exchange, CBC with SHA-1) gets no session; one offering ECDHE with
// AES-GCM does, and TLS 1.3 is negotiated when both can.
func TestTLSRefusesWeakCipherSuites(t *testing.T) {
	s := serve(t, newWorkspace(t))
	u, _ := url.Parse(s.httpsURL)
	for _, suite := range []uint16{tls.TLS_RSA_WITH_RC4_128_SHA, tls.TLS_RSA_WITH_3DES_EDE_CBC_SHA,
		tls.TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA, tls.TLS_RSA_WITH_AES_128_CBC_SHA, tls.TLS_RSA_WITH_AES_256_GCM_SHA384} {
		cfg := s.tlsConfig.Clone()
		cfg.MaxVersion, cfg.CipherSuites = tls.VersionTLS12, []uint16{suite}
		if c, err := tls.Dial("tcp4", u.Host, cfg); err == nil {
			c.Close()
			t.Errorf("served with %s", tls.CipherSuiteName(suite))
		}
	}
	cfg := s.tlsConfig.Clone()
	cfg.MaxVersion, cfg.CipherSuites = tls.VersionTLS12, []uint16{tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256}
	c, err := tls.Dial("tcp4", u.Host, cfg)
	if err != nil {
		t.Fatalf("ECDHE-RSA-AES128-GCM refused: %v", err)
	}
	c.Close()
	c, err = tls.Dial("tcp4", u.Host, s.tlsConfig)
	if err != nil || c.ConnectionState().Version != tls.VersionTLS13 {
		t.Fatalf("default client: %v, want TLS 1.3", err)
	}
	c.Close()
}

// TestTLSVersionsSeenByOpenSSL asks OpenSSL's own client, allowed every
// old protocol (security level 0), for each version: SSL 3 is not even
// offered by it; TLS 1.0 and 1.1 must fail; 1.2 and 1.3 must succeed.
func TestTLSVersionsSeenByOpenSSL(t *testing.T) {
	bin, err := exec.LookPath("openssl")
	if err != nil {
		t.Fatal("openssl is missing: install the openssl package (make test does: scripts/deps.sh test)")
	}
	s := serve(t, newWorkspace(t))
	u, _ := url.Parse(s.httpsURL)
	for flag, want := range map[string]bool{"-tls1": false, "-tls1_1": false, "-tls1_2": true, "-tls1_3": true} {
		out, ok := sClient(t, bin, u.Host, flag)
		if ok != want {
			t.Errorf("openssl s_client %s: handshake %v, want %v\n%s", flag, ok, want, out)
		}
	}
}

// sClient runs one handshake and reports whether a session was set up.
func sClient(t *testing.T, bin, addr, flag string) (string, bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "s_client", "-connect", addr, flag, "-cipher", "DEFAULT@SECLEVEL=0", "-brief")
	cmd.Stdin = strings.NewReader("")
	out, _ := cmd.CombinedOutput()
	return string(out), strings.Contains(string(out), "CONNECTION ESTABLISHED")
}
