package voicemail

import (
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/ligne-app/ligne/internal/peers"
	"github.com/ligne-app/ligne/media"
	"github.com/ligne-app/ligne/selfcare"
)

// toneFile makes an audio file of a tone with ffmpeg (MP3 or WAV by the
// extension of name) at rate with channels, lasting seconds.
func toneFile(t *testing.T, name string, rate, channels int, seconds float64) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), name)
	src := "sine=frequency=440:sample_rate=" + strconv.Itoa(rate) + ":duration=" + strconv.FormatFloat(seconds, 'f', 1, 64)
	run(t, "ffmpeg", "-loglevel", "error", "-f", "lavfi", "-i", src, "-af", "volume=3", "-ac", strconv.Itoa(channels), out)
	return out
}

func mailbox(t *testing.T) *Mailbox {
	dir := t.TempDir()
	return NewMailbox(MailboxConfig{Store: openStore(t, dir), Dir: dir, Logger: testLogger(t)})
}

// TestImportGreetingFormats: MP3 and WAV at several rates and channel
// counts are stored as mono WAV at Rate, normalized, with their duration.
func TestImportGreetingFormats(t *testing.T) {
	b := mailbox(t)
	cases := []struct {
		name           string
		rate, channels int
	}{
		{"mp3-44100-stereo.mp3", 44100, 2}, {"mp3-48000.mp3", 48000, 1}, {"mp3-22050.mp3", 22050, 1},
		{"wav-8000.wav", 8000, 1}, {"wav-16000.wav", 16000, 1}, {"wav-44100-stereo.wav", 44100, 2},
	}
	for i, c := range cases {
		g, err := b.ImportGreeting(gctx(t), selfcare.LineFixed, c.name, toneFile(t, c.name, c.rate, c.channels, 3), i == 0)
		if i >= selfcare.MaxGreetings {
			if selfcare.ErrorCode(err) != selfcare.CodeGreetingLimit {
				t.Fatalf("%s: a sixth greeting gave %v, want the limit of five", c.name, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		w := readPCM(t, b.Path(g.Path))
		peak := peakFloat(w.Samples)
		if w.Rate != Rate || math.Abs(g.Duration.Seconds()-3) > 0.1 || peak < 0.6 || peak > 0.75 {
			t.Fatalf("%s stored at %d Hz, %v, peak %.2f", c.name, w.Rate, g.Duration, peak)
		}
		if tone := peers.DominantTone(w); math.Abs(tone.Hz-440) > 10 {
			t.Fatalf("%s: stored audio is %+v, want the 440 Hz tone", c.name, tone)
		}
	}
}

func peakFloat(s []float64) float64 {
	m := 0.0
	for _, v := range s {
		m = math.Max(m, math.Abs(v))
	}
	return m
}

// TestImportGreetingRefusals: each bad upload is refused with its clear
// error, and nothing changes (no greeting, no file, the one in use kept).
func TestImportGreetingRefusals(t *testing.T) {
	b := mailbox(t)
	kept, err := b.ImportGreeting(gctx(t), selfcare.LineFixed, "Bureau", toneFile(t, "ok.wav", 8000, 1, 2), true)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	text := filepath.Join(dir, "annonce.mp3")
	mustWrite(t, text, []byte("Bonjour, ceci est un fichier texte et pas une annonce.\n"))
	empty := filepath.Join(dir, "vide.wav")
	mustWrite(t, empty, nil)
	big := filepath.Join(dir, "enorme.wav")
	mustWrite(t, big, make([]byte, selfcare.MaxGreetingFileSize+1))
	cases := []struct {
		name, file string
		want       selfcare.Code
	}{
		{"truncated MP3", truncated(t, toneFile(t, "long.mp3", 44100, 1, 20)), selfcare.CodeFileCorrupt},
		{"truncated WAV", truncatedAs(t, toneFile(t, "long.wav", 16000, 1, 10), "coupe.wav"), selfcare.CodeFileCorrupt},
		{"text file renamed .mp3", text, selfcare.CodeFileType},
		{"10-minute file", toneFile(t, "ten.mp3", 22050, 1, 600), selfcare.CodeGreetingTooLong},
		{"empty file", empty, selfcare.CodeFileEmpty},
		{"file over 20 MB", big, selfcare.CodeFileTooLarge},
		{"OGG file", toneFile(t, "annonce.ogg", 8000, 1, 2), selfcare.CodeFileType},
	}
	for _, c := range cases {
		_, err := b.ImportGreeting(gctx(t), selfcare.LineFixed, c.name, c.file, true)
		if selfcare.ErrorCode(err) != c.want {
			t.Fatalf("%s: got %v, want %s", c.name, err, c.want)
		}
		t.Logf("%s refused: %s / %s", c.name, selfcare.ErrorMessage(err, "fr"), selfcare.ErrorMessage(err, "en"))
	}
	gs, _ := b.st.Greetings(gctx(t), selfcare.LineFixed)
	files, _ := os.ReadDir(b.Path(GreetingsDir))
	if len(gs) != 1 || gs[0].ID != kept.ID || !gs[0].InUse || len(files) != 1 {
		t.Fatalf("after refusals: greetings %+v, %d files", gs, len(files))
	}
}

// truncated cuts an MP3 in the middle of a frame, as an interrupted
// download does.
func truncated(t *testing.T, file string) string {
	t.Helper()
	return truncatedAs(t, file, "coupe.mp3")
}

func truncatedAs(t *testing.T, file, name string) string {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), name)
	mustWrite(t, out, b[:len(b)*2/5+77])
	return out
}

// TestGreetingLifecycle: rename, use, delete (the default greeting plays
// again when the one in use is deleted).
func TestGreetingLifecycle(t *testing.T) {
	b := mailbox(t)
	a, err := b.ImportGreeting(gctx(t), selfcare.LineFixed, "Matin", toneFile(t, "a.wav", 8000, 1, 1), true)
	if err != nil {
		t.Fatal(err)
	}
	c, err := b.ImportGreeting(gctx(t), selfcare.LineFixed, "Soir", toneFile(t, "b.wav", 8000, 1, 1), false)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.st.RenameGreeting(gctx(t), c.ID, "Matin"); selfcare.ErrorCode(err) != selfcare.CodeGreetingNameTaken {
		t.Fatalf("rename to a taken name: %v", err)
	}
	if err := b.st.UseGreeting(gctx(t), c.ID); err != nil {
		t.Fatal(err)
	}
	if err := b.DeleteGreeting(gctx(t), selfcare.LineFixed, c.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(b.Path(c.Path)); !os.IsNotExist(err) {
		t.Fatalf("deleted greeting's file still there: %v", err)
	}
	r, err := b.GreetingAudio(gctx(t), selfcare.LineFixed, "fr")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	pcm := make([]byte, 2*Rate*3)
	n, _ := readFull(r, pcm)
	if float64(n)/2/Rate < 2.5 {
		t.Fatalf("default greeting gave %d bytes, want several seconds (the 1 s greeting %q is not in use)", n, a.Name)
	}
}

func readFull(r interface{ Read([]byte) (int, error) }, p []byte) (int, error) {
	n := 0
	for n < len(p) {
		k, err := r.Read(p[n:])
		n += k
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// TestSaveRecordedGreeting: microphone PCM is stored at Rate; a silent
// recording is refused.
func TestSaveRecordedGreeting(t *testing.T) {
	b := mailbox(t)
	if _, err := b.SaveRecordedGreeting(gctx(t), selfcare.LineFixed, "Micro", make([]int16, 48000), 48000, true); selfcare.ErrorCode(err) != selfcare.CodeRecordingSilent {
		t.Fatalf("silent recording: %v", err)
	}
	pcm := make([]int16, 48000*2)
	for i := range pcm {
		pcm[i] = int16(3000 * math.Sin(2*math.Pi*440*float64(i)/48000))
	}
	g, err := b.SaveRecordedGreeting(gctx(t), selfcare.LineFixed, "Micro", pcm, 48000, true)
	if err != nil || math.Abs(g.Duration.Seconds()-2) > 0.05 || !g.InUse {
		t.Fatalf("recorded greeting %+v %v", g, err)
	}
	if w := readPCM(t, b.Path(g.Path)); w.Rate != Rate || time.Duration(len(w.Samples))*time.Second/Rate < 1900*time.Millisecond {
		t.Fatalf("stored %d samples at %d Hz", len(w.Samples), w.Rate)
	}
}

// TestGreetingCaptureLevelAndPlayback: the meter follows the microphone;
// what was captured plays back, pauses and seeks.
func TestGreetingCaptureLevelAndPlayback(t *testing.T) {
	c := NewGreetingCapture(8000)
	loud := make([]int16, 160)
	for i := range loud {
		loud[i] = int16(10000 * math.Sin(2*math.Pi*440*float64(i)/8000))
	}
	_, _ = c.Write(media.SamplesToBytes(nil, loud))
	if c.Level() < 0.1 {
		t.Fatalf("level %.3f for a loud frame", c.Level())
	}
	_, _ = c.Write(make([]byte, 320))
	if c.Level() != 0 || c.Duration() != 40*time.Millisecond {
		t.Fatalf("after silence: level %.3f, %v", c.Level(), c.Duration())
	}
	pcm, rate := c.PCM()
	p := NewPlayback(pcm, rate)
	buf := make([]byte, 160)
	_, _ = p.Read(buf)
	if p.Position() != 10*time.Millisecond {
		t.Fatalf("position %v", p.Position())
	}
	p.Pause(true)
	_, _ = p.Read(buf)
	if p.Position() != 10*time.Millisecond {
		t.Fatal("paused playback moved")
	}
	p.Seek(0.75)
	p.Pause(false)
	_, _ = p.Read(make([]byte, 640))
	select {
	case <-p.Done():
	default:
		t.Fatalf("playback not finished at %v of %v", p.Position(), p.Duration())
	}
}
