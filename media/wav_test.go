package media

import (
	"bytes"
	"fmt"
	"path/filepath"
	"testing"
)

func TestWAVRoundTripRatesAndChannels(t *testing.T) {
	for _, rate := range []int{8000, 16000, 44100, 48000} {
		for _, ch := range []int{1, 2} {
			path := filepath.Join(t.TempDir(), fmt.Sprintf("t%d_%d.wav", rate, ch))
			in := chirp(rate/2, rate, 100, float64(rate)/3, 12000)
			w, err := CreateWAV(path, rate, ch)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := w.Write(SamplesToBytes(nil, in)); err != nil {
				t.Fatal(err)
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			got, info := readWAVFile(t, path)
			if info.SampleRate != rate || info.Channels != ch || info.DataBytes != int64(len(in)*2*ch) {
				t.Errorf("%d Hz %d ch: info %+v", rate, ch, info)
			}
			if !bytes.Equal(SamplesToBytes(nil, got), SamplesToBytes(nil, in)) {
				t.Errorf("%d Hz %d ch: samples differ after a round trip", rate, ch)
			}
		}
	}
}

// TestWAVReadsWhatFFmpegWrites checks formats we do not write ourselves:
// 24-bit, 32-bit float, 8-bit, stereo mixed down to mono.
func TestWAVReadsWhatFFmpegWrites(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "src.raw")
	in := chirp(8000, 16000, 200, 5000, 16000)
	writeRaw(t, src, in)
	for _, f := range []struct {
		codec string
		ch    string
		minDB float64
	}{{"pcm_s16le", "2", 90}, {"pcm_s24le", "1", 90}, {"pcm_f32le", "2", 90}, {"pcm_u8", "1", 35}} {
		out := filepath.Join(dir, f.codec+f.ch+".wav")
		run(t, "ffmpeg", "-v", "error", "-f", "s16le", "-ar", "16000", "-ac", "1", "-i", src,
			"-af", pan(f.ch), "-c:a", f.codec, out)
		got, info := readWAVFile(t, out)
		if info.SampleRate != 16000 {
			t.Errorf("%s: rate %d", f.codec, info.SampleRate)
		}
		if snr := snrAt(in, got, 0); snr < f.minDB {
			t.Errorf("%s x%s: SNR %.1f dB against the source, want >= %.0f", f.codec, f.ch, snr, f.minDB)
		}
	}
}

func TestWAVStreamedHeaderIsReadToEOF(t *testing.T) {
	var buf bytes.Buffer // not seekable: the header keeps the "unknown size" marker
	w, err := NewWAVWriter(&buf, 8000, 1)
	if err != nil {
		t.Fatal(err)
	}
	in := chirp(800, 8000, 300, 3000, 10000)
	_, _ = w.Write(SamplesToBytes(nil, in))
	_ = w.Close()
	r, err := NewWAVReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if _, err := out.ReadFrom(r); err != nil {
		t.Fatal(err)
	}
	if r.Info().DataBytes != -1 || out.Len() != len(in)*2 {
		t.Errorf("streamed wav: info %+v, read %d bytes, want %d", r.Info(), out.Len(), len(in)*2)
	}
}

func TestWAVRejectsOtherFiles(t *testing.T) {
	if _, err := NewWAVReader(bytes.NewReader([]byte("ID3\x03not a wave file at all"))); err == nil {
		t.Error("an MP3 header was accepted as WAV")
	}
}

// pan copies the mono input to every output channel at unit gain (ffmpeg's
// own up-mix would lower the level by 3 dB).
func pan(ch string) string {
	if ch == "2" {
		return "pan=stereo|c0=c0|c1=c0"
	}
	return "pan=mono|c0=c0"
}
