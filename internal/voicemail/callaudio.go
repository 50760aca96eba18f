package voicemail

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"sync"
	"time"

	"github.com/ligne-app/ligne/assets"
	"github.com/ligne-app/ligne/media"
	"github.com/ligne-app/ligne/softphone"
)

// errCallEnded reports that the caller hung up during a step.
var errCallEnded = errors.New("voicemail: the call ended")

// errInterrupted reports a playback cut short by a digit.
var errInterrupted = errors.New("voicemail: playback interrupted")

// beepTone is the signal between the greeting and the recording.
func beepTone() io.Reader {
	return media.NewToneReaderFor(media.Tone{Name: "beep", Freqs: []float64{1000}, Level: 0.35}, Rate, 450*time.Millisecond)
}

// silence is d of silence at Rate.
func silence(d time.Duration) io.Reader {
	return io.LimitReader(zeroReader{}, int64(d.Seconds()*Rate)*2)
}

type zeroReader struct{}

// Read fills p with silence.
func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// endReader closes done when its reader ends.
type endReader struct {
	r    io.Reader
	done chan struct{}
	once sync.Once
}

func newEndReader(r io.Reader) *endReader { return &endReader{r: r, done: make(chan struct{})} }

// Read passes through and notes the end.
func (e *endReader) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err != nil {
		e.once.Do(func() { close(e.done) })
	}
	return n, err
}

// play sends r to the caller and returns when it has been played, the
// call ended (errCallEnded), ctx ended, or interrupt fired (errInterrupted).
// The source is silence afterwards.
func play(ctx context.Context, c *softphone.Call, r io.Reader, interrupt <-chan struct{}) error {
	s := c.Media()
	if s == nil {
		return fmt.Errorf("play to %s: %w", c.ID(), errCallEnded)
	}
	er := newEndReader(r)
	s.SetSource(er, Rate)
	defer s.SetSource(nil, Rate)
	select {
	case <-er.done:
		return nil
	case <-c.Done():
		return errCallEnded
	case <-ctx.Done():
		return ctx.Err()
	case <-interrupt:
		return errInterrupted
	}
}

// prompt returns a prompt of the voice menu (or the default greeting) in
// lang as PCM at Rate.
func prompt(lang, name string) (io.Reader, error) {
	if lang != "en" {
		lang = "fr"
	}
	b, err := assets.Read("voicemail/" + lang + "/" + name + ".mp3")
	if err != nil {
		return nil, fmt.Errorf("prompt %s/%s: %w", lang, name, err)
	}
	f, err := media.NewAudioReader(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("prompt %s/%s: %w", lang, name, err)
	}
	return media.NewResampleReader(f, f.Rate, Rate)
}

// prompts chains several prompts with a short pause between them.
func prompts(lang string, names ...string) (io.Reader, error) {
	var rs []io.Reader
	for i, n := range names {
		r, err := prompt(lang, n)
		if err != nil {
			return nil, err
		}
		if i > 0 {
			rs = append(rs, silence(120*time.Millisecond))
		}
		rs = append(rs, r)
	}
	return io.MultiReader(rs...), nil
}

// levelOf returns the RMS level of s16le PCM, 0..1 of full scale.
func levelOf(p []byte) float64 {
	n := len(p) / 2
	if n == 0 {
		return 0
	}
	var sum float64
	for i := range n {
		v := float64(int16(uint16(p[2*i])|uint16(p[2*i+1])<<8)) / 32768
		sum += v * v
	}
	return math.Sqrt(sum / float64(n))
}
