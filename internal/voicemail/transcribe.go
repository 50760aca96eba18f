package voicemail

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/ligne-app/ligne/media"
	"github.com/ligne-app/ligne/selfcare"
)

// Transcriber turns a message into text (speech-to-text engine).
type Transcriber interface {
	// Transcribe returns the words spoken in the WAV file at path.
	Transcribe(ctx context.Context, path string) (string, error)
}

// TranscribeRate is the rate of the WAV given to the command: what
// pocketsphinx's and whisper.cpp's models expect.
const TranscribeRate = 16000

// CommandTranscriber runs a local speech-to-text command on a 16 kHz mono
// copy of the message ({wav} in the command line) and reads the text from
// its standard output.
type CommandTranscriber struct {
	Command string
	// Timeout bounds one run (default: 1 min plus twice the audio length).
	Timeout time.Duration
}

// Transcribe implements Transcriber.
func (t CommandTranscriber) Transcribe(ctx context.Context, path string) (string, error) {
	args, err := splitCommand(t.Command)
	if err != nil || len(args) == 0 {
		return "", selfcare.Errorf(selfcare.CodeCommandInvalid, "transcription.command", t.Command)
	}
	wav, d, err := wideCopy(path)
	if err != nil {
		return "", fmt.Errorf("transcribe %s: %w", path, err)
	}
	defer os.RemoveAll(filepath.Dir(wav))
	timeout := t.Timeout
	if timeout == 0 {
		timeout = time.Minute + 2*d
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	return runCommand(ctx, args, wav)
}

// runCommand runs args with {wav} replaced and returns its output as one
// line of text.
func runCommand(ctx context.Context, args []string, wav string) (string, error) {
	for i := range args {
		args[i] = strings.ReplaceAll(args[i], "{wav}", wav)
	}
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("transcribe with %s: %w (%s)", args[0], err, lastLine(stderr.String()))
	}
	return strings.Join(strings.Fields(out.String()), " "), nil
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

// wideCopy writes the message as 16 kHz mono in a temporary folder.
func wideCopy(path string) (string, time.Duration, error) {
	f, err := media.OpenAudioFile(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	r, err := media.NewResampleReader(f, f.Rate, TranscribeRate)
	if err != nil {
		return "", 0, err
	}
	dir, err := os.MkdirTemp("", "ligne-transcribe-")
	if err != nil {
		return "", 0, err
	}
	out := filepath.Join(dir, "message.wav")
	w, err := media.CreateWAV(out, TranscribeRate, 1)
	if err != nil {
		return "", 0, errors.Join(err, os.RemoveAll(dir))
	}
	n, err := io.Copy(w, r)
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	return out, bytesDuration(n, TranscribeRate), err
}

// transcriber returns the engine to use, or nil when transcription is off.
func (m *Machine) transcriber(ctx context.Context) Transcriber {
	if m.cfg.Transcriber != nil {
		return m.cfg.Transcriber
	}
	sys, err := m.System(ctx)
	if err != nil || !sys.Transcribe.Enabled || sys.Transcribe.Command == "" {
		return nil
	}
	return CommandTranscriber{Command: sys.Transcribe.Command}
}

// transcriptionState is the state a new message starts in.
func (m *Machine) transcriptionState(ctx context.Context) selfcare.TranscriptionState {
	if m.transcriber(ctx) == nil {
		return selfcare.TranscriptionNone
	}
	return selfcare.TranscriptionPending
}

// afterDeposit transcribes a new message in the background, then sends
// its notifications (with the text when there is one). A failed
// transcription leaves the message as it is, marked unavailable.
func (m *Machine) afterDeposit(msg selfcare.VoicemailMessage) {
	if m.cfg.OnDeposit != nil {
		m.cfg.OnDeposit(msg)
	}
	started := m.spawn(func() {
		if msg.TranscriptionState == selfcare.TranscriptionPending {
			msg = m.transcribe(m.ctx, msg)
		}
		m.notifyDeposit(m.ctx, msg)
	})
	if !started && msg.TranscriptionState != selfcare.TranscriptionPending {
		// closing: queue the notifications now (a pending message is
		// transcribed and notified at the next start instead)
		m.notifyDeposit(context.WithoutCancel(m.ctx), msg)
	}
}

// notifyDeposit queues the notifications of a stored message.
func (m *Machine) notifyDeposit(ctx context.Context, msg selfcare.VoicemailMessage) {
	s, err := m.st.VoicemailSettings(context.WithoutCancel(ctx), msg.Line)
	if err != nil {
		m.log.Error("notify: settings", "err", err)
		return
	}
	m.notify(ctx, s, depositNotice(msg))
}

// transcribe runs the engine on one message and saves the outcome.
func (m *Machine) transcribe(ctx context.Context, msg selfcare.VoicemailMessage) selfcare.VoicemailMessage {
	t := m.transcriber(ctx)
	if t == nil {
		msg.TranscriptionState = selfcare.TranscriptionUnavailable
	} else if text, err := t.Transcribe(ctx, m.Path(msg.Path)); err != nil || text == "" {
		m.log.Warn("transcription unavailable", "id", msg.ID, "err", err)
		msg.TranscriptionState = selfcare.TranscriptionUnavailable
	} else {
		msg.TranscriptionState, msg.Transcription = selfcare.TranscriptionDone, text
	}
	if ctx.Err() != nil {
		return msg // stopping: the message stays pending and is resumed at the next start
	}
	if err := m.st.SetTranscription(ctx, msg.ID, msg.TranscriptionState, msg.Transcription); err != nil {
		m.log.Error("save transcription", "id", msg.ID, "err", err)
	}
	m.changed(ctx, msg.Line)
	return msg
}

// resumeTranscriptions restarts the transcriptions a stop interrupted
// (their notifications were not sent yet either).
func (m *Machine) resumeTranscriptions(ctx context.Context) {
	pending, err := m.st.PendingTranscriptions(ctx)
	if err != nil {
		m.log.Warn("pending transcriptions", "err", err)
		return
	}
	for _, msg := range pending {
		m.afterDeposit(msg)
	}
}
