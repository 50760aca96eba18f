package voicemail

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/ligne-app/ligne/media"
	"github.com/ligne-app/ligne/selfcare"
	"github.com/ligne-app/ligne/softphone"
)

// pinAttempts is how many wrong codes end the call.
const pinAttempts = 3

// Menu owns an answered call to the voicemail access number: the PIN
// (unless direct access applies), the number of new messages, then each
// message, new ones first: 1 replays, 7 deletes, 9 saves (marks it read),
// # moves to the next (leaving it as it was). A key pressed during a
// prompt or a message acts at once.
func (m *Machine) Menu(ctx context.Context, c *softphone.Call, line selfcare.LineKind) {
	if m.cfg.MarkVoicemail != nil {
		m.cfg.MarkVoicemail(c.ID())
	}
	defer m.hangup(ctx, c)
	if !m.track() {
		return // Ligne is stopping
	}
	defer m.wg.Done()
	kp := m.keypad(ctx, c)
	settings, err := m.st.VoicemailSettings(ctx, line)
	if err != nil {
		m.log.Error("menu: settings", "err", err)
		return
	}
	sys, _ := m.System(ctx)
	s := &menuSession{m: m, c: c, kp: kp, lang: sys.Language, line: line}
	if err := s.run(ctx, settings); err != nil && !errors.Is(err, errCallEnded) {
		m.log.Warn("voice menu", "err", err)
	}
}

// menuSession is one call's walk through the voice menu.
type menuSession struct {
	m    *Machine
	c    *softphone.Call
	kp   *keypad
	lang string
	line selfcare.LineKind
}

func (s *menuSession) run(ctx context.Context, settings selfcare.VoicemailSettings) error {
	ok, err := s.authenticate(ctx, settings)
	if err != nil || !ok {
		return err
	}
	msgs, err := s.m.st.Messages(ctx, s.line)
	if err != nil {
		return err
	}
	msgs = listenOrder(msgs)
	if err := s.announce(ctx, countNew(msgs)); err != nil {
		return err
	}
	for i, msg := range msgs {
		if i > 0 {
			if _, err := s.say(ctx, "next_message"); err != nil {
				return err
			}
		}
		if err := s.review(ctx, msg); err != nil {
			return err
		}
	}
	s.m.step("end")
	_, err = s.say(ctx, "end", "goodbye")
	return err
}

// listenOrder puts new messages first, each group oldest first.
func listenOrder(msgs []selfcare.VoicemailMessage) []selfcare.VoicemailMessage {
	out := slices.Clone(msgs)
	slices.SortStableFunc(out, func(a, b selfcare.VoicemailMessage) int {
		if a.Read != b.Read {
			if !a.Read {
				return -1
			}
			return 1
		}
		return a.At.Compare(b.At)
	})
	return out
}

func countNew(msgs []selfcare.VoicemailMessage) int {
	n := 0
	for _, m := range msgs {
		if !m.Read {
			n++
		}
	}
	return n
}

// needsPIN applies "accès direct" and "toujours demander le code".
func needsPIN(s selfcare.VoicemailSettings, from string) bool {
	if s.PIN == "" {
		return false
	}
	if s.AlwaysAskPIN || !s.DirectAccess {
		return true
	}
	return from == "" || from != s.AccessNumber
}

// authenticate asks for the PIN when needed; false after too many wrong
// codes (the caller heard goodbye).
func (s *menuSession) authenticate(ctx context.Context, settings selfcare.VoicemailSettings) (bool, error) {
	if !needsPIN(settings, callerOf(s.c).number) {
		_, err := s.say(ctx, "welcome")
		return err == nil, err
	}
	s.m.step("pin")
	first, err := s.say(ctx, "welcome", "pin")
	for attempt := 1; err == nil; attempt++ {
		var code string
		if code, err = s.kp.collect(ctx, s.c, first, 8, s.m.cfg.DigitTimeout); err != nil {
			return false, err
		}
		if code == settings.PIN {
			return true, nil
		}
		s.m.log.Info("voice menu: wrong PIN", "attempt", attempt)
		s.m.step("wrong-pin %d", attempt)
		if attempt == pinAttempts {
			s.m.step("locked")
			_, err = s.say(ctx, "wrong_pin", "goodbye")
			return false, err
		}
		first, err = s.say(ctx, "wrong_pin", "pin")
	}
	return false, err
}

// announce says how many new messages there are.
func (s *menuSession) announce(ctx context.Context, n int) error {
	s.m.step("announce %d", n)
	var err error
	switch {
	case n == 0:
		_, err = s.say(ctx, "no_new")
	case n == 1:
		_, err = s.say(ctx, "you_have", "n1", "new_one")
	case n > 99:
		_, err = s.say(ctx, "you_have", "over_99", "new_many")
	default:
		_, err = s.say(ctx, "you_have", fmt.Sprintf("n%d", n), "new_many")
	}
	return err
}

// review plays one message and applies the caller's choice.
func (s *menuSession) review(ctx context.Context, msg selfcare.VoicemailMessage) error {
	for {
		s.m.step("play %d", msg.ID)
		d, err := s.playMessage(ctx, msg)
		if err != nil {
			return err
		}
		if d == 0 {
			if d, err = s.askOption(ctx); err != nil {
				return err
			}
		}
		switch d {
		case '1':
			continue
		case '7':
			s.m.step("delete %d", msg.ID)
			return s.act(ctx, s.m.Delete(ctx, msg.ID), "deleted")
		case '9':
			s.m.step("save %d", msg.ID)
			return s.act(ctx, s.m.MarkRead(ctx, msg.ID, true), "saved")
		}
		s.m.step("next %d", msg.ID)
		return nil
	}
}

// act reports a change to the caller (or logs why it failed).
func (s *menuSession) act(ctx context.Context, err error, done string) error {
	if err != nil {
		s.m.log.Error("voice menu", "err", err)
		return nil
	}
	_, err = s.say(ctx, done)
	return err
}

// askOption plays the options and waits for 1, 7, 9 or #; silence twice
// means #.
func (s *menuSession) askOption(ctx context.Context) (rune, error) {
	for range 2 {
		s.m.step("options")
		d, err := s.say(ctx, "options")
		if err != nil {
			return 0, err
		}
		if d == 0 {
			d, err = s.kp.next(ctx, s.c, s.m.cfg.DigitTimeout)
			if err != nil {
				return 0, err
			}
		}
		if d == '1' || d == '7' || d == '9' || d == '#' {
			return d, nil
		}
	}
	return '#', nil
}

// playMessage plays a message's audio; a key stops it and is returned.
func (s *menuSession) playMessage(ctx context.Context, msg selfcare.VoicemailMessage) (rune, error) {
	p, err := media.NewFilePlayer(s.m.Path(msg.Path), Rate, false)
	if err != nil {
		s.m.log.Error("voice menu: message audio", "id", msg.ID, "err", err)
		return 0, nil
	}
	defer p.Close()
	return s.kp.play(ctx, s.c, p)
}

// say plays prompts; a key stops them and is returned.
func (s *menuSession) say(ctx context.Context, names ...string) (rune, error) {
	r, err := prompts(s.lang, names...)
	if err != nil {
		return 0, err
	}
	return s.kp.play(ctx, s.c, io.MultiReader(r, silence(150*time.Millisecond)))
}
