package voicemail

import (
	"context"
	"errors"
	"io"
	"time"

	"github.com/ligne-app/ligne/softphone"
)

// keypad is the caller's keys during one call, from the phone's DTMF
// events.
type keypad struct {
	keys chan rune
	log  interface{ Debug(string, ...any) }
}

// keypad starts following c's digits until the call ends.
func (m *Machine) keypad(ctx context.Context, c *softphone.Call) *keypad {
	kp := &keypad{keys: make(chan rune, 64), log: m.log}
	if m.cfg.Events == nil {
		m.log.Warn("voice menu without phone events: keys are not heard")
		return kp
	}
	events := m.cfg.Events(c.Context())
	go kp.follow(c, events)
	return kp
}

func (kp *keypad) follow(c *softphone.Call, events <-chan softphone.Event) {
	for ev := range events {
		e, ok := ev.(softphone.DTMFEvent)
		if !ok || e.CallID != c.ID() || e.Digit == "" {
			continue
		}
		kp.log.Debug("voice menu key", "digit", e.Digit, "via", e.Via)
		select {
		case kp.keys <- []rune(e.Digit)[0]:
		default: // a caller hammering keys: drop the excess
		}
	}
}

// play plays r, stopping at the first key, which it returns (0 when r
// was played to the end).
func (kp *keypad) play(ctx context.Context, c *softphone.Call, r io.Reader) (rune, error) {
	stop, ended := make(chan struct{}), make(chan struct{})
	var key rune
	done := make(chan struct{})
	go func() {
		defer close(done)
		select {
		case key = <-kp.keys:
			close(stop)
		case <-ended:
		}
	}()
	err := play(ctx, c, r, stop)
	close(ended)
	<-done
	if errors.Is(err, errInterrupted) {
		return key, nil
	}
	if key != 0 { // pressed as the prompt ended
		return key, err
	}
	return 0, err
}

// next waits up to timeout for a key (0 on timeout).
func (kp *keypad) next(ctx context.Context, c *softphone.Call, timeout time.Duration) (rune, error) {
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case k := <-kp.keys:
		return k, nil
	case <-t.C:
		return 0, nil
	case <-c.Done():
		return 0, errCallEnded
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

// collect reads a code ending with # (or max digits, or a pause),
// starting with first when a key already interrupted the prompt.
func (kp *keypad) collect(ctx context.Context, c *softphone.Call, first rune, max int, timeout time.Duration) (string, error) {
	var code []rune
	if first != 0 && first != '#' {
		code = append(code, first)
	}
	for len(code) < max {
		k, err := kp.next(ctx, c, timeout)
		if err != nil {
			return "", err
		}
		if k == 0 || k == '#' {
			break
		}
		code = append(code, k)
	}
	return string(code), nil
}
