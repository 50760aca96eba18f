package media

import (
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jfreymuth/pulse/proto"
)

// The PulseAudio part of the device layer: Ligne speaks PulseAudio's
// native protocol itself, in Go, instead of going through miniaudio's
// libpulse threads. miniaudio calls Go back from its own C threads (one
// call per device period); each such call leaves a Go P in the syscall
// state, and the runtime's monitor thread then polls every 20 µs until it
// takes the P back 10 ms later. During a call that monitor alone cost more
// CPU than all of baresip (scripts/bench-call, docs/PERFORMANCE.md). Here
// the server's messages arrive on an ordinary socket, read by a goroutine
// through Go's network poller: no cgo, no foreign thread.
//
// PipeWire serves the same protocol (pipewire-pulse), so this covers
// current Linux desktops; without a server, Ligne uses miniaudio (ALSA).

// Buffer sizes asked of the server. With ADJUST_LATENCY the server runs
// the sink at (target - 2 × minimum request) / 2 = 20 ms and asks for
// 20 ms at a time: one wake-up per 20 ms for Ligne, the server and every
// other client of the sink. (miniaudio's 20 ms period became a 20 ms
// target: a 5 ms sink and four wake-ups per 20 ms, for every program on
// that sound card.) The price is output latency: about 40 ms buffered
// plus the 20 ms sink, against about 18 ms before.
const (
	pulsePlaybackTarget = 80 * time.Millisecond
	pulseMinimumRequest = 20 * time.Millisecond
	pulseRecordFragment = 20 * time.Millisecond
	// pulseSilentLimit: a running stream that exchanged nothing for this
	// long is reported stopped (server gone, stream killed).
	pulseSilentLimit = 2 * time.Second
)

// pulseBackend is the AudioBackend of a PulseAudio server. Listing and
// every stream share one connection, so that the server's messages for
// the microphone and the loudspeaker, which it sends at the same moments,
// wake Ligne once; it is dialled again after an error.
type pulseBackend struct {
	server string // "" = the default (PULSE_SERVER, then the user's runtime directory)
	log    *slog.Logger

	mu   sync.Mutex // conn
	conn *pulseConn

	smu     sync.Mutex // streams
	streams map[pulseStreamKey]*pulseStream
}

// pulseStreamKey names a stream on the connection: playback and record
// streams are numbered separately.
type pulseStreamKey struct {
	kind  DeviceKind
	index uint32
}

// newPulseBackend connects to the PulseAudio server; it fails when none
// answers.
func newPulseBackend(server string, log *slog.Logger) (*pulseBackend, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	b := &pulseBackend{server: server, log: log, streams: map[pulseStreamKey]*pulseStream{}}
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, err := b.connection(); err != nil {
		return nil, err
	}
	return b, nil
}

// pulseServerLikely reports whether a PulseAudio server may be there
// (PULSE_SERVER set, or the usual socket present), so that machines
// without one do not pay a failed connection.
func pulseServerLikely() bool {
	if os.Getenv("PULSE_SERVER") != "" {
		return true
	}
	_, err := os.Stat(defaultPulseSocket())
	return err == nil
}

// defaultPulseSocket is the user's server socket.
func defaultPulseSocket() string {
	dir := os.Getenv("XDG_RUNTIME_DIR")
	if dir == "" {
		dir = filepath.Join("/run/user", strconv.Itoa(os.Getuid()))
	}
	return filepath.Join(dir, "pulse", "native")
}

// pulseSocketPath returns the local socket of a server string (PulseAudio's
// format: space-separated entries such as "unix:/path", "/path",
// "{machine}unix:/path", "tcp:host"); only local sockets are used.
func pulseSocketPath(server string) (string, error) {
	if server == "" {
		server = os.Getenv("PULSE_SERVER")
	}
	if server == "" {
		return defaultPulseSocket(), nil
	}
	for _, e := range strings.Fields(server) {
		if i := strings.Index(e, "}"); strings.HasPrefix(e, "{") && i > 0 {
			e = e[i+1:]
		}
		e = strings.TrimPrefix(e, "unix:")
		if strings.HasPrefix(e, "/") {
			return e, nil
		}
	}
	return "", fmt.Errorf("pulseaudio server %q: only local sockets are used", server)
}

// PreferredRate is the call's rate: the server converts to the sound
// card's rate as it does for every client.
func (b *pulseBackend) PreferredRate() int { return CallAudioRate }

// connection returns the live connection, dialling when there is none or
// the last one broke (b.mu held).
func (b *pulseBackend) connection() (*pulseConn, error) {
	if b.conn != nil && !b.conn.dead.Load() {
		return b.conn, nil
	}
	if b.conn != nil {
		b.conn.close()
		b.conn = nil
	}
	c, err := dialPulse(b.server, b.dispatch)
	if err != nil {
		return nil, err
	}
	b.conn = c
	return c, nil
}

// Close releases the connection; close every endpoint first.
func (b *pulseBackend) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.conn != nil {
		b.conn.close()
		b.conn = nil
	}
	return nil
}

// Devices lists the server's sinks (Playback) or sources (Capture).
func (b *pulseBackend) Devices(kind DeviceKind) ([]DeviceInfo, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	c, err := b.connection()
	if err != nil {
		return nil, fmt.Errorf("list %s devices: %w", kind, err)
	}
	out, err := c.devices(kind)
	if err != nil {
		c.dead.Store(true)
		return nil, fmt.Errorf("list %s devices: %w", kind, err)
	}
	return out, nil
}

// Open starts a mono s16le stream on device id ("" = the server's default).
func (b *pulseBackend) Open(kind DeviceKind, id string, rate int, cb StreamCallback) (Stream, error) {
	b.mu.Lock()
	c, err := b.connection()
	b.mu.Unlock()
	if err != nil {
		return nil, fmt.Errorf("open %s device %q: %w", kind, id, err)
	}
	s := &pulseStream{kind: kind, conn: c, cb: cb, b: b, stopped: make(chan struct{}), done: make(chan struct{})}
	if kind == Capture {
		err = s.startRecord(id, rate)
	} else {
		err = s.startPlayback(id, rate)
	}
	if err != nil {
		return nil, fmt.Errorf("open %s device %q: %w", kind, id, err)
	}
	go s.watch()
	return s, nil
}

// register routes the server's messages for s to it.
func (b *pulseBackend) register(s *pulseStream) {
	b.smu.Lock()
	defer b.smu.Unlock()
	b.streams[pulseStreamKey{s.kind, s.index}] = s
}

func (b *pulseBackend) unregister(s *pulseStream) {
	b.smu.Lock()
	defer b.smu.Unlock()
	if b.streams[pulseStreamKey{s.kind, s.index}] == s {
		delete(b.streams, pulseStreamKey{s.kind, s.index})
	}
}

func (b *pulseBackend) stream(kind DeviceKind, index uint32) *pulseStream {
	b.smu.Lock()
	defer b.smu.Unlock()
	return b.streams[pulseStreamKey{kind, index}]
}

// dispatch runs on the connection's reading goroutine for each server
// message: data recorded, a request for data to play, a stream ended, or
// the connection closed (every stream then stops).
func (b *pulseBackend) dispatch(msg any) {
	switch m := msg.(type) {
	case *proto.DataPacket:
		if s := b.stream(Capture, m.StreamIndex); s != nil {
			s.recorded(m.Data)
		}
	case *proto.Request:
		if s := b.stream(Playback, m.StreamIndex); s != nil {
			s.requested(int(m.Length))
		}
	case *proto.PlaybackStreamKilled:
		if s := b.stream(Playback, m.StreamIndex); s != nil {
			s.markStopped()
		}
	case *proto.RecordStreamKilled:
		if s := b.stream(Capture, m.StreamIndex); s != nil {
			s.markStopped()
		}
	case *proto.ConnectionClosed:
		b.smu.Lock()
		all := make([]*pulseStream, 0, len(b.streams))
		for _, s := range b.streams {
			all = append(all, s)
		}
		b.smu.Unlock()
		for _, s := range all {
			s.conn.dead.Store(true)
			s.markStopped()
		}
	}
}

// pulseConn is one connection to the server.
type pulseConn struct {
	c      *proto.Client
	nc     net.Conn
	dead   atomic.Bool   // the connection failed: dial again
	syncID atomic.Uint32 // last sync group given to a playback stream
}

// dialPulse connects to the server's local socket, authenticates and
// names the client; handle receives the server's messages on the
// connection's reading goroutine.
func dialPulse(server string, handle func(any)) (*pulseConn, error) {
	path, err := pulseSocketPath(server)
	if err != nil {
		return nil, err
	}
	nc, err := net.Dial("unix", path)
	if err != nil {
		return nil, fmt.Errorf("connect to pulseaudio: %w", err)
	}
	c := &proto.Client{Callback: handle}
	c.SetTimeout(time.Second)
	c.Open(newRawStream(nc))
	var auth proto.AuthReply
	if err := c.Request(&proto.Auth{Version: c.Version(), Cookie: pulseCookie()}, &auth); err != nil {
		nc.Close()
		return nil, fmt.Errorf("pulseaudio authentication: %w", err)
	}
	c.SetVersion(auth.Version)
	props := proto.PropList{
		"application.name":       proto.PropListString("Ligne"),
		"application.icon_name":  proto.PropListString("ligne"),
		"application.process.id": proto.PropListString(strconv.Itoa(os.Getpid())),
		"media.role":             proto.PropListString("phone"),
	}
	if err := c.Request(&proto.SetClientName{Props: props}, &proto.SetClientNameReply{}); err != nil {
		nc.Close()
		return nil, fmt.Errorf("pulseaudio client name: %w", err)
	}
	return &pulseConn{c: c, nc: nc}, nil
}

// pulseCookie is the user's PulseAudio cookie; a server that accepts
// anonymous clients takes any 256 bytes.
func pulseCookie() []byte {
	path := os.Getenv("PULSE_COOKIE")
	if path == "" {
		home, _ := os.UserHomeDir()
		path = filepath.Join(home, ".config", "pulse", "cookie")
	}
	if b, err := os.ReadFile(path); err == nil && len(b) == 256 {
		return b
	}
	return make([]byte, 256)
}

func (p *pulseConn) close() { _ = p.nc.Close() }

// devices lists sinks or sources, marking the server's defaults.
func (p *pulseConn) devices(kind DeviceKind) ([]DeviceInfo, error) {
	var info proto.GetServerInfoReply
	if err := p.c.Request(&proto.GetServerInfo{}, &info); err != nil {
		return nil, err
	}
	var out []DeviceInfo
	if kind == Capture {
		var list proto.GetSourceInfoListReply
		if err := p.c.Request(&proto.GetSourceInfoList{}, &list); err != nil {
			return nil, err
		}
		for _, s := range list {
			out = append(out, DeviceInfo{ID: s.SourceName, Name: s.Device, Default: s.SourceName == info.DefaultSourceName})
		}
		return out, nil
	}
	var list proto.GetSinkInfoListReply
	if err := p.c.Request(&proto.GetSinkInfoList{}, &list); err != nil {
		return nil, err
	}
	for _, s := range list {
		out = append(out, DeviceInfo{ID: s.SinkName, Name: s.Device, Default: s.SinkName == info.DefaultSinkName})
	}
	return out, nil
}

// pulseStream is one playback or record stream on the backend's
// connection.
type pulseStream struct {
	kind  DeviceKind
	conn  *pulseConn
	b     *pulseBackend
	index uint32
	cb    StreamCallback

	mu     sync.Mutex // held while the callback runs; Close waits for it
	ready  bool       // index is known
	closed bool
	buf    []byte // playback data, reused

	last      atomic.Int64 // time of the last exchange (UnixNano)
	stopped   chan struct{}
	done      chan struct{}
	stopOnce  sync.Once
	closeOnce sync.Once
}

func bytesFor16(rate int, d time.Duration) uint32 {
	return uint32(2 * int(d.Seconds()*float64(rate)))
}

func monoSpec(rate int) proto.SampleSpec {
	return proto.SampleSpec{Format: proto.FormatInt16LE, Channels: 1, Rate: uint32(rate)}
}

// startPlayback creates the stream and writes what the server asks for
// first; then the server asks for more with Request messages.
func (s *pulseStream) startPlayback(id string, rate int) error {
	target := bytesFor16(rate, pulsePlaybackTarget)
	req := proto.CreatePlaybackStream{
		SampleSpec: monoSpec(rate), ChannelMap: proto.ChannelMap{proto.ChannelMono},
		SinkIndex: proto.Undefined, SinkName: id,
		BufferMaxLength: 2 * target, BufferTargetLength: target,
		BufferPrebufferLength: proto.Undefined, BufferMinimumRequest: bytesFor16(rate, pulseMinimumRequest),
		// a stream of its own sync group: the server requires streams of
		// one group to play on one sink (the ringer and the call's
		// loudspeaker may not), as libpulse does
		SyncID: s.conn.syncID.Add(1), ChannelVolumes: proto.ChannelVolumes{0x10000},
		AdjustLatency: true, Properties: proto.PropList{"media.name": proto.PropListString("Ligne")},
	}
	var reply proto.CreatePlaybackStreamReply
	if err := s.conn.c.Request(&req, &reply); err != nil {
		return fmt.Errorf("create playback stream: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.index, s.ready = reply.StreamIndex, true
	s.last.Store(time.Now().UnixNano())
	s.b.register(s)
	return s.fill(int(reply.Missing))
}

// startRecord creates the stream; the server then sends data packets.
func (s *pulseStream) startRecord(id string, rate int) error {
	frag := bytesFor16(rate, pulseRecordFragment)
	req := proto.CreateRecordStream{
		SampleSpec: monoSpec(rate), ChannelMap: proto.ChannelMap{proto.ChannelMono},
		SourceIndex: proto.Undefined, SourceName: id,
		BufferMaxLength: 10 * frag, BufferFragSize: frag, DirectOnInputIndex: proto.Undefined,
		AdjustLatency: true, Properties: proto.PropList{"media.name": proto.PropListString("Ligne")},
		ChannelVolumes: proto.ChannelVolumes{0x10000},
	}
	var reply proto.CreateRecordStreamReply
	if err := s.conn.c.Request(&req, &reply); err != nil {
		return fmt.Errorf("create record stream: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.index, s.ready = reply.StreamIndex, true
	s.last.Store(time.Now().UnixNano())
	s.b.register(s)
	return nil
}

// fill asks the callback for n bytes and sends them (s.mu held).
func (s *pulseStream) fill(n int) error {
	n -= n % 2
	if n <= 0 || s.closed {
		return nil
	}
	if cap(s.buf) < n {
		s.buf = make([]byte, n)
	}
	out := s.buf[:n]
	s.cb(out, nil)
	s.last.Store(time.Now().UnixNano())
	if err := s.conn.c.Send(s.index, out); err != nil {
		return fmt.Errorf("send playback data: %w", err)
	}
	return nil
}

// recorded hands data the server recorded to the callback.
func (s *pulseStream) recorded(data []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ready && !s.closed {
		s.cb(nil, data)
		s.last.Store(time.Now().UnixNano())
	}
}

// requested answers the server's request for n bytes to play.
func (s *pulseStream) requested(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ready {
		if err := s.fill(n); err != nil {
			s.conn.dead.Store(true)
			s.markStopped()
		}
	}
}

// watch reports the stream stopped once it exchanged nothing for
// pulseSilentLimit (the server went away without a word).
func (s *pulseStream) watch() {
	t := time.NewTicker(pulseSilentLimit / 2)
	defer t.Stop()
	for {
		select {
		case <-s.done:
			return
		case <-t.C:
			if time.Since(time.Unix(0, s.last.Load())) > pulseSilentLimit {
				s.markStopped()
				return
			}
		}
	}
}

func (s *pulseStream) markStopped() {
	s.stopOnce.Do(func() { close(s.stopped) })
}

// Stopped is closed when the stream ends on its own.
func (s *pulseStream) Stopped() <-chan struct{} {
	return s.stopped
}

// Close deletes the stream (the connection stays, shared); the callback
// is not called after Close returns.
func (s *pulseStream) Close() error {
	s.closeOnce.Do(func() {
		s.mu.Lock()
		s.closed = true
		s.mu.Unlock()
		close(s.done)
		var del proto.RequestArgs = &proto.DeletePlaybackStream{StreamIndex: s.index}
		if s.kind == Capture {
			del = &proto.DeleteRecordStream{StreamIndex: s.index}
		}
		s.b.unregister(s)
		if err := s.conn.c.Request(del, nil); err != nil {
			s.conn.dead.Store(true)
		}
		s.markStopped()
	})
	return nil
}
