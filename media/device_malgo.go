package media

// #include <stdlib.h>
import "C"

import (
	"fmt"
	"log/slog"
	"sync"
	"unsafe"

	"github.com/gen2brain/malgo"
)

// The malgo (miniaudio, cgo) part of the device layer lives in this file
// only, so the rest of the package stays easy to build and test.

// MalgoBackend is the AudioBackend of the real sound system, through
// miniaudio: PulseAudio or ALSA on Linux, WASAPI on Windows, Core Audio on
// macOS.
type MalgoBackend struct {
	ctx *malgo.AllocatedContext
	log *slog.Logger
	mu  sync.Mutex // miniaudio contexts are not safe for concurrent enumeration
}

// NewMiniaudioBackend opens the platform's sound system through miniaudio
// (which picks the best available backend). With no sound card, it usually
// succeeds and opening devices fails: endpoints then stay silent without
// crashing.
func NewMiniaudioBackend(log *slog.Logger) (*MalgoBackend, error) {
	return newMalgoBackend(nil, log)
}

// NewNullAudioBackend opens miniaudio's null device: a real-time duplex
// device with no sound system behind it, for tests and CI. (The constant
// malgo.BackendNull selects the "custom" backend; the null backend is the
// one after it.)
func NewNullAudioBackend(log *slog.Logger) (*MalgoBackend, error) {
	return newMalgoBackend([]malgo.Backend{malgo.Backend(malgo.BackendNull + 1)}, log)
}

func newMalgoBackend(backends []malgo.Backend, log *slog.Logger) (*MalgoBackend, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	ctx, err := malgo.InitContext(backends, malgo.ContextConfig{}, func(msg string) {
		log.Debug("miniaudio", "msg", msg)
	})
	if err != nil {
		return nil, fmt.Errorf("init audio context: %w", err)
	}
	return &MalgoBackend{ctx: ctx, log: log}, nil
}

// Close releases the sound system; close every endpoint first.
func (b *MalgoBackend) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.ctx == nil {
		return nil
	}
	err := b.ctx.Uninit()
	b.ctx.Free()
	b.ctx = nil
	if err != nil {
		return fmt.Errorf("close audio context: %w", err)
	}
	return nil
}

func malgoKind(k DeviceKind) malgo.DeviceType {
	if k == Capture {
		return malgo.Capture
	}
	return malgo.Playback
}

// Devices lists the devices of a kind.
func (b *MalgoBackend) Devices(kind DeviceKind) ([]DeviceInfo, error) {
	infos, err := b.rawDevices(kind)
	if err != nil {
		return nil, err
	}
	out := make([]DeviceInfo, 0, len(infos))
	for _, d := range infos {
		out = append(out, DeviceInfo{ID: d.ID.String(), Name: d.Name(), Default: d.IsDefault != 0})
	}
	return out, nil
}

func (b *MalgoBackend) rawDevices(kind DeviceKind) ([]malgo.DeviceInfo, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.ctx == nil {
		return nil, fmt.Errorf("list %s devices: %w", kind, ErrClosed)
	}
	infos, err := b.ctx.Devices(malgoKind(kind))
	if err != nil {
		return nil, fmt.Errorf("list %s devices: %w", kind, err)
	}
	return infos, nil
}

// Open starts a mono s16le stream on device id ("" = system default).
func (b *MalgoBackend) Open(kind DeviceKind, id string, rate int, cb StreamCallback) (Stream, error) {
	cfg := malgo.DefaultDeviceConfig(malgoKind(kind))
	cfg.SampleRate = uint32(rate)
	// 20 ms periods with miniaudio's conservative profile: the PulseAudio
	// client wakes five times less often than with 10 ms low-latency
	// periods (CPU per call 9.4 -> 1.8 s/min, scripts/bench-call).
	cfg.PeriodSizeInMilliseconds = 20
	cfg.PerformanceProfile = malgo.Conservative
	sub := &cfg.Playback
	if kind == Capture {
		sub = &cfg.Capture
	}
	sub.Format, sub.Channels = malgo.FormatS16, 1
	if id != "" {
		ptr, err := b.deviceID(kind, id)
		if err != nil {
			return nil, err
		}
		defer C.free(ptr)
		sub.DeviceID = ptr
	}
	return b.start(kind, id, cfg, cb)
}

// deviceID returns a C copy of the miniaudio ID whose string form is id.
func (b *MalgoBackend) deviceID(kind DeviceKind, id string) (unsafe.Pointer, error) {
	infos, err := b.rawDevices(kind)
	if err != nil {
		return nil, err
	}
	for i := range infos {
		if infos[i].ID.String() == id {
			return infos[i].ID.Pointer(), nil
		}
	}
	return nil, fmt.Errorf("open %s device %s: not listed: %w", kind, id, ErrNoDevice)
}

func (b *MalgoBackend) start(kind DeviceKind, id string, cfg malgo.DeviceConfig, cb StreamCallback) (Stream, error) {
	s := &malgoStream{stopped: make(chan struct{})}
	callbacks := malgo.DeviceCallbacks{
		Data: func(out, in []byte, _ uint32) { cb(out, in) },
		Stop: s.markStopped,
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.ctx == nil {
		return nil, fmt.Errorf("open %s device: %w", kind, ErrClosed)
	}
	dev, err := malgo.InitDevice(b.ctx.Context, cfg, callbacks)
	if err != nil {
		return nil, fmt.Errorf("open %s device %q: %w", kind, id, err)
	}
	if err := dev.Start(); err != nil {
		dev.Uninit()
		return nil, fmt.Errorf("start %s device %q: %w", kind, id, err)
	}
	s.dev = dev
	return s, nil
}

// malgoStream is one running miniaudio device.
type malgoStream struct {
	dev     *malgo.Device
	stopped chan struct{}
	once    sync.Once
	close   sync.Once
}

func (s *malgoStream) markStopped() {
	s.once.Do(func() { close(s.stopped) })
}

// Stopped is closed when miniaudio reports the device stopped.
func (s *malgoStream) Stopped() <-chan struct{} {
	return s.stopped
}

// Close stops and releases the device.
func (s *malgoStream) Close() error {
	s.close.Do(func() {
		s.dev.Uninit()
		s.markStopped()
	})
	return nil
}
