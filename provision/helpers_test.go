package provision_test

import (
	"bufio"
	"context"
	"crypto/md5"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ligne-app/ligne/internal/demo"
	"github.com/ligne-app/ligne/provision"
	"github.com/ligne-app/ligne/secrets"
	"github.com/ligne-app/ligne/selfcare"
	"github.com/ligne-app/ligne/store"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.t = c.t.Add(d) }

// workspace is a real store seeded with the demo (a T46U and a VVX 450,
// keys, forwarding), a real SIP account and provisioning passwords.
type workspace struct {
	db      *store.DB
	dir     string
	secrets *secrets.Memory
	clock   *clock
	pw      map[string]string // provisioning password by MAC
}

func newWorkspace(t testing.TB) *workspace {
	t.Helper()
	ctx := context.Background()
	w := &workspace{dir: t.TempDir(), secrets: &secrets.Memory{}, clock: &clock{t: renderNow}, pw: map[string]string{}}
	db, err := store.Open(ctx, w.dir, store.Options{Now: w.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	w.db = db
	if err := demo.Seed(ctx, db, renderNow); err != nil {
		t.Fatal(err)
	}
	acct := selfcare.Account{DisplayName: "Camille Durand", User: "4021", Domain: "sip.lemoine-equipements.fr", Transport: selfcare.TransportUDP}
	if err := db.SetAccount(ctx, acct); err != nil {
		t.Fatal(err)
	}
	if err := w.secrets.Set(acct.SecretKey(), "sip-secret"); err != nil {
		t.Fatal(err)
	}
	for _, mac := range []string{yealinkMAC, polyMAC} {
		if w.pw[mac], err = (provision.Credentials{Secrets: w.secrets}).Ensure(mac); err != nil {
			t.Fatal(err)
		}
	}
	return w
}

func (w *workspace) device(t testing.TB, mac string) selfcare.Device {
	t.Helper()
	devs, err := w.db.Devices(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range devs {
		if d.MAC == mac {
			return d
		}
	}
	t.Fatalf("no device %s", mac)
	return selfcare.Device{}
}

// served is a running provisioning server on 127.0.0.1.
type served struct {
	srv       *provision.Server
	httpURL   string
	httpsURL  string
	tlsConfig *tls.Config // trusts the server's certificate
	cert      tls.Certificate
}

// serve starts the server of w on free loopback ports, HTTP and HTTPS.
func serve(t testing.TB, w *workspace) *served {
	t.Helper()
	p, err := provision.NewStoreProvider(w.db, w.secrets, w.clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := provision.NewServer(provision.ServerOptions{Provider: p, Password: p.Password,
		RingtoneDir: w.db.Path(store.DirRingtones), Lang: selfcare.LangFrench, Now: w.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	cert, err := provision.LoadOrCreateCertificate(w.dir, []string{"127.0.0.1"}, renderNow)
	if err != nil {
		t.Fatal(err)
	}
	s := &served{srv: srv, cert: cert}
	s.httpURL = "http://" + listen(t, srv, nil) + "/"
	s.httpsURL = "https://" + listen(t, srv, provision.TLSConfig(cert)) + "/"
	s.tlsConfig = trusting(t, cert)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	})
	return s
}

func listen(t testing.TB, srv *provision.Server, cfg *tls.Config) string {
	t.Helper()
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		if err := srv.Serve(l, cfg); !errors.Is(err, provision.ErrServerClosed) {
			t.Errorf("serve: %v", err)
		}
	}()
	return l.Addr().String()
}

// trusting is a client configuration that trusts exactly cert.
func trusting(t testing.TB, cert tls.Certificate) *tls.Config {
	t.Helper()
	pool := newPool(t, cert)
	return &tls.Config{RootCAs: pool, ServerName: "127.0.0.1"}
}

// client is an HTTP client like a phone's: no redirects followed.
func (s *served) client() *http.Client {
	return &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: s.tlsConfig.Clone()},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// response is a finished HTTP exchange.
type response struct {
	status int
	header http.Header
	body   string
}

func (s *served) get(t testing.TB, url string, mod func(*http.Request)) response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("User-Agent", "Yealink SIP-T46U 108.86.0.45 805ec0a1b2c3")
	if mod != nil {
		mod(req)
	}
	res, err := s.client().Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return response{status: res.StatusCode, header: res.Header, body: string(b)}
}

// digestGet fetches url answering the Digest challenge as user/password,
// the way a phone does: a first request, then one with credentials.
func (s *served) digestGet(t testing.TB, url, user, password string) response {
	t.Helper()
	first := s.get(t, url, nil)
	if first.status != http.StatusUnauthorized {
		return first
	}
	ch := digestChallenge(t, first.header)
	return s.get(t, url, func(r *http.Request) {
		r.Header.Set("Authorization", digestAuthorization(ch["nonce"], r.Method, r.URL.RequestURI(), user, password, 1))
	})
}

// digestChallenge returns the parameters of the Digest challenge.
func digestChallenge(t testing.TB, h http.Header) map[string]string {
	t.Helper()
	for _, v := range h.Values("WWW-Authenticate") {
		if rest, ok := strings.CutPrefix(v, "Digest "); ok {
			out := map[string]string{}
			for _, part := range strings.Split(rest, ", ") {
				k, val, _ := strings.Cut(part, "=")
				out[k] = strings.Trim(val, `"`)
			}
			return out
		}
	}
	t.Fatalf("no Digest challenge in %v", h)
	return nil
}

func md5hex(s string) string {
	sum := md5.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

// digestAuthorization builds a qop=auth MD5 answer, as RFC 7616 says.
func digestAuthorization(nonce, method, uri, user, password string, nc int) string {
	cnonce, ncs := "0a4f113b", fmt.Sprintf("%08x", nc)
	ha1 := md5hex(user + ":" + provision.Realm + ":" + password)
	ha2 := md5hex(method + ":" + uri)
	resp := md5hex(ha1 + ":" + nonce + ":" + ncs + ":" + cnonce + ":auth:" + ha2)
	return fmt.Sprintf(`Digest username="%s", realm="%s", nonce="%s", uri="%s", algorithm=MD5, qop=auth, nc=%s, cnonce="%s", response="%s"`,
		user, provision.Realm, nonce, uri, ncs, cnonce, resp)
}

// rawGet sends a request line as written, bypassing any client-side path
// cleaning, and returns the status line and the body.
func rawGet(t testing.TB, addr, target, auth string) (string, string) {
	t.Helper()
	c, err := net.DialTimeout("tcp4", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	req := "GET " + target + " HTTP/1.1\r\nHost: " + addr + "\r\nConnection: close\r\n"
	if auth != "" {
		req += "Authorization: " + auth + "\r\n"
	}
	if _, err := io.WriteString(c, req+"\r\n"); err != nil {
		t.Fatal(err)
	}
	r := bufio.NewReader(c)
	status, _ := r.ReadString('\n')
	rest, _ := io.ReadAll(r)
	return strings.TrimSpace(status), string(rest)
}

func newPool(t testing.TB, cert tls.Certificate) *x509.CertPool {
	t.Helper()
	pool := x509.NewCertPool()
	leaf, err := x509.ParseCertificate(cert.Certificate[0])
	if err != nil {
		t.Fatal(err)
	}
	pool.AddCert(leaf)
	return pool
}
