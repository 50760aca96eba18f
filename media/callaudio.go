package media

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"
)

// CallAudioRate is the rate at which CallAudio exchanges PCM with a
// session and runs echo cancellation: wideband, so G.722 keeps its band;
// the session converts to and from the codec rate.
const CallAudioRate = 16000

// deviceCushion is what the rings between a 20 ms timer clock and the
// sound card's 10 ms periods hold before playing: one session frame, one
// device period and some scheduling margin. Less (20 ms was tried) runs
// dry a few times a second, each time a gap. A call paced by the
// microphone (Attach) reads each frame as soon as it is recorded: its
// microphone ring holds one frame before playing, 20 ms less delay.
const deviceCushion = 30 * time.Millisecond

// CallAudioConfig sets up the sound card side of calls.
type CallAudioConfig struct {
	Microphone DeviceInfo    // preferred capture device; zero = system default
	Speaker    DeviceInfo    // preferred playback device; zero = system default
	DeviceRate int           // default: the backend's preferred rate (RatePreferrer), else 48000
	EchoTail   time.Duration // echo canceller tail, default 200 ms
	Poll       time.Duration // device list polling, default 1 s
	Logger     *slog.Logger
}

// RatePreferrer is an AudioBackend that converts rates itself (a sound
// server) and would rather be given PCM at the call's rate: Ligne then
// skips its own 48 kHz conversion and its CPU.
type RatePreferrer interface {
	PreferredRate() int
}

// CallAudio wires the microphone and the loudspeaker to a call:
//
//	mic device -> ring (48 kHz) -> resampler -> echo canceller -> mute/volume -> level meter -> session source (16 kHz)
//	session sink (16 kHz) -> echo reference ring
//	                      -> volume -> resampler -> ring (48 kHz) -> speaker device
//
// Devices that disappear are replaced by the system default and taken back
// when they return (see Endpoint); the session never notices. Attach it to
// the active call's session; the ringing device is a separate Endpoint.
type CallAudio struct {
	mic, spk  *Endpoint
	micRing   *Ring
	micRate   int // the devices' rate
	spkRing   *Ring
	refRing   *Ring
	echo      *EchoCanceller
	micGain   *Gain
	meter     *LevelMeter
	spkGain   *Gain
	source    io.Reader
	sink      io.Writer
	mu        sync.Mutex
	attached  *Session
	closeOnce sync.Once
}

// NewCallAudio opens the devices of cfg on backend. Missing devices are
// not an error (see Endpoint.Status): the call goes on without sound.
func NewCallAudio(ctx context.Context, backend AudioBackend, cfg CallAudioConfig) (*CallAudio, error) {
	if p, ok := backend.(RatePreferrer); ok && cfg.DeviceRate <= 0 {
		cfg.DeviceRate = p.PreferredRate()
	}
	cfg = callAudioDefaults(cfg)
	c := &CallAudio{
		micRate: cfg.DeviceRate,
		micRing: NewRing(bytesFor(cfg.DeviceRate, 200*time.Millisecond), bytesFor(cfg.DeviceRate, deviceCushion)),
		spkRing: NewRing(bytesFor(cfg.DeviceRate, 80*time.Millisecond), bytesFor(cfg.DeviceRate, deviceCushion)),
		refRing: NewRing(bytesFor(CallAudioRate, cfg.EchoTail), bytesFor(CallAudioRate, FrameDuration)),
		echo:    NewEchoCanceller(CallAudioRate, cfg.EchoTail),
	}
	if err := c.buildChains(cfg.DeviceRate); err != nil {
		return nil, err
	}
	c.mic = OpenEndpoint(ctx, backend, EndpointConfig{Kind: Capture, Preferred: cfg.Microphone, Rate: cfg.DeviceRate, Poll: cfg.Poll, Logger: cfg.Logger})
	c.mic.SetSink(c.micRing)
	c.spk = OpenEndpoint(ctx, backend, EndpointConfig{Kind: Playback, Preferred: cfg.Speaker, Rate: cfg.DeviceRate, Poll: cfg.Poll, Logger: cfg.Logger})
	c.spkRing.SetTrim(bytesFor(cfg.DeviceRate, deviceCushion+15*time.Millisecond))
	c.spk.SetSource(c.spkRing)
	return c, nil
}

func callAudioDefaults(cfg CallAudioConfig) CallAudioConfig {
	if cfg.DeviceRate <= 0 {
		cfg.DeviceRate = 48000
	}
	if cfg.EchoTail <= 0 {
		cfg.EchoTail = 200 * time.Millisecond
	}
	return cfg
}

func bytesFor(rate int, d time.Duration) int {
	return 2 * int(d.Seconds()*float64(rate))
}

// buildChains assembles the capture and playback stages.
func (c *CallAudio) buildChains(deviceRate int) error {
	down, err := NewResampleReader(c.micRing, deviceRate, CallAudioRate)
	if err != nil {
		return fmt.Errorf("call audio: %w", err)
	}
	c.micGain = NewGainReader(NewEchoStage(c.echo, down, c.refRing), CallAudioRate)
	c.meter = NewLevelMeterReader(c.micGain, CallAudioRate)
	c.source = c.meter
	up, err := NewResampleWriter(c.spkRing, CallAudioRate, deviceRate)
	if err != nil {
		return fmt.Errorf("call audio: %w", err)
	}
	c.spkGain = NewGainWriter(up, CallAudioRate)
	c.sink = &lockedWriter{w: io.MultiWriter(c.refRing, c.spkGain)} // two sessions overlap while the call in focus changes
	return nil
}

// Attach makes s the call that uses the microphone and the loudspeaker
// (detaching the previous one, which then sends silence and plays
// nothing). The microphone then paces s's clock (see sessionClock).
func (c *CallAudio) Attach(s *Session) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.attached != nil && c.attached != s {
		c.mic.SetPace(nil)
		c.micRing.SetPrefill(bytesFor(c.micRate, deviceCushion))
		c.attached.SetSource(nil, CallAudioRate)
		c.attached.SetSink(nil, CallAudioRate)
	}
	c.attached = s
	if s != nil {
		s.SetSource(c.source, CallAudioRate)
		s.SetSink(c.sink, CallAudioRate)
		c.micRing.SetPrefill(bytesFor(c.micRate, FrameDuration))
		c.mic.SetPace(s.pace)
	}
}

// SetMute mutes or unmutes the microphone.
func (c *CallAudio) SetMute(m bool) { c.micGain.SetMute(m) }

// SetMicVolume sets the microphone gain (1 = unchanged).
func (c *CallAudio) SetMicVolume(v float64) { c.micGain.SetVolume(v) }

// SetSpeakerVolume sets the loudspeaker gain (1 = unchanged).
func (c *CallAudio) SetSpeakerVolume(v float64) { c.spkGain.SetVolume(v) }

// SetEchoCancellation switches echo cancellation on or off.
func (c *CallAudio) SetEchoCancellation(on bool) { c.echo.SetEnabled(on) }

// InputLevel returns the microphone level (RMS and peak, dBFS) after mute.
func (c *CallAudio) InputLevel() (rms, peak float64) { return c.meter.Level() }

// Devices returns the capture and playback endpoints (to choose devices
// and show which ones are in use).
func (c *CallAudio) Devices() (mic, speaker *Endpoint) { return c.mic, c.spk }

// Close detaches the call and closes the devices.
func (c *CallAudio) Close() error {
	var err error
	c.closeOnce.Do(func() {
		c.Attach(nil)
		err = joinErrs(c.mic.Close(), c.spk.Close())
	})
	return err
}

func joinErrs(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return fmt.Errorf("call audio close: %w", e)
		}
	}
	return nil
}
