package media

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"
)

// DeviceKind tells playback devices from capture devices.
type DeviceKind int

// The two kinds of audio devices.
const (
	Playback DeviceKind = iota + 1
	Capture
)

// String returns "playback" or "capture".
func (k DeviceKind) String() string {
	if k == Capture {
		return "capture"
	}
	return "playback"
}

// DeviceInfo describes an audio device. ID is what the settings remember;
// an empty ID means the system default device.
type DeviceInfo struct {
	ID      string
	Name    string
	Default bool // the system default at listing time
}

// AudioBackend lists and opens audio devices. The malgo implementation is
// in device_malgo.go; tests use a fake one to unplug devices at will.
// (malgo has no hot-plug callback: endpoints poll Devices.)
type AudioBackend interface {
	// Devices lists the devices of a kind.
	Devices(kind DeviceKind) ([]DeviceInfo, error)
	// Open starts a stream on device id ("" = system default) at rate,
	// s16le mono. cb runs on the device's thread and must not block:
	// for playback it fills out, for capture it consumes in.
	Open(kind DeviceKind, id string, rate int, cb StreamCallback) (Stream, error)
}

// StreamCallback exchanges one period of s16le mono PCM with a device.
type StreamCallback func(out, in []byte)

// Stream is an open device stream.
type Stream interface {
	// Stopped is closed when the device stops on its own (unplugged).
	Stopped() <-chan struct{}
	// Close stops the stream and releases the device.
	Close() error
}

// EndpointConfig sets up an Endpoint.
type EndpointConfig struct {
	Kind      DeviceKind
	Preferred DeviceInfo    // the device chosen in the settings; zero = system default
	Rate      int           // device-side rate, default 48000
	Poll      time.Duration // how often the device list is checked, default 1 s
	Logger    *slog.Logger
}

// Endpoint is one side of the sound card as the rest of Ligne sees it: a
// playback endpoint pulls PCM from its source (an io.Reader that must not
// block: a Ring, a ToneReader, a ringtone); a capture endpoint pushes PCM
// into its sink (an io.Writer that must not block: a Ring). It opens the
// preferred device, falls back to the system default when that device is
// missing or fails, goes back to the preferred one when it returns, and
// keeps the call going across the switch (the source or sink is untouched).
type Endpoint struct {
	backend AudioBackend
	cfg     EndpointConfig
	log     *slog.Logger

	mu        sync.Mutex // stream state; never taken by the device callback
	preferred DeviceInfo
	current   DeviceInfo
	stream    Stream
	lastErr   error

	ioMu      sync.Mutex // what the device callback uses
	src       io.Reader
	dst       io.Writer
	frames    uint64 // frames exchanged with the device
	pace      func() // called per 20 ms recorded (capture)
	paceBytes int    // recorded since the last pace

	done chan struct{}
	wg   sync.WaitGroup
	once sync.Once
}

// OpenEndpoint opens the preferred device (or a fallback) and starts
// following the device list until ctx ends or Close. A missing sound card
// is not an error: the endpoint stays silent and retries at each poll;
// Status reports it.
func OpenEndpoint(ctx context.Context, backend AudioBackend, cfg EndpointConfig) *Endpoint {
	if cfg.Rate <= 0 {
		cfg.Rate = 48000
	}
	if cfg.Poll <= 0 {
		cfg.Poll = time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	e := &Endpoint{backend: backend, cfg: cfg, preferred: cfg.Preferred,
		log: cfg.Logger.With("audio", cfg.Kind.String()), done: make(chan struct{})}
	e.Reconcile()
	e.wg.Add(1)
	go e.follow(ctx)
	return e
}

// SetSource sets what a playback endpoint plays (nil = silence).
func (e *Endpoint) SetSource(r io.Reader) {
	e.ioMu.Lock()
	defer e.ioMu.Unlock()
	e.src = r
}

// SetSink sets where a capture endpoint writes (nil = discard).
func (e *Endpoint) SetSink(w io.Writer) {
	e.ioMu.Lock()
	defer e.ioMu.Unlock()
	e.dst = w
}

// SetPace makes a capture endpoint call pace once per 20 ms of audio it
// records, on the device's goroutine, after that audio is in the sink
// (nil: no pacing). A session's clock follows it (Session.pace).
func (e *Endpoint) SetPace(pace func()) {
	e.ioMu.Lock()
	defer e.ioMu.Unlock()
	e.pace, e.paceBytes = pace, 0
}

// SetPreferred changes the chosen device (zero DeviceInfo = system default)
// and switches to it now if it is present.
func (e *Endpoint) SetPreferred(d DeviceInfo) {
	e.mu.Lock()
	e.preferred = d
	e.mu.Unlock()
	e.Reconcile()
}

// Current returns the device in use; ok is false when no device is open.
func (e *Endpoint) Current() (d DeviceInfo, ok bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.current, e.stream != nil
}

// Status returns the last error opening a device (ErrNoDevice wrapped)
// while no device is open, nil otherwise.
func (e *Endpoint) Status() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.stream != nil {
		return nil
	}
	return e.lastErr
}

// Frames returns how many frames the device exchanged so far.
func (e *Endpoint) Frames() uint64 {
	e.ioMu.Lock()
	defer e.ioMu.Unlock()
	return e.frames
}

// Close stops following and closes the device.
func (e *Endpoint) Close() error {
	e.once.Do(func() { close(e.done) })
	e.wg.Wait()
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.closeStream()
}

// follow re-checks the device list at each poll and as soon as the open
// stream stops on its own.
func (e *Endpoint) follow(ctx context.Context) {
	defer e.wg.Done()
	t := time.NewTicker(e.cfg.Poll)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-e.done:
			return
		case <-t.C:
		case <-e.stoppedChan():
			e.log.Warn("audio device stopped")
		}
		e.Reconcile()
	}
}

func (e *Endpoint) stoppedChan() <-chan struct{} {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.stream == nil {
		return nil
	}
	return e.stream.Stopped()
}

// Reconcile opens the device the endpoint should use now: the preferred
// one if it is listed, else the system default; it keeps the open stream
// when it is already the right one and still running.
func (e *Endpoint) Reconcile() {
	list, err := e.backend.Devices(e.cfg.Kind)
	if err != nil {
		e.log.Debug("audio device list", "err", err)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	want := pickDevice(list, e.preferred)
	if e.stream != nil && !isClosed(e.stream.Stopped()) && e.current.ID == want.ID {
		return
	}
	_ = e.closeStream()
	for _, cand := range candidates(want) {
		s, err := e.backend.Open(e.cfg.Kind, cand.ID, e.cfg.Rate, e.exchange)
		if err == nil {
			e.stream, e.current, e.lastErr = s, cand, nil
			e.log.Info("audio device open", "device", cand.Name, "id", cand.ID)
			return
		}
		e.lastErr = fmt.Errorf("open %s device %q: %w: %w", e.cfg.Kind, cand.Name, ErrNoDevice, err)
		e.log.Warn("audio device failed", "device", cand.Name, "err", err)
	}
	e.current = DeviceInfo{}
}

// pickDevice returns the preferred device if listed (by ID, else by name,
// since some systems renumber devices), else the system default.
func pickDevice(list []DeviceInfo, pref DeviceInfo) DeviceInfo {
	if pref.ID == "" && pref.Name == "" {
		return systemDefault()
	}
	for _, d := range list {
		if d.ID == pref.ID {
			return d
		}
	}
	for _, d := range list {
		if pref.Name != "" && d.Name == pref.Name {
			return d
		}
	}
	return systemDefault()
}

func systemDefault() DeviceInfo {
	return DeviceInfo{ID: "", Name: "default", Default: true}
}

// candidates is the device to try, then the system default.
func candidates(want DeviceInfo) []DeviceInfo {
	if want.ID == "" {
		return []DeviceInfo{want}
	}
	return []DeviceInfo{want, systemDefault()}
}

func isClosed(c <-chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}

func (e *Endpoint) closeStream() error {
	if e.stream == nil {
		return nil
	}
	err := e.stream.Close()
	e.stream = nil
	if err != nil {
		return fmt.Errorf("close %s device: %w", e.cfg.Kind, err)
	}
	return nil
}

// exchange is the device callback: it plays from the source or records
// into the sink, then paces once per 20 ms recorded.
func (e *Endpoint) exchange(out, in []byte) {
	pace, ticks := e.move(out, in)
	for range ticks {
		pace()
	}
}

// move does exchange's I/O. It holds ioMu throughout, so that SetSource and
// SetSink never swap a stage under it; the stages used with devices do not
// block. It returns the pace function and how many times it is due.
func (e *Endpoint) move(out, in []byte) (func(), int) {
	e.ioMu.Lock()
	defer e.ioMu.Unlock()
	e.frames += uint64(max(len(out), len(in)) / 2)
	if out != nil {
		fillFrom(e.src, out)
	}
	if in != nil && e.dst != nil {
		_, _ = e.dst.Write(in)
	}
	if e.pace == nil || len(in) == 0 {
		return nil, 0
	}
	frame := bytesFor(e.cfg.Rate, FrameDuration)
	e.paceBytes += len(in)
	ticks := e.paceBytes / frame
	e.paceBytes %= frame
	return e.pace, ticks
}

func fillFrom(src io.Reader, out []byte) {
	n := 0
	if src != nil {
		n, _ = io.ReadFull(src, out)
	}
	clear(out[n:])
}
