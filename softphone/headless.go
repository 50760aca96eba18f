package softphone

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/ligne-app/ligne/media"
)

// fileRate is the PCM rate of played and recorded files.
const fileRate = 8000

// AttachFiles plays play (WAV or MP3, "" for silence) to the peer and
// records what the peer says to record ("" for none) as a WAV file. The
// recording is finished when the call ends.
func (c *Call) AttachFiles(play, record string) error {
	s := c.Media()
	if s == nil {
		return fmt.Errorf("attach files to %s: %w", c.id, ErrCallState)
	}
	if play != "" {
		p, err := media.NewFilePlayer(play, fileRate, false)
		if err != nil {
			return fmt.Errorf("attach files to %s: %w", c.id, err)
		}
		s.SetSource(p, fileRate)
		c.p.spawn(func() { <-c.done; _ = p.Close() })
	}
	if record == "" {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(record), 0o700); err != nil {
		return fmt.Errorf("attach files to %s: %w", c.id, err)
	}
	r, err := media.NewRecorder(record, fileRate, 0)
	if err != nil {
		return fmt.Errorf("attach files to %s: %w", c.id, err)
	}
	s.SetSink(r, fileRate)
	c.p.spawn(func() {
		<-c.done
		s.SetSink(nil, fileRate)
		_ = r.Close()
	})
	return nil
}

// StreamEvents writes every event of p as one JSON object per line to w
// until ctx ends or the phone shuts down (lignectl run).
func StreamEvents(ctx context.Context, p *Phone, w io.Writer) error {
	events := p.Subscribe(ctx)
	if reg := p.Registration(); reg.State != "" {
		// the line's state when the stream starts (it may have changed
		// before anyone listened): a state can appear twice, never be missed
		b, err := MarshalEvent(reg)
		if err != nil {
			return fmt.Errorf("stream events: %w", err)
		}
		if _, err := w.Write(append(b, '\n')); err != nil {
			return fmt.Errorf("stream events: %w", err)
		}
	}
	for ev := range events {
		b, err := MarshalEvent(ev)
		if err != nil {
			return fmt.Errorf("stream events: %w", err)
		}
		if _, err := w.Write(append(b, '\n')); err != nil {
			return fmt.Errorf("stream events: %w", err)
		}
	}
	return nil
}

// AnswerWithFiles is an incoming policy for headless use: answer every
// call, play a file and record each call to dir/<call-id>.wav.
func AnswerWithFiles(play, dir string) IncomingPolicy {
	return func(ctx context.Context, in IncomingCall) Disposition {
		return Disposition{Action: ActionAnswer, OnAnswer: func(ctx context.Context, c *Call) {
			rec := ""
			if dir != "" {
				rec = filepath.Join(dir, safeName(c.ID())+".wav")
			}
			if err := c.AttachFiles(play, rec); err != nil {
				c.p.log.Warn("files not attached", "call_id", c.ID(), "error", err)
			}
		}}
	}
}

func safeName(s string) string {
	out := []rune(s)
	for i, r := range out {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '.') {
			out[i] = '_'
		}
	}
	return string(out)
}

// DialScript is a headless call (lignectl dial).
type DialScript struct {
	Target string
	// Play is a WAV/MP3 file sent once answered; Record the WAV written.
	Play, Record string
	// DTMF digits are sent once answered (after DTMFDelay).
	DTMF      string
	DTMFDelay time.Duration
	// HangupAfter ends the call this long after the answer (0: when the
	// peer hangs up or ctx ends).
	HangupAfter time.Duration
	Identity    *Identity
}

// RunDial places a scripted call and returns how it ended.
func (p *Phone) RunDial(ctx context.Context, s DialScript) (CallEndedEvent, error) {
	c, err := p.Dial(ctx, s.Target, DialOptions{Identity: s.Identity})
	if err != nil {
		return CallEndedEvent{}, err
	}
	select {
	case <-c.Answered():
	case <-c.Done():
		e, _ := c.EndInfo()
		return e, nil
	case <-ctx.Done():
		hctx, cancel := detached(ctx)
		defer cancel()
		_ = c.Hangup(hctx)
		e, _ := c.EndInfo()
		return e, ctx.Err()
	}
	if err := c.AttachFiles(s.Play, s.Record); err != nil {
		_ = c.Hangup(ctx)
		return CallEndedEvent{}, err
	}
	return c.scriptAnswered(ctx, s)
}

// scriptAnswered sends the digits and hangs up when the script says so.
func (c *Call) scriptAnswered(ctx context.Context, s DialScript) (CallEndedEvent, error) {
	if s.DTMF != "" {
		if err := sleepCtx(ctx, s.DTMFDelay); err == nil {
			_ = c.SendDTMF(s.DTMF, 0)
		}
	}
	var after <-chan time.Time
	if s.HangupAfter > 0 {
		t := time.NewTimer(s.HangupAfter)
		defer t.Stop()
		after = t.C
	}
	select {
	case <-after:
	case <-c.Done():
	case <-ctx.Done():
	}
	hctx, cancel := detached(ctx)
	defer cancel()
	err := c.Hangup(hctx)
	<-c.Done()
	e, _ := c.EndInfo()
	return e, err
}

// detached is ctx without its cancellation, bounded to 10 s: for hanging
// up after the caller's context ended.
func detached(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
}
