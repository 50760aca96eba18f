package provision

import (
	"crypto/hmac"
	"crypto/md5"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Realm is the authentication realm phones see.
const Realm = "Ligne"

// nonceLifetime bounds how long a digest challenge may be answered.
const nonceLifetime = 5 * time.Minute

// authResult is the outcome of checking a request's credentials.
type authResult int

const (
	authMissing   authResult = iota // no usable credentials: challenge
	authOK                          // user is who they say
	authWrong                       // bad password, unknown user, replay
	authStale                       // good password on an expired nonce
	authBasicHTTP                   // Basic over plain HTTP: refused unread
)

// authenticator checks HTTP Digest (RFC 7616, MD5, qop=auth) and, over TLS
// only, Basic credentials against each phone's password.
type authenticator struct {
	key      []byte // signs nonces, so the server keeps none
	now      func() time.Time
	password func(user string) (string, bool)

	mu   sync.Mutex
	used map[string]uint64 // nonce -> highest nonce count seen, against replays
}

func newAuthenticator(now func() time.Time, password func(string) (string, bool)) (*authenticator, error) {
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("provisioning nonce key: %w", err)
	}
	return &authenticator{key: key, now: now, password: password, used: map[string]uint64{}}, nil
}

// check returns the authenticated user name and the outcome.
func (a *authenticator) check(r *http.Request) (string, authResult) {
	h := r.Header.Get("Authorization")
	scheme, rest, _ := strings.Cut(h, " ")
	switch strings.ToLower(scheme) {
	case "digest":
		return a.checkDigest(r, parseAuthParams(rest))
	case "basic":
		if r.TLS == nil {
			return "", authBasicHTTP
		}
		return a.checkBasic(r)
	}
	return "", authMissing
}

func (a *authenticator) checkBasic(r *http.Request) (string, authResult) {
	user, pass, ok := r.BasicAuth()
	if !ok {
		return "", authMissing
	}
	want, known := a.password(user)
	if !known || subtle.ConstantTimeCompare([]byte(pass), []byte(want)) != 1 {
		return user, authWrong
	}
	return user, authOK
}

func (a *authenticator) checkDigest(r *http.Request, p map[string]string) (string, authResult) {
	user := p["username"]
	if p["realm"] != Realm || p["qop"] != "auth" || p["uri"] != r.RequestURI || p["nc"] == "" {
		return user, authWrong
	}
	if alg := p["algorithm"]; alg != "" && !strings.EqualFold(alg, "MD5") {
		return user, authWrong
	}
	want, known := a.password(user)
	if !known || !hmac.Equal([]byte(p["response"]), []byte(digestResponse(p, r.Method, want))) {
		return user, authWrong
	}
	fresh, valid := a.nonceState(p["nonce"])
	if !valid {
		return user, authWrong
	}
	if !fresh {
		return user, authStale
	}
	if !a.countOnce(p["nonce"], p["nc"]) {
		return user, authWrong
	}
	return user, authOK
}

// digestResponse computes the expected response for qop=auth with MD5.
func digestResponse(p map[string]string, method, password string) string {
	ha1 := md5hex(p["username"] + ":" + Realm + ":" + password)
	ha2 := md5hex(method + ":" + p["uri"])
	return md5hex(ha1 + ":" + p["nonce"] + ":" + p["nc"] + ":" + p["cnonce"] + ":auth:" + ha2)
}

func md5hex(s string) string {
	sum := md5.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

// newNonce returns "<unix seconds>.<random>.<signature>".
func (a *authenticator) newNonce() string {
	r := make([]byte, 12)
	_, _ = rand.Read(r)
	payload := strconv.FormatInt(a.now().Unix(), 10) + "." + hex.EncodeToString(r)
	return payload + "." + a.sign(payload)
}

func (a *authenticator) sign(payload string) string {
	m := hmac.New(sha256.New, a.key)
	m.Write([]byte(payload))
	return hex.EncodeToString(m.Sum(nil))[:32]
}

// nonceState reports whether nonce was issued by this server (valid) and
// is still young enough (fresh).
func (a *authenticator) nonceState(nonce string) (fresh, valid bool) {
	i := strings.LastIndexByte(nonce, '.')
	if i < 0 || !hmac.Equal([]byte(nonce[i+1:]), []byte(a.sign(nonce[:i]))) {
		return false, false
	}
	ts, _, _ := strings.Cut(nonce, ".")
	secs, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return false, false
	}
	age := a.now().Sub(time.Unix(secs, 0))
	return age >= -time.Minute && age <= nonceLifetime, true
}

// countOnce accepts each nonce count at most once, in increasing order,
// and forgets nonces once they expire.
func (a *authenticator) countOnce(nonce, nc string) bool {
	n, err := strconv.ParseUint(nc, 16, 64)
	if err != nil {
		return false
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	for k := range a.used {
		if fresh, _ := a.nonceState(k); !fresh {
			delete(a.used, k)
		}
	}
	if n <= a.used[nonce] {
		return false
	}
	a.used[nonce] = n
	return true
}

// challenge asks for credentials: Digest always, Basic as well over TLS.
func (a *authenticator) challenge(w http.ResponseWriter, r *http.Request, stale bool) {
	d := fmt.Sprintf(`Digest realm="%s", qop="auth", algorithm=MD5, nonce="%s"`, Realm, a.newNonce())
	if stale {
		d += ", stale=true"
	}
	w.Header().Add("WWW-Authenticate", d)
	if r.TLS != nil {
		w.Header().Add("WWW-Authenticate", `Basic realm="`+Realm+`", charset="UTF-8"`)
	}
}

// parseAuthParams reads a comma-separated list of name=value or
// name="quoted value" pairs (names lower-cased).
func parseAuthParams(s string) map[string]string {
	out := map[string]string{}
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimLeft(strings.TrimSpace(s), ",") {
		name, rest, ok := strings.Cut(s, "=")
		if !ok {
			return out
		}
		name = strings.ToLower(strings.TrimSpace(name))
		value, tail := authValue(strings.TrimSpace(rest))
		out[name], s = value, tail
	}
	return out
}

// authValue reads one value, quoted (with backslash escapes) or plain.
func authValue(s string) (value, rest string) {
	if !strings.HasPrefix(s, `"`) {
		v, r, _ := strings.Cut(s, ",")
		return strings.TrimSpace(v), r
	}
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' && i+1 < len(s):
			i++
			b.WriteByte(s[i])
		case c == '"':
			return b.String(), s[i+1:]
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), ""
}
