package media

import (
	"math"
	"os"
	"path/filepath"
	"testing"
)

// g722Signal is speech plus a 100 Hz - 7 kHz sweep, so both sub-bands work.
func g722Signal(t *testing.T) []int16 {
	sp := speech(t, 16000)
	return append(sp, chirp(16000, 16000, 100, 7000, 8000)...)
}

func TestG722OursDecodedByFFmpeg(t *testing.T) {
	in := g722Signal(t)
	dir := t.TempDir()
	bits := NewG722Encoder().Encode(nil, in)
	if err := os.WriteFile(filepath.Join(dir, "ours.g722"), bits, 0o600); err != nil {
		t.Fatal(err)
	}
	run(t, "ffmpeg", "-v", "error", "-f", "g722", "-i", filepath.Join(dir, "ours.g722"),
		"-f", "s16le", "-ar", "16000", "-ac", "1", filepath.Join(dir, "ffmpeg.raw"))
	theirs := readRaw(t, filepath.Join(dir, "ffmpeg.raw"))
	ours := NewG722Decoder().Decode(nil, bits)
	snr, lag := alignedSNR(in, theirs, 64)
	t.Logf("our encoder -> ffmpeg decoder: SNR %.1f dB at lag %d (%d samples)", snr, lag, len(theirs))
	if snr < 20 {
		t.Errorf("ffmpeg decodes our G.722 at %.1f dB SNR, want >= 20 dB", snr)
	}
	same := snrAt(ours, theirs, 0)
	t.Logf("our decoder vs ffmpeg's on the same bits: %.1f dB", same)
	if !math.IsInf(same, 1) {
		t.Errorf("ffmpeg's and our decoders differ on the same bits: %.1f dB", same)
	}
}

func TestG722FFmpegDecodedByOurs(t *testing.T) {
	in := g722Signal(t)
	dir := t.TempDir()
	writeRaw(t, filepath.Join(dir, "in.raw"), in)
	run(t, "ffmpeg", "-v", "error", "-f", "s16le", "-ar", "16000", "-ac", "1", "-i", filepath.Join(dir, "in.raw"),
		"-c:a", "g722", "-f", "g722", filepath.Join(dir, "ffmpeg.g722"))
	bits, err := os.ReadFile(filepath.Join(dir, "ffmpeg.g722"))
	if err != nil {
		t.Fatal(err)
	}
	ours := NewG722Decoder().Decode(nil, bits)
	snr, lag := alignedSNR(in, ours, 64)
	t.Logf("ffmpeg encoder -> our decoder: SNR %.1f dB at lag %d", snr, lag)
	ourBits := NewG722Encoder().Encode(nil, in)
	t.Logf("our encoder and ffmpeg's agree on %.1f %% of the octets", 100*agreement(ourBits, bits))
	if a := agreement(ourBits, bits); a < 0.999 {
		t.Errorf("our encoder differs from ffmpeg's on %.2f %% of the octets", 100*(1-a))
	}
	if snr < 20 {
		t.Errorf("our decoder reads ffmpeg's G.722 at %.1f dB SNR, want >= 20 dB", snr)
	}
}

func agreement(a, b []byte) float64 {
	n := min(len(a), len(b))
	same := 0
	for i := range n {
		if a[i] == b[i] {
			same++
		}
	}
	return float64(same) / float64(max(1, n))
}
