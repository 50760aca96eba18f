package media

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net"
	"sync"
	"time"

	"github.com/pion/rtp"
)

// SessionConfig sets up one call's RTP and RTCP session. Fields after
// Now extend the contract of docs/design/media-session-api.md; their zero
// values give the documented defaults.
type SessionConfig struct {
	LocalIP          string        // address to bind and advertise, e.g. "127.0.0.1"
	PortMin, PortMax int           // even RTP port range (0,0 = any free even port)
	MediaTimeout     time.Duration // no RTP received for this long => TimeoutEvent (default 30 s; x4 on hold)
	Logger           *slog.Logger
	Now              func() time.Time // clock for pacing and timestamps; must advance in real time (a frozen fake clock stops the media)

	JitterMin         time.Duration // least playout delay beyond the nominal arrival (default 5 ms)
	JitterMax         time.Duration // most playout delay (default 200 ms)
	NoConcealment     bool          // insert silence for lost packets instead of concealing them
	RTCPInterval      time.Duration // mean RTCP report interval (default 5 s)
	HoldTimeoutFactor int           // media timeout multiplier on hold (default 4)
}

// Params is what the SDP offer/answer decided for the session.
type Params struct {
	Remote          *net.UDPAddr // peer RTP address from its SDP (symmetric RTP may correct it)
	Codec           Codec        // the negotiated audio codec (with the negotiated PT)
	DTMFPayloadType uint8        // negotiated telephone-event PT, 0 if none (then DTMF goes in-band)
	Send, Recv      bool         // from the SDP direction (hold = Send only/none)
	Crypto          PacketCrypto // SRTP keys negotiated in SDP; nil for plain RTP
}

func (p Params) onHold() bool {
	return !p.Send || !p.Recv
}

// Session is one call's media: RTP and RTCP on an even/odd port pair, the
// send path (source, resampler, encoder, packetizer, DTMF) and the receive
// path (symmetric RTP, jitter buffer, decoder, concealment, sink), paced by
// its own 20 ms clock. All methods are safe for concurrent use.
type Session struct {
	cfg SessionConfig
	log *slog.Logger
	now func() time.Time
	// rtp and rtcp are the sockets (raw system calls on Linux; rtp is then
	// outside the network poller and drained at the tick)
	rtp, rtcp udpIO
	// drainer reads RTP at the session's tick (Linux); nil: a goroutine
	// reads it as it comes. rxBuf, rxPlain and rxPkt belong to whichever
	// reads.
	drainer packetDrainer
	rxBuf   []byte
	rxPlain []byte
	rxPkt   rtp.Packet
	events  chan Event
	done    chan struct{}
	cname   string

	stopOnce  sync.Once
	closeOnce sync.Once
	wg        sync.WaitGroup
	life      sync.Mutex // Start's goroutines against stop's closing of done
	// srcMu is held while a tick reads the source: SetSource returns once
	// the previous source is no longer read (CallAudio hands its
	// microphone chain from a call to a conference)
	srcMu sync.Mutex

	mu         sync.Mutex
	started    bool
	configured bool
	params     Params
	configAt   time.Time
	remote     *net.UDPAddr // where RTP goes: the SDP address, or where the peer's RTP comes from
	remoteRTCP *net.UDPAddr
	latched    bool // remote was learned from received RTP (symmetric RTP)
	tx         txState
	rx         rxState
	src        sourceState
	snk        sinkState

	clock sessionClock
}

// NewSession binds RTP (even port) and RTCP (port+1) on cfg.LocalIP.
func NewSession(cfg SessionConfig) (*Session, error) {
	cfg = withDefaults(cfg)
	rtpConn, rtcpConn, err := listenPair(cfg.LocalIP, cfg.PortMin, cfg.PortMax)
	if err != nil {
		return nil, fmt.Errorf("new session on %s: %w", cfg.LocalIP, err)
	}
	s := &Session{
		cfg:    cfg,
		log:    cfg.Logger.With("rtp", rtpConn.LocalAddr().String()),
		now:    cfg.Now,
		rtcp:   newRawUDP(rtcpConn),
		events: make(chan Event, 64),
		done:   make(chan struct{}),
		cname:  randomCNAME(),
	}
	s.rtp, s.drainer = newRTPSocket(rtpConn)
	s.tx.init(randomUint32())
	return s, nil
}

func withDefaults(cfg SessionConfig) SessionConfig {
	if cfg.LocalIP == "" {
		cfg.LocalIP = "127.0.0.1"
	}
	if cfg.MediaTimeout <= 0 {
		cfg.MediaTimeout = 30 * time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.JitterMin <= 0 {
		cfg.JitterMin = 5 * time.Millisecond
	}
	if cfg.JitterMax <= 0 {
		cfg.JitterMax = 200 * time.Millisecond
	}
	if cfg.RTCPInterval <= 0 {
		cfg.RTCPInterval = 5 * time.Second
	}
	if cfg.HoldTimeoutFactor <= 0 {
		cfg.HoldTimeoutFactor = 4
	}
	return cfg
}

func randomUint32() uint32 {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return binary.BigEndian.Uint32(b[:])
}

func randomCNAME() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return "ligne-" + hex.EncodeToString(b[:])
}

// LocalAddr returns the RTP address to put in our SDP.
func (s *Session) LocalAddr() *net.UDPAddr {
	a := s.rtp.LocalAddr().(*net.UDPAddr)
	return &net.UDPAddr{IP: a.IP, Port: a.Port}
}

// Configure applies the negotiated parameters; it may be called again on a
// re-INVITE or UPDATE (new codec, new address, hold and resume).
func (s *Session) Configure(p Params) error {
	if _, err := NewEncoder(p.Codec); err != nil {
		return fmt.Errorf("configure session: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	prev := s.params
	s.params, s.configured = p, true
	s.configAt = s.now()
	s.rx.timedOut = false
	if err := s.tx.configure(prev, p); err != nil {
		return fmt.Errorf("configure session: %w", err)
	}
	if err := s.rx.configure(prev, p, s.playoutConfig(p.Codec)); err != nil {
		return fmt.Errorf("configure session: %w", err)
	}
	if !sameAddr(prev.Remote, p.Remote) || s.remote == nil {
		s.setRemote(p.Remote, false)
	}
	s.log.Info("media configured", "codec", p.Codec.String(), "remote", addrString(p.Remote),
		"send", p.Send, "recv", p.Recv, "dtmf_pt", p.DTMFPayloadType)
	return nil
}

func addrString(a *net.UDPAddr) string {
	if a == nil {
		return ""
	}
	return a.String()
}

// Start starts the 20 ms clock and the receivers. The session stops when
// ctx ends or Close is called; Close must be called in both cases.
func (s *Session) Start(ctx context.Context) error {
	s.mu.Lock()
	if s.started {
		s.mu.Unlock()
		return fmt.Errorf("start session: %w", ErrAlreadyStarted)
	}
	s.started = true
	s.mu.Unlock()
	// a Close running now either sees these goroutines in its Wait or
	// made done closed before: never an Add during its Wait
	s.life.Lock()
	defer s.life.Unlock()
	select {
	case <-s.done:
		return fmt.Errorf("start session: %w", ErrClosed)
	default:
	}
	start := s.now()
	s.clock.mu.Lock()
	s.clock.timer = time.NewTimer(0)
	s.clock.mu.Unlock()
	s.goTracked(func() { s.watch(ctx) })
	if s.drainer == nil {
		s.goTracked(s.receiveRTP)
	}
	s.goTracked(s.receiveRTCP)
	s.goTracked(func() { s.clockLoop(start) })
	return nil
}

func (s *Session) goTracked(f func()) {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		f()
	}()
}

func (s *Session) watch(ctx context.Context) {
	select {
	case <-ctx.Done():
		s.stop()
	case <-s.done:
	}
}

// stop ends every loop: it closes done and the sockets, and waits for a
// tick the sound card may be running (none runs after it returns).
func (s *Session) stop() {
	s.stopOnce.Do(func() {
		s.life.Lock()
		close(s.done)
		s.life.Unlock()
		s.clock.mu.Lock()
		s.clock.stopped = true
		s.clock.mu.Unlock()
		_ = s.rtp.Close()
		_ = s.rtcp.Close()
	})
}

// Close sends an RTCP BYE, stops the session and waits for its goroutines.
// It is idempotent; the Events channel is closed when it returns.
func (s *Session) Close() error {
	s.closeOnce.Do(func() {
		s.sendBye()
		s.stop()
		s.wg.Wait()
		close(s.events)
	})
	return nil
}

// Events returns the session's events; the channel is closed by Close.
func (s *Session) Events() <-chan Event {
	return s.events
}

// emit reports a non-terminal event, dropping it if nobody keeps up.
func (s *Session) emit(ev Event) {
	select {
	case s.events <- ev:
	default:
		s.log.Warn("media event dropped", "event", fmt.Sprintf("%T", ev))
	}
}

// emitTerminal reports an event that must not be lost; it waits for the
// reader in its own goroutine until the session closes.
func (s *Session) emitTerminal(ev Event) {
	s.goTracked(func() {
		select {
		case s.events <- ev:
		case <-s.done:
		}
	})
}

// SetSource sets the PCM to send (s16le mono at rate): 20 ms are read per
// tick; nil sends silence; at EOF the session sends silence and reports
// SourceEndedEvent.
func (s *Session) SetSource(r io.Reader, rate int) {
	s.srcMu.Lock()
	defer s.srcMu.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.src.set(r, rate)
}

// SetSink sets where received PCM goes (s16le mono at rate), after the
// jitter buffer and concealment: 20 ms are written per tick; nil discards.
func (s *Session) SetSink(w io.Writer, rate int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.snk.set(w, rate)
}

// SendDTMF queues a digit (0-9, *, #, A-D) for d (at least 40 ms): as RFC
// 4733 events when a telephone-event payload type was negotiated, else as
// in-band tones. It returns at once; digits are sent in order.
func (s *Session) SendDTMF(digit rune, d time.Duration) error {
	code, err := DTMFEventCode(digit)
	if err != nil {
		return fmt.Errorf("send dtmf: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.configured {
		return fmt.Errorf("send dtmf %c: %w", digit, ErrNotConfigured)
	}
	s.tx.dtmf.enqueue(code, toUpperDigit(digit), d, s.params.Codec.ClockRate)
	return nil
}

func sameAddr(a, b *net.UDPAddr) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.IP.Equal(b.IP) && a.Port == b.Port
}

// setRemote points RTP at a and RTCP at the port above it.
func (s *Session) setRemote(a *net.UDPAddr, latched bool) {
	if a == nil {
		s.remote, s.remoteRTCP, s.latched = nil, nil, false
		return
	}
	s.remote = &net.UDPAddr{IP: a.IP, Port: a.Port}
	s.remoteRTCP = &net.UDPAddr{IP: a.IP, Port: a.Port + 1}
	s.latched = latched
}

func (s *Session) playoutConfig(c Codec) playoutConfig {
	return playoutConfig{
		codec:    c,
		minDelay: s.cfg.JitterMin,
		maxDelay: s.cfg.JitterMax,
		conceal:  !s.cfg.NoConcealment,
		phased:   true,
		seed:     uint64(s.tx.ssrc),
	}
}
