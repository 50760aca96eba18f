package media

import (
	"log/slog"
	"os"
	"runtime"
)

// SystemAudio is the machine's sound system: an AudioBackend that holds
// system resources until Close (close every endpoint first).
type SystemAudio interface {
	AudioBackend
	Close() error
}

// AudioSystemEnv names the environment variable that forces a sound
// system: "pulse" or "miniaudio" ("" = choose).
const AudioSystemEnv = "LIGNE_AUDIO"

// NewSystemAudioBackend opens the platform's sound system. On Linux with a
// PulseAudio or PipeWire server, Ligne talks to it directly (see
// device_pulse.go: far less CPU during calls); elsewhere, or when no
// server answers, miniaudio picks the backend (ALSA, WASAPI, Core Audio).
// With no sound card, it usually succeeds and opening devices fails:
// endpoints then stay silent without crashing.
func NewSystemAudioBackend(log *slog.Logger) (SystemAudio, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	choice := os.Getenv(AudioSystemEnv)
	if choice == "pulse" || (choice == "" && runtime.GOOS == "linux" && pulseServerLikely()) {
		b, err := newPulseBackend("", log)
		if err == nil {
			log.Info("sound system", "backend", "pulseaudio")
			return b, nil
		}
		log.Info("no pulseaudio server: using miniaudio", "err", err)
	}
	return NewMiniaudioBackend(log)
}
