package provision

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/ligne-app/ligne/selfcare"
)

// Provider gives the server the configured phones, their files and a place
// to log fetches.
type Provider interface {
	Devices(ctx context.Context) ([]selfcare.Device, error)
	// Files renders d's files; base is the server's URL as the phone used it.
	Files(ctx context.Context, d selfcare.Device, base string) ([]File, error)
	RecordFetch(ctx context.Context, f selfcare.Fetch) error
}

// ServerOptions configure a Server.
type ServerOptions struct {
	Provider Provider
	// Password returns a phone's provisioning password by MAC address.
	Password    func(mac string) (string, bool)
	RingtoneDir string // uploaded ringtones (the data folder's ringtones/)
	Lang        string // language of the error texts phones and browsers get
	Logger      *slog.Logger
	Now         func() time.Time
}

// Server serves configuration files to the configured phones only, each
// behind its own credentials, and logs every fetch.
type Server struct {
	opt  ServerOptions
	auth *authenticator

	mu      sync.Mutex
	servers []*http.Server
	closed  bool
}

// NewServer returns a server; it listens once Serve is called.
func NewServer(opt ServerOptions) (*Server, error) {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	a, err := newAuthenticator(opt.Now, opt.Password)
	if err != nil {
		return nil, err
	}
	return &Server{opt: opt, auth: a}, nil
}

// fileName matches the only paths the server answers.
var fileName = regexp.MustCompile(`^(?:[0-9a-f]{12}\.cfg|y[0-9]{12}\.cfg|[0-9a-f]{12}-ligne\.cfg|[0-9a-f]{12}-directory\.xml|` +
	regexp.QuoteMeta(RingtonePath) + `[A-Za-z0-9_-][A-Za-z0-9._-]*\.wav)$`)

// requestedFile returns the file a request names, refusing anything that
// is not a plain file name of the server: encoded characters, dot segments,
// repeated slashes, absolute URLs, queries.
func requestedFile(r *http.Request) (string, bool) {
	raw := r.RequestURI
	if !strings.HasPrefix(raw, "/") || strings.ContainsAny(raw, `%\?#`) || strings.Contains(raw, "..") || strings.Contains(raw, "//") {
		return "", false
	}
	name := raw[1:]
	return name, fileName.MatchString(name)
}

// ServeHTTP answers one request: 404 for any file no configured phone
// fetches, 401 without the credentials of a phone that does, the file
// otherwise.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name, ok := requestedFile(r)
	if !ok {
		s.refuse(w, r, http.StatusNotFound, selfcare.CodeProvisionNotFound)
		return
	}
	owners, err := s.owners(r.Context(), name)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if len(owners) == 0 {
		s.refuse(w, r, http.StatusNotFound, selfcare.CodeProvisionNotFound)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		s.refuse(w, r, http.StatusMethodNotAllowed, selfcare.CodeProvisionMethod)
		return
	}
	d, ok := s.authenticate(w, r, owners)
	if ok {
		s.serveFile(w, r, d, name)
	}
}

// owners returns the configured phones that fetch name, by MAC.
func (s *Server) owners(ctx context.Context, name string) (map[string]selfcare.Device, error) {
	devs, err := s.opt.Provider.Devices(ctx)
	if err != nil {
		return nil, fmt.Errorf("provisioning devices: %w", err)
	}
	out := map[string]selfcare.Device{}
	for _, d := range devs {
		if fetches(d, name) {
			out[d.MAC] = d
		}
	}
	return out, nil
}

// fetches reports whether phone d asks for name.
func fetches(d selfcare.Device, name string) bool {
	if ring, ok := strings.CutPrefix(name, RingtonePath); ok {
		custom, isCustom := d.Settings.CustomRingtone()
		return isCustom && custom == ring
	}
	return slices.Contains(DeviceFiles(d), name)
}

// authenticate checks the credentials against the phones that own the
// file. A phone asking for another phone's file gets a 404, as if the file
// did not exist.
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request, owners map[string]selfcare.Device) (selfcare.Device, bool) {
	user, res := s.auth.check(r)
	switch res {
	case authOK:
		d, ok := owners[user]
		if !ok {
			s.refuse(w, r, http.StatusNotFound, selfcare.CodeProvisionNotFound)
		}
		return d, ok
	case authBasicHTTP:
		s.auth.challenge(w, r, false)
		s.refuse(w, r, http.StatusUnauthorized, selfcare.CodeProvisionBasicTLS)
	default:
		if res == authWrong {
			s.opt.Logger.Warn("provisioning credentials refused", "user", user, "remote", r.RemoteAddr, "path", r.RequestURI)
		}
		s.auth.challenge(w, r, res == authStale)
		s.refuse(w, r, http.StatusUnauthorized, selfcare.CodeProvisionAuth)
	}
	return selfcare.Device{}, false
}

// serveFile sends one file to phone d and logs the fetch first, so that
// the sync state is there as soon as the phone has the file.
func (s *Server) serveFile(w http.ResponseWriter, r *http.Request, d selfcare.Device, name string) {
	content, err := s.open(r, d, name)
	if errors.Is(err, os.ErrNotExist) {
		s.refuse(w, r, http.StatusNotFound, selfcare.CodeProvisionNotFound)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	defer content.Close()
	s.record(r, d, name)
	w.Header().Set("Content-Type", contentType(name))
	w.Header().Set("Cache-Control", "no-store")
	http.ServeContent(w, r, name, time.Time{}, content)
}

// readSeekCloser is a file's content.
type readSeekCloser interface {
	io.ReadSeeker
	io.Closer
}

// open returns a ringtone (opened inside the ringtone folder only) or a
// freshly rendered configuration file.
func (s *Server) open(r *http.Request, d selfcare.Device, name string) (readSeekCloser, error) {
	if ring, ok := strings.CutPrefix(name, RingtonePath); ok {
		return s.openRingtone(ring)
	}
	files, err := s.opt.Provider.Files(r.Context(), d, baseURL(r))
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		if f.Name == name {
			return nopCloser{bytes.NewReader(f.Data)}, nil
		}
	}
	return nil, fmt.Errorf("serve %s: %w", name, ErrNotServed)
}

// nopCloser is rendered content, which needs no closing.
type nopCloser struct{ io.ReadSeeker }

// Close does nothing.
func (nopCloser) Close() error { return nil }

func (s *Server) openRingtone(name string) (readSeekCloser, error) {
	root, err := os.OpenRoot(s.opt.RingtoneDir)
	if err != nil {
		return nil, fmt.Errorf("serve ringtone: %w", err)
	}
	defer root.Close()
	f, err := root.Open(name)
	if err != nil {
		return nil, fmt.Errorf("serve ringtone %s: %w", name, err)
	}
	return f, nil
}

func contentType(name string) string {
	if strings.HasSuffix(name, ".wav") {
		return "audio/wav"
	}
	if strings.HasSuffix(name, ".xml") {
		return "application/xml; charset=utf-8"
	}
	return "text/plain; charset=utf-8"
}

// baseURL is the server's address as the phone reached it.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + "/"
}

// record logs a fetch: in the store for the device's sync state, and in
// the log.
func (s *Server) record(r *http.Request, d selfcare.Device, name string) {
	f := selfcare.Fetch{DeviceID: d.ID, At: s.opt.Now(), File: name, UserAgent: r.UserAgent(), Remote: remoteIP(r), Version: d.ConfigVersion}
	s.opt.Logger.Info("provisioning fetch", "mac", d.MAC, "file", name, "user_agent", f.UserAgent, "remote", f.Remote, "version", f.Version)
	if a := selfcare.ParsePhoneAgent(f.UserAgent); a.MAC != "" && a.MAC != d.MAC {
		s.opt.Logger.Warn("phone announces another MAC", "mac", d.MAC, "user_agent", f.UserAgent)
	}
	if err := s.opt.Provider.RecordFetch(context.WithoutCancel(r.Context()), f); err != nil {
		s.opt.Logger.Error("record provisioning fetch", "mac", d.MAC, "err", err)
	}
}

func remoteIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// refuse answers with a status and a one-line text in the user's language.
func (s *Server) refuse(w http.ResponseWriter, r *http.Request, status int, code selfcare.Code) {
	s.opt.Logger.Debug("provisioning refused", "status", status, "path", r.RequestURI, "remote", r.RemoteAddr)
	http.Error(w, selfcare.Errorf(code, "").Message(s.opt.Lang), status)
}

// fail answers 500 and keeps the detail in the log.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	s.opt.Logger.Error("provisioning request", "path", r.RequestURI, "err", err)
	http.Error(w, selfcare.ErrorMessage(err, s.opt.Lang), http.StatusInternalServerError)
}

// Serve answers requests on l (over TLS when cfg is set) until Shutdown.
func (s *Server) Serve(l net.Listener, cfg *tls.Config) error {
	hs := &http.Server{Handler: s, TLSConfig: cfg, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: time.Minute, IdleTimeout: time.Minute, ErrorLog: slog.NewLogLogger(s.opt.Logger.Handler(), slog.LevelWarn)}
	if !s.track(hs) {
		l.Close()
		return ErrServerClosed
	}
	var err error
	if cfg != nil {
		err = hs.ServeTLS(l, "", "")
	} else {
		err = hs.Serve(l)
	}
	if errors.Is(err, http.ErrServerClosed) {
		return ErrServerClosed
	}
	return fmt.Errorf("provisioning server %s: %w", l.Addr(), err)
}

func (s *Server) track(hs *http.Server) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.servers = append(s.servers, hs)
	return true
}

// Shutdown stops every listener and waits for requests in flight.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.closed = true
	servers := s.servers
	s.servers = nil
	s.mu.Unlock()
	var errs []error
	for _, hs := range servers {
		errs = append(errs, hs.Shutdown(ctx))
	}
	return errors.Join(errs...)
}
