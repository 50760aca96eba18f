package provision_test

import (
	"context"
	"crypto/tls"
	"encoding/base64"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ligne-app/ligne/provision"
	"github.com/ligne-app/ligne/selfcare"
	"github.com/ligne-app/ligne/store"
)

const yealinkUA = "Yealink SIP-T46U 108.86.0.45 805ec0a1b2c3"

func TestDigestAuthServesThePhoneItsFiles(t *testing.T) {
	w := newWorkspace(t)
	s := serve(t, w)
	url := s.httpURL + yealinkMAC + ".cfg"
	first := s.get(t, url, nil)
	if first.status != http.StatusUnauthorized || !strings.Contains(first.body, "Identifiants du poste") {
		t.Fatalf("without credentials: %d %q", first.status, first.body)
	}
	if len(first.header.Values("WWW-Authenticate")) != 1 {
		t.Fatalf("over HTTP only Digest is offered: %v", first.header.Values("WWW-Authenticate"))
	}
	res := s.digestGet(t, url, yealinkMAC, w.pw[yealinkMAC])
	if res.status != http.StatusOK {
		t.Fatalf("with digest: %d %q", res.status, res.body)
	}
	p, err := provision.ParseYealink([]byte(res.body))
	if err != nil {
		t.Fatal(err)
	}
	if p["account.1.user_name"] != "4021" || p["account.1.password"] != "sip-secret" || p["static.auto_provision.server.url"] != s.httpURL ||
		p["static.auto_provision.server.password"] != w.pw[yealinkMAC] || p["linekey.2.type"] != "16" {
		t.Fatalf("served file does not carry the settings: %v", p)
	}
	common := s.digestGet(t, s.httpURL+"y000000000108.cfg", yealinkMAC, w.pw[yealinkMAC])
	if common.status != http.StatusOK || !strings.Contains(common.body, "sip.notify_reboot_enable = 0") {
		t.Fatalf("common file: %d %q", common.status, common.body)
	}
	if wrong := s.digestGet(t, url, yealinkMAC, "not-the-password"); wrong.status != http.StatusUnauthorized {
		t.Fatalf("wrong password: %d", wrong.status)
	}
}

func TestDigestRefusesReplayAndExpiredNonces(t *testing.T) {
	w := newWorkspace(t)
	s := serve(t, w)
	target := s.httpURL + yealinkMAC + ".cfg"
	nonce := digestChallenge(t, s.get(t, target, nil).header)["nonce"]
	auth := digestAuthorization(nonce, "GET", "/"+yealinkMAC+".cfg", yealinkMAC, w.pw[yealinkMAC], 1)
	with := func(r *http.Request) { r.Header.Set("Authorization", auth) }
	if res := s.get(t, target, with); res.status != http.StatusOK {
		t.Fatalf("first use: %d", res.status)
	}
	if res := s.get(t, target, with); res.status != http.StatusUnauthorized {
		t.Fatalf("replayed answer accepted: %d", res.status)
	}
	w.clock.Add(10 * time.Minute)
	late := digestAuthorization(nonce, "GET", "/"+yealinkMAC+".cfg", yealinkMAC, w.pw[yealinkMAC], 2)
	res := s.get(t, target, func(r *http.Request) { r.Header.Set("Authorization", late) })
	if res.status != http.StatusUnauthorized || digestChallenge(t, res.header)["stale"] != "true" {
		t.Fatalf("expired nonce: %d %v", res.status, res.header)
	}
	forged := digestAuthorization(nonce+"0", "GET", "/"+yealinkMAC+".cfg", yealinkMAC, w.pw[yealinkMAC], 3)
	if res := s.get(t, target, func(r *http.Request) { r.Header.Set("Authorization", forged) }); res.status != http.StatusUnauthorized {
		t.Fatalf("nonce not issued by the server accepted: %d", res.status)
	}
}

func basic(user, pw string) func(*http.Request) {
	return func(r *http.Request) {
		r.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(user+":"+pw)))
	}
}

func TestBasicAuthOnlyOverTLS(t *testing.T) {
	w := newWorkspace(t)
	s := serve(t, w)
	plain := s.get(t, s.httpURL+yealinkMAC+".cfg", basic(yealinkMAC, w.pw[yealinkMAC]))
	if plain.status != http.StatusUnauthorized || !strings.Contains(plain.body, "HTTPS") {
		t.Fatalf("basic over HTTP: %d %q", plain.status, plain.body)
	}
	tlsRes := s.get(t, s.httpsURL+yealinkMAC+".cfg", basic(yealinkMAC, w.pw[yealinkMAC]))
	if tlsRes.status != http.StatusOK || !strings.Contains(tlsRes.body, "static.auto_provision.server.url = "+s.httpsURL) {
		t.Fatalf("basic over TLS: %d %q", tlsRes.status, tlsRes.body)
	}
	if bad := s.get(t, s.httpsURL+yealinkMAC+".cfg", basic(yealinkMAC, "guess")); bad.status != http.StatusUnauthorized {
		t.Fatalf("wrong basic password over TLS: %d", bad.status)
	}
	ch := s.get(t, s.httpsURL+yealinkMAC+".cfg", nil).header.Values("WWW-Authenticate")
	if len(ch) != 2 || !strings.HasPrefix(ch[1], "Basic ") {
		t.Fatalf("TLS challenge offers %v", ch)
	}
	poly := s.digestGet(t, s.httpsURL+polyMAC+"-ligne.cfg", polyMAC, w.pw[polyMAC])
	if p, err := provision.ParsePolycom([]byte(poly.body)); err != nil || p["device.prov.serverType"] != "3" {
		t.Fatalf("Poly over HTTPS: %d %v %v", poly.status, p, err)
	}
}

func TestOnlyConfiguredPhonesAreServed(t *testing.T) {
	w := newWorkspace(t)
	s := serve(t, w)
	cases := []struct {
		path, user string
	}{
		{"001565aabbcc.cfg", yealinkMAC},        // unknown MAC
		{"001565aabbcc.cfg", ""},                // unknown MAC, no credentials
		{polyMAC + "-ligne.cfg", yealinkMAC},    // another phone's file
		{yealinkMAC + "-ligne.cfg", yealinkMAC}, // a Poly file for a Yealink
		{"y000000000066.cfg", yealinkMAC},       // the common file of a model not configured
		{"000000000000.cfg", yealinkMAC},        // Poly master for a Yealink
		{"ringtones/carillon.wav", yealinkMAC},  // a ringtone nobody uses
		{"", ""}, {"index.html", ""}, {"ligne.db", yealinkMAC},
	}
	for _, c := range cases {
		res := s.digestGet(t, s.httpURL+c.path, c.user, w.pw[c.user])
		if res.status != http.StatusNotFound || strings.TrimSpace(res.body) != "Aucun fichier de configuration à cette adresse." {
			t.Errorf("%s as %q: %d %q", c.path, c.user, res.status, res.body)
		}
	}
	ctx := context.Background()
	if err := w.db.RemoveDevice(ctx, w.device(t, yealinkMAC).ID); err != nil {
		t.Fatal(err)
	}
	if res := s.digestGet(t, s.httpURL+yealinkMAC+".cfg", yealinkMAC, w.pw[yealinkMAC]); res.status != http.StatusNotFound {
		t.Fatalf("removed phone still served: %d", res.status)
	}
}

func TestNoRequestReadsOutsideTheServedFiles(t *testing.T) {
	w := newWorkspace(t)
	s := serve(t, w)
	ctx := context.Background()
	// The Yealink uses an uploaded ringtone, so ringtones/ is served to it.
	d := w.device(t, yealinkMAC)
	d.Settings.Ringtone = "custom:carillon.wav"
	if _, err := w.db.UpdateDevice(ctx, d); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(w.db.Path(store.DirRingtones), "carillon.wav"), []byte("RIFF-ring"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(w.dir, "secret.wav"), []byte("TOP-SECRET"), 0o600); err != nil {
		t.Fatal(err)
	}
	addr := strings.TrimSuffix(strings.TrimPrefix(s.httpURL, "http://"), "/")
	targets := []string{
		"/../ligne.db", "/../../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2fetc%2fpasswd", "/%2E%2E%2Fligne.db",
		"//etc/passwd", "/etc/passwd", "/%2fetc%2fpasswd", "http://" + addr + "/../ligne.db", "http://" + addr + "/etc/passwd",
		"/ringtones/../secret.wav", "/ringtones/..%2fsecret.wav", "/ringtones/%2e%2e/secret.wav", "/ringtones/..\\secret.wav",
		"/ringtones//secret.wav", "/ringtones/./carillon.wav", "/ringtones/%63arillon.wav", "/" + yealinkMAC + ".cfg/../ligne.db",
		"/" + yealinkMAC + ".cfg?../../ligne.db", "/ringtones/%2fetc%2fpasswd.wav", "/ringtones/.secret.wav", "*",
	}
	for _, target := range targets {
		for _, auth := range []string{"", "Basic " + base64.StdEncoding.EncodeToString([]byte(yealinkMAC+":"+w.pw[yealinkMAC]))} {
			status, body := rawGet(t, addr, target, auth)
			if !strings.Contains(status, " 404 ") && !strings.Contains(status, " 400 ") {
				t.Errorf("%s: %s", target, status)
			}
			if strings.Contains(body, "TOP-SECRET") || strings.Contains(body, "SQLite") || strings.Contains(body, "root:") {
				t.Errorf("%s leaked a file: %q", target, body)
			}
		}
	}
	ring := s.digestGet(t, s.httpURL+"ringtones/carillon.wav", yealinkMAC, w.pw[yealinkMAC])
	if ring.status != http.StatusOK || ring.body != "RIFF-ring" || ring.header.Get("Content-Type") != "audio/wav" {
		t.Fatalf("the phone's own ringtone: %d %q", ring.status, ring.body)
	}
	if res := s.digestGet(t, s.httpURL+"ringtones/carillon.wav", polyMAC, w.pw[polyMAC]); res.status != http.StatusNotFound {
		t.Fatalf("another phone got the ringtone: %d", res.status)
	}
}

func TestOnlyGetIsAccepted(t *testing.T) {
	w := newWorkspace(t)
	s := serve(t, w)
	for path, want := range map[string]int{yealinkMAC + ".cfg": http.StatusMethodNotAllowed, "unknown.cfg": http.StatusNotFound} {
		req, _ := http.NewRequest(http.MethodPut, s.httpURL+path, strings.NewReader("account.1.password = x"))
		res, err := s.client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != want {
			t.Errorf("PUT %s: %d, want %d", path, res.StatusCode, want)
		}
	}
}

func TestTLSIsVersion12OrNewer(t *testing.T) {
	w := newWorkspace(t)
	s := serve(t, w)
	u, _ := url.Parse(s.httpsURL)
	old := s.tlsConfig.Clone()
	old.MinVersion, old.MaxVersion = tls.VersionTLS10, tls.VersionTLS11
	if c, err := tls.Dial("tcp4", u.Host, old); err == nil {
		c.Close()
		t.Fatal("a TLS 1.1 client was served")
	}
	for _, v := range []uint16{tls.VersionTLS12, tls.VersionTLS13} {
		cfg := s.tlsConfig.Clone()
		cfg.MinVersion, cfg.MaxVersion = v, v
		c, err := tls.Dial("tcp4", u.Host, cfg)
		if err != nil {
			t.Fatalf("TLS %x refused: %v", v, err)
		}
		if got := provision.Fingerprint(tls.Certificate{Certificate: [][]byte{c.ConnectionState().PeerCertificates[0].Raw}}); got != provision.Fingerprint(s.cert) {
			t.Fatalf("served certificate %s, want %s", got, provision.Fingerprint(s.cert))
		}
		c.Close()
	}
}

func TestSelfSignedCertificateIsKept(t *testing.T) {
	dir := t.TempDir()
	first, err := provision.LoadOrCreateCertificate(dir, []string{"192.0.2.10", "poste.local"}, renderNow)
	if err != nil {
		t.Fatal(err)
	}
	again, err := provision.LoadOrCreateCertificate(dir, nil, renderNow.Add(24*time.Hour))
	if err != nil || provision.Fingerprint(again) != provision.Fingerprint(first) {
		t.Fatalf("certificate not kept: %v", err)
	}
	if first.Leaf.IPAddresses[0].String() != "192.0.2.10" || first.Leaf.DNSNames[0] != "poste.local" {
		t.Fatalf("names %v %v", first.Leaf.IPAddresses, first.Leaf.DNSNames)
	}
	if info, err := os.Stat(filepath.Join(dir, provision.KeyFileName)); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode: %v %v", info.Mode(), err)
	}
	expired, err := provision.LoadOrCreateCertificate(dir, nil, renderNow.Add(11*365*24*time.Hour))
	if err != nil || provision.Fingerprint(expired) == provision.Fingerprint(first) {
		t.Fatalf("expired certificate not replaced: %v", err)
	}
	own, err := provision.LoadCertificate(filepath.Join(dir, provision.CertFileName), filepath.Join(dir, provision.KeyFileName))
	if err != nil || provision.Fingerprint(own) != provision.Fingerprint(expired) {
		t.Fatalf("user's own certificate: %v", err)
	}
	_, err = provision.LoadCertificate(filepath.Join(dir, "missing.pem"), filepath.Join(dir, provision.KeyFileName))
	if selfcare.ErrorCode(err) != selfcare.CodeCertificateInvalid || !strings.Contains(selfcare.ErrorMessage(err, "fr"), "missing.pem") {
		t.Fatalf("missing certificate: %v", err)
	}
}

func TestYealinkFetchBecomesTheSyncState(t *testing.T) {
	w := newWorkspace(t)
	s := serve(t, w)
	d := w.device(t, yealinkMAC)
	w.clock.Add(time.Minute)
	res := s.digestGet(t, s.httpURL+yealinkMAC+".cfg", yealinkMAC, w.pw[yealinkMAC])
	if res.status != http.StatusOK {
		t.Fatalf("fetch: %d", res.status)
	}
	st, err := w.db.SyncState(context.Background(), d.ID)
	if err != nil {
		t.Fatal(err)
	}
	f := st.LastFetch
	if f.UserAgent != yealinkUA || f.File != yealinkMAC+".cfg" || f.Remote != "127.0.0.1" || !f.At.Equal(renderNow.Add(time.Minute)) ||
		f.Version != d.ConfigVersion || !st.UpToDate(d.ConfigVersion) || st.Address != "127.0.0.1" {
		t.Fatalf("sync state after the fetch: %+v", st)
	}
	a := selfcare.ParsePhoneAgent(f.UserAgent)
	if a.Vendor != "Yealink" || a.Model != "T46U" || a.Firmware != "108.86.0.45" || a.MAC != yealinkMAC {
		t.Fatalf("agent %+v", a)
	}
	if poly := selfcare.ParsePhoneAgent("FileTransport PolycomVVX-VVX_450-UA/6.4.3.5156 Type/Application"); poly.Model != "VVX 450" || poly.Firmware != "6.4.3.5156" {
		t.Fatalf("poly agent %+v", poly)
	}
	d.Label = "Bureau 2"
	if _, err := w.db.UpdateDevice(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	if st, _ := w.db.SyncState(context.Background(), d.ID); st.UpToDate(d.ConfigVersion + 1) {
		t.Fatal("a change left the phone up to date")
	}
	if refused := s.get(t, s.httpURL+polyMAC+"-ligne.cfg", nil); refused.status != http.StatusUnauthorized {
		t.Fatal("unauthenticated fetch served")
	}
	if st, _ := w.db.SyncState(context.Background(), w.device(t, polyMAC).ID); !st.LastFetch.At.IsZero() {
		t.Fatal("a refused request was logged as a fetch")
	}
}
