package voicemail

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/ligne-app/ligne/media"
	"github.com/ligne-app/ligne/selfcare"
)

// greetingFormats names the accepted uploads in error messages.
const greetingFormats = "MP3 / WAV"

// maxGreeting is the longest greeting.
const maxGreeting = selfcare.MaxGreetingDuration

// ImportGreeting checks an uploaded MP3 or WAV file (type, size, duration
// at most 2 min), stores it normalized (mono, Rate, level) under
// greetings/ and adds it to line's greetings. On any error nothing is
// saved and the error is a *selfcare.Error for the user.
func (b *Mailbox) ImportGreeting(ctx context.Context, line selfcare.LineKind, name, file string, use bool) (selfcare.Greeting, error) {
	pcm, err := decodeGreetingFile(file)
	if err != nil {
		return selfcare.Greeting{}, err
	}
	return b.addGreeting(ctx, line, name, pcm, use)
}

// SaveRecordedGreeting stores PCM recorded from the microphone (s16le mono
// at rate) as a greeting of line.
func (b *Mailbox) SaveRecordedGreeting(ctx context.Context, line selfcare.LineKind, name string, pcm []int16, rate int, use bool) (selfcare.Greeting, error) {
	if len(pcm) == 0 {
		return selfcare.Greeting{}, selfcare.Errorf(selfcare.CodeFileEmpty, "file")
	}
	if peakOf(pcm) < 0.01 {
		return selfcare.Greeting{}, selfcare.Errorf(selfcare.CodeRecordingSilent, "file")
	}
	out, err := resamplePCM(pcm, rate, Rate)
	if err != nil {
		return selfcare.Greeting{}, fmt.Errorf("save recorded greeting: %w", err)
	}
	return b.addGreeting(ctx, line, name, out, use)
}

// addGreeting writes the normalized file, then the row; the file is
// removed again when the row is refused.
func (b *Mailbox) addGreeting(ctx context.Context, line selfcare.LineKind, name string, pcm []int16, use bool) (selfcare.Greeting, error) {
	g := selfcare.Greeting{Line: line, Name: strings.TrimSpace(name), InUse: use,
		Duration: time.Duration(len(pcm)) * time.Second / Rate}
	others, err := b.st.Greetings(ctx, line)
	if err != nil {
		return g, err
	}
	if err := selfcare.ValidateGreeting(g, others); err != nil {
		return g, err
	}
	g.Path = path.Join(GreetingsDir, randomName()+".wav")
	if err := writePCM(b.Path(g.Path), normalize(pcm)); err != nil {
		return g, fmt.Errorf("add greeting: %w", err)
	}
	saved, err := b.st.AddGreeting(ctx, g)
	if err != nil {
		_ = os.Remove(b.Path(g.Path))
		return g, err
	}
	return saved, nil
}

// DeleteGreeting removes a greeting and its file; when it was in use the
// default greeting plays again.
func (b *Mailbox) DeleteGreeting(ctx context.Context, line selfcare.LineKind, id int64) error {
	g, err := b.greeting(ctx, line, id)
	if err != nil {
		return err
	}
	if err := b.st.DeleteGreeting(ctx, id); err != nil {
		return err
	}
	if err := os.Remove(b.Path(g.Path)); err != nil && !errors.Is(err, os.ErrNotExist) {
		b.log.Warn("remove greeting file", "path", g.Path, "err", err)
	}
	return nil
}

// greeting returns one greeting of line.
func (b *Mailbox) greeting(ctx context.Context, line selfcare.LineKind, id int64) (selfcare.Greeting, error) {
	gs, err := b.st.Greetings(ctx, line)
	if err != nil {
		return selfcare.Greeting{}, err
	}
	for _, g := range gs {
		if g.ID == id {
			return g, nil
		}
	}
	return selfcare.Greeting{}, selfcare.Errorf(selfcare.CodeNotFound, "greeting")
}

// GreetingByName finds a greeting of line by name (case-insensitive).
func (b *Mailbox) GreetingByName(ctx context.Context, line selfcare.LineKind, name string) (selfcare.Greeting, error) {
	gs, err := b.st.Greetings(ctx, line)
	if err != nil {
		return selfcare.Greeting{}, err
	}
	for _, g := range gs {
		if strings.EqualFold(g.Name, strings.TrimSpace(name)) {
			return g, nil
		}
	}
	return selfcare.Greeting{}, selfcare.Errorf(selfcare.CodeNotFound, "greeting")
}

// GreetingAudio opens what callers hear on line: the greeting in use, or
// the default greeting in lang; PCM at Rate.
func (b *Mailbox) GreetingAudio(ctx context.Context, line selfcare.LineKind, lang string) (io.ReadCloser, error) {
	gs, err := b.st.Greetings(ctx, line)
	if err != nil {
		return nil, err
	}
	for _, g := range gs {
		if g.InUse {
			p, err := media.NewFilePlayer(b.Path(g.Path), Rate, false)
			if err == nil {
				return p, nil
			}
			b.log.Warn("greeting in use unreadable, default greeting instead", "path", g.Path, "err", err)
		}
	}
	r, err := prompt(lang, "greeting")
	return io.NopCloser(r), err
}

// decodeGreetingFile reads an upload into PCM at Rate, with the user's
// error for each way it can be wrong.
func decodeGreetingFile(file string) ([]int16, error) {
	ext := strings.ToLower(filepath.Ext(file))
	if ext != ".mp3" && ext != ".wav" {
		return nil, selfcare.Errorf(selfcare.CodeFileType, "file", greetingFormats)
	}
	st, err := os.Stat(file)
	if err != nil {
		return nil, selfcare.Errorf(selfcare.CodeNotFound, "file")
	}
	if st.Size() == 0 {
		return nil, selfcare.Errorf(selfcare.CodeFileEmpty, "file")
	}
	if st.Size() > selfcare.MaxGreetingFileSize {
		return nil, selfcare.Errorf(selfcare.CodeFileTooLarge, "file", selfcare.MaxGreetingFileSize>>20)
	}
	f, err := media.OpenAudioFile(file)
	if err != nil {
		return nil, selfcare.Errorf(selfcare.CodeFileType, "file", greetingFormats)
	}
	defer f.Close()
	if err := checkComplete(file, f.Format); err != nil {
		return nil, err
	}
	pcm, err := decodeLimited(f)
	var e *selfcare.Error
	if errors.As(err, &e) && e.Code == selfcare.CodeFileCorrupt {
		return nil, selfcare.Errorf(selfcare.CodeFileCorrupt, "file", filepath.Base(file))
	}
	return pcm, err
}

// decodeLimited reads at most the longest greeting (plus a margin) and
// resamples it; a file that stops early or cannot be decoded is corrupt.
func decodeLimited(f *media.AudioFile) ([]int16, error) {
	limit := int64((selfcare.MaxGreetingDuration+time.Second).Seconds()*float64(f.Rate)) * 2
	raw, err := io.ReadAll(io.LimitReader(f, limit+2))
	if err != nil {
		return nil, selfcare.Errorf(selfcare.CodeFileCorrupt, "file", shortReason(err))
	}
	if int64(len(raw)) > limit {
		return nil, selfcare.Errorf(selfcare.CodeGreetingTooLong, "file", int(selfcare.MaxGreetingDuration.Seconds()))
	}
	if len(raw) < 2*f.Rate/10 {
		return nil, selfcare.Errorf(selfcare.CodeFileEmpty, "file")
	}
	pcm := media.BytesToSamples(nil, raw)
	out, err := resamplePCM(pcm, f.Rate, Rate)
	if err != nil {
		return nil, selfcare.Errorf(selfcare.CodeFileCorrupt, "file", shortReason(err))
	}
	return out, nil
}

// checkComplete refuses an MP3 or a WAV cut short (an interrupted copy
// or download decodes quietly up to the cut).
func checkComplete(file, format string) error {
	b, err := os.ReadFile(file)
	if err != nil {
		return selfcare.Errorf(selfcare.CodeNotFound, "file")
	}
	check := checkWAVData
	if format == "mp3" {
		check = checkMP3Frames
	}
	if err := check(b); err != nil {
		return selfcare.Errorf(selfcare.CodeFileCorrupt, "file", filepath.Base(file))
	}
	return nil
}

func shortReason(err error) string {
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return "unexpected end of file"
	}
	return err.Error()
}

// resamplePCM converts mono PCM between rates.
func resamplePCM(pcm []int16, from, to int) ([]int16, error) {
	if from == to {
		return pcm, nil
	}
	r, err := media.NewResampler(from, to)
	if err != nil {
		return nil, err
	}
	want := int(int64(len(pcm)) * int64(to) / int64(from))
	out := make([]int16, 0, want+to/10)
	for at := 0; at < len(pcm); at += 4096 { // in pieces: the resampler's buffer stays small
		out = r.Process(out, pcm[at:min(len(pcm), at+4096)])
	}
	out = r.Process(out, make([]int16, (r.Delay()+1)*from/to+from/50))
	d := r.Delay()
	return out[d:min(len(out), d+want)], nil
}

// normalize brings the peak to -3 dBFS (gain at most x8, so that a quiet
// room does not become a roar).
func normalize(pcm []int16) []int16 {
	peak := peakOf(pcm)
	if peak == 0 {
		return pcm
	}
	gain := math.Min(0.708/peak, 8)
	out := make([]int16, len(pcm))
	for i, v := range pcm {
		out[i] = int16(math.Max(-32768, math.Min(32767, float64(v)*gain)))
	}
	return out
}

func peakOf(pcm []int16) float64 {
	var m int
	for _, v := range pcm {
		m = max(m, abs(int(v)))
	}
	return float64(m) / 32768
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// writePCM writes a mono WAV at Rate through a temporary file renamed
// into place, so a crash never leaves half a greeting.
func writePCM(file string, pcm []int16) error {
	if err := os.MkdirAll(filepath.Dir(file), 0o700); err != nil {
		return err
	}
	tmp := file + ".tmp"
	w, err := media.CreateWAV(tmp, Rate, 1)
	if err != nil {
		return err
	}
	if _, err := w.Write(media.SamplesToBytes(nil, pcm)); err != nil {
		_ = w.Close()
		_ = os.Remove(tmp)
		return err
	}
	if err := w.Close(); err != nil {
		_ = os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, file)
}

// randomName is a fresh file name.
func randomName() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
