package voicemail

import (
	"context"
	"errors"
	"os"
	"path"
	"path/filepath"
	"time"

	"github.com/ligne-app/ligne/media"
	"github.com/ligne-app/ligne/selfcare"
	"github.com/ligne-app/ligne/softphone"
)

// Deposit owns an answered call until it returns: greeting, beep, the
// caller's message recorded to voicemail/ and stored unread. With message
// recording off the greeting plays and the call ends; with the mailbox
// full the caller hears so and a "mailbox full" notification goes out.
func (m *Machine) Deposit(ctx context.Context, c *softphone.Call, line selfcare.LineKind) {
	if m.cfg.MarkVoicemail != nil {
		m.cfg.MarkVoicemail(c.ID())
	}
	defer m.hangup(ctx, c)
	if !m.track() {
		return // Ligne is stopping
	}
	defer m.wg.Done()
	settings, err := m.st.VoicemailSettings(ctx, line)
	if err != nil {
		m.log.Error("deposit: settings", "err", err)
		return
	}
	sys, _ := m.System(ctx)
	caller := callerOf(c)
	if m.full(ctx, settings) {
		m.refuseFull(ctx, c, settings, sys, caller)
		return
	}
	if !m.playGreeting(ctx, c, line, sys.Language) || !settings.RecordMessages {
		m.notify(ctx, settings, noticeFor(EventNoMessage, caller, m.now()))
		return
	}
	if err := play(ctx, c, beepTone(), nil); err != nil {
		m.notify(ctx, settings, noticeFor(EventNoMessage, caller, m.now()))
		return
	}
	m.record(ctx, c, settings, caller)
}

// caller is who left a message.
type caller struct{ number, name string }

func callerOf(c *softphone.Call) caller {
	p := c.Remote()
	n := p.User
	if v, _, err := selfcare.NormalizeNumber("", p.User); err == nil {
		n = v
	} else if n == "" {
		n = p.URI
	}
	return caller{number: n, name: p.DisplayName}
}

// full reports whether the mailbox holds its capacity.
func (m *Machine) full(ctx context.Context, s selfcare.VoicemailSettings) bool {
	c, err := m.Count(ctx, s.Line)
	return err == nil && c.Total() >= s.Capacity
}

// refuseFull tells the caller the mailbox is full and notifies the owner.
func (m *Machine) refuseFull(ctx context.Context, c *softphone.Call, s selfcare.VoicemailSettings, sys System, who caller) {
	m.log.Info("mailbox full", "line", s.Line, "caller", who.number)
	m.notify(ctx, s, noticeFor(EventMailboxFull, who, m.now()))
	if r, err := prompt(sys.Language, "full"); err == nil {
		_ = play(ctx, c, r, nil)
	}
}

// playGreeting plays the greeting in use; false when the caller hung up.
func (m *Machine) playGreeting(ctx context.Context, c *softphone.Call, line selfcare.LineKind, lang string) bool {
	g, err := m.GreetingAudio(ctx, line, lang)
	if err != nil {
		m.log.Error("greeting", "err", err)
		return true
	}
	defer g.Close()
	return play(ctx, c, g, nil) == nil
}

// record records the caller until hang-up, the maximum length or a long
// silence, then stores the message (or drops a silent one).
func (m *Machine) record(ctx context.Context, c *softphone.Call, s selfcare.VoicemailSettings, who caller) {
	rate := recordRate(c)
	msg, sink, err := m.beginMessage(ctx, s.Line, who, rate)
	if err != nil {
		m.log.Error("deposit: begin message", "err", err)
		return
	}
	sess := c.Media()
	if sess == nil {
		m.abandon(ctx, msg, sink)
		return
	}
	sess.SetSink(sink, rate)
	cause := m.waitMessage(ctx, c, sink)
	sess.SetSink(nil, rate)
	m.log.Info("message recorded", "id", msg.ID, "cause", cause)
	m.finishMessage(ctx, s, msg, sink)
}

// beginMessage creates the WAV file and the (partial) row.
func (m *Machine) beginMessage(ctx context.Context, line selfcare.LineKind, who caller, rate int) (selfcare.VoicemailMessage, *messageSink, error) {
	at := m.now()
	rel := path.Join(MessagesDir, at.UTC().Format("20060102-150405")+"-"+randomName()+".wav")
	if err := os.MkdirAll(filepath.Dir(m.Path(rel)), 0o700); err != nil {
		return selfcare.VoicemailMessage{}, nil, err
	}
	w, err := createSafeWAV(m.Path(rel), rate)
	if err != nil {
		return selfcare.VoicemailMessage{}, nil, err
	}
	s, _ := m.st.VoicemailSettings(ctx, line)
	msg, err := m.st.BeginMessage(ctx, selfcare.VoicemailMessage{Line: line, Caller: who.number,
		CallerName: who.name, At: at, Path: rel})
	if err != nil {
		_ = w.Close()
		_ = os.Remove(m.Path(rel))
		return msg, nil, err
	}
	return msg, newMessageSink(w, rate, s.MaxMessage, m.cfg.SilenceTimeout), nil
}

// recordRate is the rate messages are recorded at: the codec's own (16 kHz
// for G.722, whose wideband audio transcribes far better), 8 kHz otherwise.
func recordRate(c *softphone.Call) int {
	if c.Codec() == media.CodecG722.Name {
		return media.CodecG722.SampleRate
	}
	return Rate
}

// waitMessage waits for the end of the message and says why it ended.
func (m *Machine) waitMessage(ctx context.Context, c *softphone.Call, sink *messageSink) endCause {
	select {
	case <-sink.done:
		return sink.stop(endStopped)
	case <-c.Done():
		return sink.stop(endHangup)
	case <-ctx.Done():
		return sink.stop(endStopped)
	case <-m.ctx.Done():
		return sink.stop(endStopped)
	}
}

// finishMessage closes the file and lists the message, or drops it when
// the caller said nothing.
func (m *Machine) finishMessage(ctx context.Context, s selfcare.VoicemailSettings, msg selfcare.VoicemailMessage, sink *messageSink) {
	ctx = context.WithoutCancel(ctx)
	if sink.voicedDuration() < 300*time.Millisecond {
		m.abandon(ctx, msg, sink)
		m.notify(ctx, s, noticeFor(EventNoMessage, caller{msg.Caller, msg.CallerName}, msg.At))
		return
	}
	if err := sink.w.Truncate(sink.keepUntil()); err != nil {
		m.log.Warn("trim message", "err", err)
	}
	if err := sink.w.Close(); err != nil {
		m.log.Error("close message", "err", err)
	}
	msg.Duration = sink.w.Duration()
	msg.TranscriptionState = m.transcriptionState(ctx)
	if err := m.st.FinishMessage(ctx, msg.ID, msg.Duration, msg.TranscriptionState); err != nil {
		m.log.Error("store message", "err", err)
		return
	}
	m.changed(ctx, msg.Line)
	m.afterDeposit(msg)
}

// abandon removes a message that holds nothing.
func (m *Machine) abandon(ctx context.Context, msg selfcare.VoicemailMessage, sink *messageSink) {
	_ = sink.w.Close()
	if err := m.st.DropMessage(context.WithoutCancel(ctx), msg.ID); err != nil {
		m.log.Warn("drop empty message", "err", err)
	}
	if err := os.Remove(m.Path(msg.Path)); err != nil && !errors.Is(err, os.ErrNotExist) {
		m.log.Warn("remove empty message", "err", err)
	}
}

// hangup ends the call if the caller has not.
func (m *Machine) hangup(ctx context.Context, c *softphone.Call) {
	select {
	case <-c.Done():
		return
	default:
	}
	hctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := c.Hangup(hctx); err != nil {
		m.log.Debug("voicemail hang-up", "err", err)
	}
}
