package media

import (
	"bytes"
	"errors"
	"io"
	"runtime"
	"testing"
)

// maxAudioAlloc bounds what opening and playing 10 s of any file may
// allocate: a hostile header must not exhaust memory.
const maxAudioAlloc = 64 << 20

// allocated returns the bytes allocated by the process so far.
func allocated() uint64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.TotalAlloc
}

// FuzzAudioFile opens any bytes as a sound file (WAV or MP3, recognized
// by content) the way a user-picked greeting, ringtone or hold music is
// opened, then reads up to 10 s of it resampled to 8 kHz as a call would
// play it. It must never panic; a refusal wraps ErrBadFormat or is a read
// error; what is accepted has a rate a call can use.
// Seeds: testdata/fuzz/FuzzAudioFile (WAV 8/16/24/32-bit, float, stereo,
// extensible, streamed sizes, odd chunks; MP3 with and without ID3).
func FuzzAudioFile(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		before := allocated()
		defer func() {
			if got := allocated() - before; got > maxAudioAlloc {
				t.Fatalf("a %d-byte file made Ligne allocate %d MB", len(data), got>>20)
			}
		}()
		af, err := NewAudioReader(bytes.NewReader(data))
		if err != nil {
			return
		}
		if af.Rate <= 0 {
			t.Fatalf("accepted a %s file at %d Hz", af.Format, af.Rate)
		}
		r, err := NewResampleReader(af, af.Rate, 8000)
		if err != nil {
			if !errors.Is(err, ErrBadRate) {
				t.Fatalf("resampler refused %d Hz with %v", af.Rate, err)
			}
			return
		}
		if _, err := io.CopyN(io.Discard, r, 10*8000*2); err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Logf("read error: %v", err)
		}
	})
}
