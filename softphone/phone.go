package softphone

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/emiago/sipgo"
	"github.com/emiago/sipgo/sip"
)

// Options tune a Phone. The zero value is usable.
type Options struct {
	// Logger receives the engine's log (never secrets); slog.Default when nil.
	Logger *slog.Logger
	// Now is the wall clock (time.Now when nil).
	Now func() time.Time
	// ListenAddr is the local SIP address for UDP ("0.0.0.0:0" when empty;
	// tests use "127.0.0.1:0"). TCP and TLS use outgoing connections.
	ListenAddr string
	// MediaIP is the address bound and advertised for RTP (the SIP contact
	// host when empty).
	MediaIP string
	// RTPPortMin and RTPPortMax bound the RTP ports (any when zero).
	RTPPortMin, RTPPortMax int
	// Trace, when set, receives every SIP message sent and received, with
	// credentials redacted.
	Trace io.Writer
	// UserAgent is the User-Agent header ("Ligne" when empty).
	UserAgent string
	// Incoming decides what to do with each incoming call; nil rings.
	Incoming IncomingPolicy
	// AutoAnswer answers every ringing call at once (headless use).
	AutoAnswer bool
	// RetryMax caps the registration backoff (30 s when zero).
	RetryMax time.Duration
	// ProbeInterval is how often an unreachable registrar is probed with
	// OPTIONS while waiting to retry (4 s when zero).
	ProbeInterval time.Duration
	// WatchInterval is how often the network and the clock are checked for
	// changes and sleep (5 s when zero).
	WatchInterval time.Duration
	// NetworkState returns a fingerprint of the local addresses and routes;
	// a change triggers re-registration. Nil uses the system's interface
	// addresses and the local address routed towards the next hop.
	NetworkState func() string
	// SubscribeExpiry is the lifetime asked for BLF and MWI subscriptions
	// (10 min when zero); they are refreshed halfway.
	SubscribeExpiry time.Duration
	// PickupPrefix, when set, makes Pickup dial prefix+colleague (a
	// server pickup code such as "**") instead of INVITE with Replaces.
	PickupPrefix string
	// MaxCalls is how many calls may exist at once: a new incoming call
	// beyond it gets 486 Busy Here at once, without ringing or opening
	// media (DefaultMaxCalls when zero). It bounds what a flood of INVITEs
	// can cost.
	MaxCalls int
	// MediaTimeout ends an answered call with EndNoMedia when no RTP came
	// from the peer for this long (30 s when zero; four times as long on
	// hold).
	MediaTimeout time.Duration
	// NoAnswerTimeout ends an unanswered incoming call with 480 (2 min when
	// zero); the incoming policy may shorten it per call.
	NoAnswerTimeout time.Duration
}

func (o Options) withDefaults() Options {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.ListenAddr == "" {
		o.ListenAddr = "0.0.0.0:0"
	}
	if o.UserAgent == "" {
		o.UserAgent = "Ligne"
	}
	if o.RetryMax == 0 {
		o.RetryMax = 30 * time.Second
	}
	if o.ProbeInterval == 0 {
		o.ProbeInterval = 4 * time.Second
	}
	if o.WatchInterval == 0 {
		o.WatchInterval = 5 * time.Second
	}
	if o.SubscribeExpiry == 0 {
		o.SubscribeExpiry = subscribeExpiry
	}
	if o.MaxCalls <= 0 {
		o.MaxCalls = DefaultMaxCalls
	}
	if o.NoAnswerTimeout == 0 {
		o.NoAnswerTimeout = 2 * time.Minute
	}
	return o
}

// DefaultMaxCalls is Options.MaxCalls when zero: a call, a held call,
// a consultation and a few ringing calls waiting.
const DefaultMaxCalls = 8

// Phone is one SIP account's user agent: registration, calls and
// subscriptions. Create it with New, then Start; end it with Shutdown.
type Phone struct {
	acct Account
	opts Options
	log  *slog.Logger
	now  func() time.Time
	bus  *bus
	tr   *tracer

	ua     *sipgo.UserAgent
	client *sipgo.Client
	server *sipgo.Server
	tp     *transport

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	reg     *registrar
	calls   *callTable
	subs    *subscriptions
	blf     *colleagues
	mwiOnce sync.Once
	lastMWI atomic.Pointer[MWIEvent] // the mailbox state last heard

	mu      sync.Mutex
	started bool
	closed  bool
	// stopping is set when Close begins: no request leaves after it (a late
	// one would make sipgo open a new UDP socket once ours is closed, and
	// that socket and its reader would outlive the phone)
	stopping atomic.Bool
}

// New checks the account and prepares a phone; nothing is sent before Start.
func New(acct Account, opts Options) (*Phone, error) {
	if err := acct.Validate(); err != nil {
		return nil, fmt.Errorf("new phone %s: %w", acct.AOR(), err)
	}
	opts = opts.withDefaults()
	if opts.NetworkState == nil {
		hop := acct.withDefaults().hopAddr()
		opts.NetworkState = func() string { return systemNetworkState() + "|route " + routeIP(hop) }
	}
	p := &Phone{acct: acct.withDefaults(), opts: opts, log: opts.Logger.With("aor", acct.AOR()),
		now: opts.Now, bus: newBus()}
	p.tr = newTracer(opts.Trace, p.acct.Password, opts.Now)
	p.calls = newCallTable()
	p.subs = newSubscriptions()
	p.blf = &colleagues{state: map[string]BLFEvent{}, subs: map[string]*subscription{}}
	return p, nil
}

// Account returns the account the phone runs (password included: do not log).
func (p *Phone) Account() Account { return p.acct }

// Subscribe returns a channel of the events published from now on; it is
// closed when ctx ends or the phone shuts down. A subscriber must read it
// or cancel ctx.
func (p *Phone) Subscribe(ctx context.Context) <-chan Event { return p.bus.subscribe(ctx) }

func (p *Phone) emit(ev Event) { p.bus.publish(ev) }

// Start binds the SIP transport and starts registration (unless the
// account has NoRegister). ctx bounds only the start; the phone runs until
// Shutdown or Close.
func (p *Phone) Start(ctx context.Context) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return ErrClosed
	}
	if p.started {
		return nil
	}
	p.ctx, p.cancel = context.WithCancel(context.WithoutCancel(ctx))
	if err := p.startSIP(ctx); err != nil {
		p.cancel()
		return fmt.Errorf("start %s: %w", p.acct.AOR(), err)
	}
	p.started = true
	p.reg = newRegistrar(p)
	p.spawn(func() { p.watchNetwork(p.ctx) })
	if !p.acct.NoRegister {
		p.spawn(func() { p.reg.run(p.ctx) })
	}
	return nil
}

// spawn runs f in a goroutine that Close waits for.
func (p *Phone) spawn(f func()) {
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		f()
	}()
}

func (p *Phone) startSIP(ctx context.Context) error {
	tlsConf, err := p.tlsConfig()
	if err != nil {
		return err
	}
	ua, err := sipgo.NewUA(sipgo.WithUserAgent(p.opts.UserAgent), sipgo.WithUserAgenTLSConfig(tlsConf),
		sipgo.WithUserAgentTransactionLayerOptions(sip.WithTransactionLayerLogger(p.log),
			sip.WithTransactionLayerUnhandledResponseHandler(p.unhandledResponse)),
		sipgo.WithUserAgentTransportLayerOptions(sip.WithTransportLayerLogger(p.log),
			sip.WithTransportLayerReadFilter(p.tr.incoming)))
	if err != nil {
		return err
	}
	p.ua = ua
	p.server, _ = sipgo.NewServer(ua, sipgo.WithServerLogger(p.log))
	p.routeRequests()
	p.tp, err = p.listen(ctx)
	if err != nil {
		ua.Close()
		return err
	}
	p.client, err = sipgo.NewClient(ua, p.tp.clientOptions(p.log)...)
	return err
}

// Shutdown hangs up every call, unregisters and closes the phone; ctx
// bounds how long it waits for the server's answers.
func (p *Phone) Shutdown(ctx context.Context) error {
	p.mu.Lock()
	started, closed := p.started, p.closed
	p.mu.Unlock()
	if closed {
		return nil
	}
	if started {
		p.calls.hangupAll(ctx, EndShutdown)
		p.subs.closeAll(ctx)
		if !p.acct.NoRegister {
			p.reg.unregister(ctx)
		}
	}
	return p.Close()
}

// Close stops the phone at once without unregistering. It waits for every
// goroutine the phone started.
func (p *Phone) Close() error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil
	}
	p.closed = true
	started := p.started
	p.mu.Unlock()
	p.stopping.Store(true)
	if started {
		p.cancel()
		p.calls.closeAll()
		p.tp.close()
		p.ua.Close()
		p.wg.Wait()
	}
	p.bus.close()
	return nil
}

// unhandledResponse sees responses no transaction wants (retransmitted 2xx
// to INVITE are handled by the call).
func (p *Phone) unhandledResponse(res *sip.Response) {
	if p.calls.retransmitted2xx(res) {
		return
	}
	p.log.Debug("unhandled SIP response", "status", res.StatusCode, "call_id", callIDOf(res))
}

func callIDOf(m sip.Message) string {
	if h := m.CallID(); h != nil {
		return h.Value()
	}
	return ""
}

// LocalAddr returns where the phone receives SIP, host:port (its UDP
// socket, or the local end of its TCP/TLS connection); "" before Start.
func (p *Phone) LocalAddr() string {
	p.mu.Lock()
	started := p.started
	p.mu.Unlock()
	if !started {
		return ""
	}
	return hostPortString(p.tp.currentContact())
}
