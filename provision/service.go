package provision

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/ligne-app/ligne/selfcare"
)

// ServiceStore is what the provisioning service needs from storage.
type ServiceStore interface {
	Store
	selfcare.SettingsService
}

// ServiceOptions configure a Service.
type ServiceOptions struct {
	Store   ServiceStore
	Secrets selfcare.Secrets
	DataDir string // the certificate is kept here, uploaded ringtones are under ringtones/
	Logger  *slog.Logger
	Now     func() time.Time
	// Interval is how often changes are looked for and pushed: 3 s when
	// zero, never when negative (pushes only on demand).
	Interval time.Duration
	Notifier *Notifier // nil: a default one
	// OnFetch, when set, hears every fetch once it is recorded.
	OnFetch func(selfcare.Fetch)
}

// Service is provisioning as Ligne's window runs it: the server, off until
// the user turns it on, and the automatic pushes while it runs. It
// implements selfcare.DeviceSync.
type Service struct {
	opt      ServiceOptions
	provider *StoreProvider
	syncer   *Syncer

	mu  sync.Mutex
	run *running // nil while off
}

// running is a started server with its listeners and watcher.
type running struct {
	cfg    selfcare.ProvisioningConfig
	server *Server
	cancel context.CancelFunc
	wg     sync.WaitGroup
	urls   []string
	finger string
}

var _ selfcare.DeviceSync = (*Service)(nil)

// NewService prepares the service; Start turns the server on when the
// user had left it on.
func NewService(opt ServiceOptions) (*Service, error) {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if opt.Interval == 0 {
		opt.Interval = 3 * time.Second
	}
	if opt.Notifier == nil {
		opt.Notifier = &Notifier{Logger: opt.Logger, Now: opt.Now}
	}
	p, err := NewStoreProvider(opt.Store, opt.Secrets, opt.Now)
	if err != nil {
		return nil, err
	}
	p.OnFetch = opt.OnFetch
	return &Service{opt: opt, provider: p, syncer: NewSyncer(opt.Store, p, opt.Notifier, opt.Logger)}, nil
}

// Start starts the server with the saved configuration, if it is on.
func (s *Service) Start(ctx context.Context) error {
	cfg, err := LoadConfig(ctx, s.opt.Store)
	if err != nil || !cfg.Enabled {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.start(ctx, cfg)
}

// Close turns the server off (the saved configuration stays).
func (s *Service) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stop()
}

// ProvisioningServer returns the saved configuration and whether the
// server runs.
func (s *Service) ProvisioningServer(ctx context.Context) (selfcare.ProvisioningStatus, error) {
	cfg, err := LoadConfig(ctx, s.opt.Store)
	if err != nil {
		return selfcare.ProvisioningStatus{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.status(cfg), nil
}

// status describes the server as it runs. Called with mu held.
func (s *Service) status(cfg selfcare.ProvisioningConfig) selfcare.ProvisioningStatus {
	st := selfcare.ProvisioningStatus{Config: cfg}
	if s.run != nil {
		st.Running, st.URLs, st.CertFingerprint = true, s.run.urls, s.run.finger
	}
	return st
}

// Serve runs the server with c without saving it: the headless program's
// way.
func (s *Service) Serve(ctx context.Context, c selfcare.ProvisioningConfig) (selfcare.ProvisioningStatus, error) {
	if err := c.Validate(); err != nil {
		return selfcare.ProvisioningStatus{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.apply(ctx, c); err != nil {
		return selfcare.ProvisioningStatus{}, err
	}
	return s.status(c), nil
}

// SetProvisioningServer applies and saves a configuration: the server
// restarts with it, or stops. When it cannot start, the previous state is
// restored and nothing is saved.
func (s *Service) SetProvisioningServer(ctx context.Context, c selfcare.ProvisioningConfig) (selfcare.ProvisioningStatus, error) {
	if err := c.Validate(); err != nil {
		return selfcare.ProvisioningStatus{}, err
	}
	s.mu.Lock()
	err := s.apply(ctx, c)
	s.mu.Unlock()
	if err != nil {
		return selfcare.ProvisioningStatus{}, err
	}
	if err := SaveConfig(ctx, s.opt.Store, c); err != nil {
		return selfcare.ProvisioningStatus{}, err
	}
	return s.ProvisioningServer(ctx)
}

// apply restarts the server with c, going back to the previous one when
// c cannot start.
func (s *Service) apply(ctx context.Context, c selfcare.ProvisioningConfig) error {
	var previous *selfcare.ProvisioningConfig
	if s.run != nil {
		p := s.run.cfg
		previous = &p
	}
	if err := s.stop(); err != nil {
		s.opt.Logger.Warn("stop provisioning server", "err", err)
	}
	if !c.Enabled {
		return nil
	}
	err := s.start(ctx, c)
	if err != nil && previous != nil {
		if again := s.start(ctx, *previous); again != nil {
			s.opt.Logger.Error("restart provisioning server", "err", again)
		}
	}
	return err
}

// SyncNow pushes to one phone; the server must be on, since the phone
// fetches from it.
func (s *Service) SyncNow(ctx context.Context, deviceID int64) (selfcare.SyncResult, error) {
	if !s.Running() {
		return selfcare.SyncResult{}, selfcare.Errorf(selfcare.CodeProvisioningOff, "")
	}
	return s.syncer.SyncNow(ctx, deviceID)
}

// Running reports whether the server is on.
func (s *Service) Running() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.run != nil
}

// DeviceCredentials returns what to type into the phone for its first
// fetch: the server's URL, the phone's user name and password (created the
// first time, kept in the keyring).
func (s *Service) DeviceCredentials(ctx context.Context, deviceID int64) (selfcare.ProvisioningCredentials, error) {
	d, err := s.syncer.device(ctx, deviceID)
	if err != nil {
		return selfcare.ProvisioningCredentials{}, err
	}
	pw, err := s.provider.Credentials.Ensure(d.MAC)
	if err != nil {
		return selfcare.ProvisioningCredentials{}, err
	}
	c := selfcare.ProvisioningCredentials{User: d.MAC, Password: pw}
	if st, err := s.ProvisioningServer(ctx); err == nil && len(st.URLs) > 0 {
		c.URL = st.URLs[0]
	}
	return c, nil
}

// ForgetDevice deletes a removed phone's provisioning password.
func (s *Service) ForgetDevice(mac string) error { return s.provider.Credentials.Forget(mac) }

// start listens on c's addresses and starts the watcher. Called with mu held.
func (s *Service) start(ctx context.Context, c selfcare.ProvisioningConfig) error {
	srv, err := NewServer(ServerOptions{Provider: s.provider, Password: s.provider.Password, RingtoneDir: filepath.Join(s.opt.DataDir, RingtonePath),
		Lang: language(ctx, s.opt.Store), Logger: s.opt.Logger, Now: s.opt.Now})
	if err != nil {
		return err
	}
	r := &running{cfg: c, server: srv}
	if err := s.listen(r, c); err != nil {
		_ = srv.Shutdown(context.WithoutCancel(ctx))
		return err
	}
	watchCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	r.cancel = cancel
	if s.opt.Interval > 0 {
		r.wg.Go(func() { s.syncer.Watch(watchCtx, s.opt.Interval) })
	}
	s.run = r
	s.opt.Logger.Info("provisioning server on", "urls", r.urls)
	return nil
}

// listen opens the HTTP and HTTPS listeners of c and serves them.
func (s *Service) listen(r *running, c selfcare.ProvisioningConfig) error {
	if c.HTTPAddr != "" {
		l, err := net.Listen("tcp", c.HTTPAddr)
		if err != nil {
			return selfcare.Errorf(selfcare.CodeProvisioningListen, "provision_http", c.HTTPAddr, err.Error())
		}
		s.serve(r, l, nil, "http")
	}
	if c.HTTPSAddr == "" {
		return nil
	}
	cert, err := s.certificate(c)
	if err != nil {
		return err
	}
	l, err := net.Listen("tcp", c.HTTPSAddr)
	if err != nil {
		return selfcare.Errorf(selfcare.CodeProvisioningListen, "provision_https", c.HTTPSAddr, err.Error())
	}
	r.finger = Fingerprint(cert)
	s.serve(r, l, TLSConfig(cert), "https")
	return nil
}

func (s *Service) serve(r *running, l net.Listener, cfg *tls.Config, scheme string) {
	r.urls = append(r.urls, listenURLs(scheme, l.Addr())...)
	r.wg.Go(func() {
		if err := r.server.Serve(l, cfg); !errors.Is(err, ErrServerClosed) {
			s.opt.Logger.Error("provisioning server stopped", "err", err)
		}
	})
}

// certificate is the user's own, or Ligne's self-signed one.
func (s *Service) certificate(c selfcare.ProvisioningConfig) (tls.Certificate, error) {
	if c.CertFile != "" {
		return LoadCertificate(c.CertFile, c.KeyFile)
	}
	return LoadOrCreateCertificate(s.opt.DataDir, LocalHosts(), s.opt.Now())
}

// stop shuts the server and the watcher down. Called with mu held.
func (s *Service) stop() error {
	r := s.run
	if r == nil {
		return nil
	}
	s.run = nil
	r.cancel()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := r.server.Shutdown(ctx)
	r.wg.Wait()
	s.opt.Logger.Info("provisioning server off")
	return err
}

// listenURLs are the base URLs phones can use for a listener: one per
// local address when it listens on all of them.
func listenURLs(scheme string, addr net.Addr) []string {
	tcp, ok := addr.(*net.TCPAddr)
	if !ok {
		return []string{scheme + "://" + addr.String() + "/"}
	}
	port := strconv.Itoa(tcp.Port)
	if !tcp.IP.IsUnspecified() {
		return []string{scheme + "://" + net.JoinHostPort(tcp.IP.String(), port) + "/"}
	}
	var out []string
	for _, h := range NetworkAddresses() {
		out = append(out, scheme+"://"+net.JoinHostPort(h, port)+"/")
	}
	return append(out, scheme+"://"+net.JoinHostPort("127.0.0.1", port)+"/")
}

// language is the user's language, for the texts the server sends.
func language(ctx context.Context, st selfcare.SettingsService) string {
	l, err := st.Setting(ctx, selfcare.SettingLanguage)
	if err != nil || l == "" {
		return selfcare.LangFrench
	}
	return l
}

// LoadConfig reads the server configuration from the settings.
func LoadConfig(ctx context.Context, st selfcare.SettingsService) (selfcare.ProvisioningConfig, error) {
	var c selfcare.ProvisioningConfig
	var on string
	for key, dst := range map[string]*string{selfcare.SettingProvisionEnabled: &on, selfcare.SettingProvisionHTTP: &c.HTTPAddr,
		selfcare.SettingProvisionHTTPS: &c.HTTPSAddr, selfcare.SettingProvisionCert: &c.CertFile, selfcare.SettingProvisionKey: &c.KeyFile} {
		v, err := st.Setting(ctx, key)
		if err != nil && selfcare.ErrorCode(err) != selfcare.CodeNotFound {
			return c, fmt.Errorf("read %s: %w", key, err)
		}
		*dst = v
	}
	c.Enabled = on == "1"
	if !c.Enabled && c.HTTPAddr == "" && c.HTTPSAddr == "" {
		c.HTTPAddr, c.HTTPSAddr = selfcare.DefaultProvisionHTTP, selfcare.DefaultProvisionHTTPS
	}
	return c, nil
}

// SaveConfig writes the server configuration to the settings.
func SaveConfig(ctx context.Context, st selfcare.SettingsService, c selfcare.ProvisioningConfig) error {
	on := "0"
	if c.Enabled {
		on = "1"
	}
	for key, v := range map[string]string{selfcare.SettingProvisionEnabled: on, selfcare.SettingProvisionHTTP: c.HTTPAddr,
		selfcare.SettingProvisionHTTPS: c.HTTPSAddr, selfcare.SettingProvisionCert: c.CertFile, selfcare.SettingProvisionKey: c.KeyFile} {
		if err := st.SetSetting(ctx, key, v); err != nil {
			return fmt.Errorf("save %s: %w", key, err)
		}
	}
	return nil
}
