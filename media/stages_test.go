package media

import (
	"bytes"
	"errors"
	"io"
	"math"
	"path/filepath"
	"testing"
	"time"
)

func readN(t *testing.T, r io.Reader, samples int) []int16 {
	t.Helper()
	b := make([]byte, 2*samples)
	if _, err := io.ReadFull(r, b); err != nil {
		t.Fatalf("read %d samples: %v", samples, err)
	}
	return BytesToSamples(nil, b)
}

func TestMP3FromFFmpegPlaysAtCodecRate(t *testing.T) {
	dir := t.TempDir()
	mp3 := filepath.Join(dir, "music.mp3")
	run(t, "ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=frequency=1000:sample_rate=44100:duration=2",
		"-ac", "2", "-c:a", "libmp3lame", "-b:a", "128k", mp3)
	f, err := OpenAudioFile(mp3)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if f.Format != "mp3" || f.Rate != 44100 {
		t.Errorf("format %s rate %d, want mp3 44100", f.Format, f.Rate)
	}
	p, err := NewFilePlayer(mp3, 8000, false)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	all, err := io.ReadAll(p)
	if err != nil {
		t.Fatal(err)
	}
	s := BytesToSamples(nil, all)
	if d := float64(len(s)) / 8000; d < 1.9 || d > 2.2 {
		t.Errorf("2 s of MP3 played as %.2f s", d)
	}
	if share := toneShare(s[2000:len(s)-2000], 1000, 8000); share < 0.98 {
		t.Errorf("MP3 at 8 kHz: 1 kHz holds %.3f of the power", share)
	}
}

func TestPlayerLoopsAndRecorderStopsAtLimit(t *testing.T) {
	dir := t.TempDir()
	short := filepath.Join(dir, "beep.wav")
	rec, err := NewRecorder(short, 16000, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = rec.Write(SamplesToBytes(nil, tone(16000, 500, 100*time.Millisecond)))
	_ = rec.Close()
	p, err := NewFilePlayer(short, 8000, true)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	looped := readN(t, p, 8000) // 1 s from a 100 ms file
	if share := toneShare(looped, 500, 8000); share < 0.95 {
		t.Errorf("looping a 100 ms beep: 500 Hz share %.3f over 1 s", share)
	}
	capped := filepath.Join(dir, "message.wav")
	rec, err = NewRecorder(capped, 8000, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	_, err = rec.Write(SamplesToBytes(nil, tone(8000, 300, 1500*time.Millisecond)))
	if !errors.Is(err, ErrLimitReached) {
		t.Errorf("writing 1.5 s into a 1 s recorder: %v, want ErrLimitReached", err)
	}
	_ = rec.Close()
	got, info := readWAVFile(t, capped)
	if len(got) != 8000 || info.SampleRate != 8000 {
		t.Errorf("recorded %d samples at %d Hz, want 8000 at 8000", len(got), info.SampleRate)
	}
}

func TestGainMutesWithoutClickAndScalesVolume(t *testing.T) {
	src := bytes.NewReader(SamplesToBytes(nil, tone(8000, 1000, time.Second)))
	g := NewGainReader(src, 8000)
	first := readN(t, g, 800)
	g.SetVolume(0.5)
	_ = readN(t, g, 80) // the 5 ms ramp
	half := readN(t, g, 800)
	if r := energy(half) / energy(first); math.Abs(10*math.Log10(r)+6.02) > 0.2 {
		t.Errorf("volume 0.5 changed the level by %.2f dB, want -6.02", 10*math.Log10(r))
	}
	g.SetMute(true)
	ramp := readN(t, g, 40)
	muted := readN(t, g, 800)
	if energy(muted) != 0 || !g.Muted() {
		t.Error("muted stage is not silent")
	}
	for i := 1; i < len(ramp); i++ { // no jump larger than the signal's own slope
		if d := math.Abs(float64(ramp[i]) - float64(ramp[i-1])); d > 0.5*32767*0.3*2*math.Pi*1000/8000+1 {
			t.Fatalf("muting clicks: step %.0f at sample %d", d, i)
		}
	}
}

func TestLevelMeterReadsDBFS(t *testing.T) {
	var sink bytes.Buffer
	m := NewLevelMeterWriter(&sink, 8000)
	if rms, _ := m.Level(); rms != SilenceDBFS {
		t.Errorf("level before any audio: %.1f", rms)
	}
	s := tone(8000, 1000, 100*time.Millisecond) // amplitude 0.3 of full scale
	_, _ = m.Write(SamplesToBytes(nil, s))
	rms, peak := m.Level()
	wantPeak := 20 * math.Log10(0.3)
	if math.Abs(peak-wantPeak) > 0.2 || math.Abs(rms-(wantPeak-3.01)) > 0.2 {
		t.Errorf("level %.2f dBFS RMS, %.2f dBFS peak; want %.2f and %.2f", rms, peak, wantPeak-3.01, wantPeak)
	}
	if sink.Len() != 2*len(s) {
		t.Error("the meter did not pass the audio through")
	}
}

func TestRingBoundsDelayBetweenClocks(t *testing.T) {
	r := NewRing(640, 320) // 40 ms at 8 kHz, 20 ms cushion
	out := make([]byte, 320)
	_, _ = r.Read(out)
	if energy(BytesToSamples(nil, out)) != 0 {
		t.Error("an empty ring did not read as silence")
	}
	for i := range 5 { // 100 ms into a 40 ms ring: the oldest is dropped
		_, _ = r.Write(bytes.Repeat([]byte{byte(i + 1), 0}, 80))
	}
	if r.Buffered() != 640 {
		t.Errorf("buffered %d bytes, want the 640 of capacity", r.Buffered())
	}
	_, _ = r.Read(out)
	if out[0] != 2 { // the fifth write pushed out the first
		t.Errorf("after an overrun the oldest kept frame is %d, want 2", out[0])
	}
	under, over := r.Stats()
	if over == 0 || under != 0 {
		t.Errorf("underruns %d overruns %d", under, over)
	}
}

func TestMixerSumsInputsAndDropsEnded(t *testing.T) {
	m := NewMixer()
	m.Add(NewToneReader(Tone{Freqs: []float64{500}, Level: 0.2}, 8000))
	m.Add(bytes.NewReader(SamplesToBytes(nil, tone(8000, 1300, 100*time.Millisecond))))
	mixed := readN(t, m, 800)
	if toneShare(mixed, 500, 8000) < 0.3 || toneShare(mixed, 1300, 8000) < 0.3 {
		t.Error("the mix lacks one of its inputs")
	}
	_ = readN(t, m, 800) // the 100 ms input ends here
	if m.Len() != 1 {
		t.Errorf("%d inputs after one ended, want 1", m.Len())
	}
	if share := toneShare(readN(t, m, 800), 500, 8000); share < 0.99 {
		t.Errorf("the remaining input is not alone: %.3f", share)
	}
}

// TestRingTrimsWhenTheWriterRunsFast writes 21 ms per 20 ms read for a few
// seconds: without trimming the fill would grow by 1 ms per read; with it
// the delay stays near the prefill.
func TestRingTrimsWhenTheWriterRunsFast(t *testing.T) {
	r := NewRing(8000, 160) // 500 ms at 8 kHz, 10 ms prefill
	r.SetTrim(320)          // 20 ms
	frame := make([]byte, 320)
	for range 400 {
		_, _ = r.Write(make([]byte, 336))
		_, _ = r.Read(frame)
	}
	if got := r.Buffered(); got > 640 {
		t.Errorf("after 8 s with a 5 %% fast writer the ring holds %d bytes (%d ms), want <= 40 ms", got, got/16)
	}
}
