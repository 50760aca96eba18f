package voicemail

import (
	"context"
	"math"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ligne-app/ligne/internal/peers"
	"github.com/ligne-app/ligne/selfcare"
)

const depositSentence = "Hello, this is Bob. Please call me back tomorrow about the new printer."

// toneGreeting uploads a greeting of a pure tone (the caller must hear it)
// and makes it the one in use.
func toneGreeting(t *testing.T, r *rig, hz float64) {
	t.Helper()
	file := filepath.Join(t.TempDir(), "annonce.wav")
	if err := peers.WriteWAV(file, 22050, peers.Sine(22050, hz, 0.3, 3)); err != nil {
		t.Fatal(err)
	}
	if _, err := r.m.ImportGreeting(gctx(t), r.line, "Tonalité", file, true); err != nil {
		t.Fatal(err)
	}
}

// baresipSaying starts baresip sending an espeak-ng sentence after lead
// seconds (aufile wants 48 kHz mono) and returns it with the source.
func baresipSaying(t *testing.T, lead float64) (*peers.Baresip, string) {
	src := speech(t, depositSentence, 48000, lead, 1)
	return peers.StartBaresip(t, peers.BaresipOptions{SourceFile: src}), src
}

// TestDepositFromBaresip: baresip calls Ligne, the engine's forwarding
// policy applies the stored immediate forwarding to voicemail and hands
// the call to Deposit; baresip hears the greeting in use, its words are in the
// stored message, which is listed unread with caller, date and duration.
func TestDepositFromBaresip(t *testing.T) {
	deposited := make(chan selfcare.VoicemailMessage, 1)
	r := startRig(t, t.TempDir(), Config{SilenceTimeout: 4 * time.Second,
		OnDeposit: func(m selfcare.VoicemailMessage) { deposited <- m }})
	toneGreeting(t, r, 660)
	b, src := baresipSaying(t, 5)
	before := time.Now()
	if err := b.Dial(gctx(t), r.uri()); err != nil {
		t.Fatal(err)
	}
	msgs := waitMessages(t, r.db, r.line, 1)
	if _, err := b.WaitEvent(gctx(t), "CALL_CLOSED"); err != nil {
		t.Fatal(err)
	}
	m := msgs[0]
	if m.Read || m.Caller != "bob" || m.Line != selfcare.LineFixed || m.At.Before(before.Add(-time.Second)) || m.Duration < 2*time.Second {
		t.Fatalf("stored message %+v", m)
	}
	t.Logf("message: caller %s at %s, %v, %s", m.Caller, m.At.Format(time.RFC3339), m.Duration, m.Path)
	if ev := <-deposited; ev.ID != m.ID {
		t.Fatalf("OnDeposit heard of %+v, want message %d", ev, m.ID)
	}
	assertGreetingHeard(t, b, 660)
	assertWordsKept(t, src, r.m.Path(m.Path))
}

// assertGreetingHeard checks the tone dominates what baresip received.
func assertGreetingHeard(t *testing.T, b *peers.Baresip, hz float64) {
	t.Helper()
	if err := b.WaitAllClosed(gctx(t)); err != nil {
		t.Fatal(err)
	}
	files := b.Recordings("dec")
	if len(files) == 0 {
		t.Fatal("baresip recorded nothing")
	}
	tone := peers.DominantTone(readPCM(t, files[len(files)-1]))
	if math.Abs(tone.Hz-hz) > 10 || tone.Seconds < 2 {
		t.Fatalf("baresip heard %+v, want the %v Hz greeting", tone, hz)
	}
	t.Logf("baresip heard the greeting: %.0f Hz, %.1f s of sound", tone.Hz, tone.Seconds)
}

// assertWordsKept correlates the sentence baresip sent with the message.
func assertWordsKept(t *testing.T, src, msg string) {
	t.Helper()
	got := readPCM(t, msg)
	ref := trimSilence(resampleTo(readPCM(t, src), got.Rate))
	c := wordsCorrelation(ref, got.Samples, got.Rate)
	other := trimSilence(resampleTo(readPCM(t, speech(t, "Sunny weather is expected over Lyon for the whole weekend.", 48000, 0, 0)), got.Rate))
	control := wordsCorrelation(other, got.Samples, got.Rate)
	t.Logf("correlation of the stored message with the sentence sent: %.2f (with another sentence: %.2f)", c, control)
	if c < 0.6 || control > 0.5 {
		t.Fatalf("the message does not hold the caller's words (correlation %.2f, another sentence %.2f)", c, control)
	}
}

// TestDepositRecordingOff: with message recording off, the greeting plays
// and Ligne hangs up; nothing is stored, a "call without message"
// notification is queued.
func TestDepositRecordingOff(t *testing.T) {
	r := startRig(t, t.TempDir(), Config{})
	r.setSettings(t, func(s *selfcare.VoicemailSettings) {
		s.RecordMessages, s.EmailNotify.CallWithoutMessage = false, true
	})
	saveSystem(t, r, func(s *System) { s.NotifyEmail = "moi@example.com" })
	toneGreeting(t, r, 550)
	b := peers.StartBaresip(t, peers.BaresipOptions{ToneHz: 440})
	if err := b.Dial(gctx(t), r.uri()); err != nil {
		t.Fatal(err)
	}
	if _, err := b.WaitEvent(gctx(t), "CALL_CLOSED"); err != nil {
		t.Fatal(err)
	}
	assertGreetingHeard(t, b, 550)
	assertNoMessage(t, r)
	assertQueued(t, r, KindEmail, EventNoMessage)
}

// TestDepositMailboxFull: the caller hears the "mailbox full" prompt, no
// message is added, and a "mailbox full" notification goes out.
func TestDepositMailboxFull(t *testing.T) {
	r := startRig(t, t.TempDir(), Config{})
	r.setSettings(t, func(s *selfcare.VoicemailSettings) { s.Capacity = 1 })
	saveSystem(t, r, func(s *System) { s.NotifyEmail = "moi@example.com" })
	if _, err := r.db.AddMessage(gctx(t), selfcare.VoicemailMessage{Line: r.line, Caller: "+33102030405",
		At: time.Now(), Duration: time.Second, Path: "voicemail/old.wav"}); err != nil {
		t.Fatal(err)
	}
	b := peers.StartBaresip(t, peers.BaresipOptions{ToneHz: 440})
	if err := b.Dial(gctx(t), r.uri()); err != nil {
		t.Fatal(err)
	}
	if _, err := b.WaitEvent(gctx(t), "CALL_CLOSED"); err != nil {
		t.Fatal(err)
	}
	if err := b.WaitAllClosed(gctx(t)); err != nil {
		t.Fatal(err)
	}
	heard := readPCM(t, b.Recordings("dec")[0])
	full := promptPCM(t, "fr", "full")
	if c := bestCorrelation(trimSilence(full), resampleTo(heard, Rate)); c < 0.5 {
		t.Fatalf("baresip did not hear the mailbox-full prompt (correlation %.2f)", c)
	} else {
		t.Logf("baresip heard the mailbox-full prompt (correlation %.2f)", c)
	}
	if ms, _ := r.db.Messages(gctx(t), r.line); len(ms) != 1 {
		t.Fatalf("%d messages, want only the old one", len(ms))
	}
	assertQueued(t, r, KindEmail, EventMailboxFull)
}

// promptPCM decodes a shipped prompt at Rate.
func promptPCM(t *testing.T, lang, name string) []float64 {
	t.Helper()
	p, err := prompt(lang, name)
	if err != nil {
		t.Fatal(err)
	}
	var out []float64
	buf := make([]byte, 4096)
	for {
		n, err := p.Read(buf)
		for i := 0; i+1 < n; i += 2 {
			out = append(out, float64(int16(uint16(buf[i])|uint16(buf[i+1])<<8))/32768)
		}
		if err != nil {
			return out
		}
	}
}

func assertNoMessage(t *testing.T, r *rig) {
	t.Helper()
	unread, read, err := r.db.MailboxCount(gctx(t), r.line)
	if err != nil || unread+read != 0 {
		t.Fatalf("mailbox %d/%d %v, want empty", unread, read, err)
	}
}

// assertQueued waits for a notification of kind about event in the outbox.
func assertQueued(t *testing.T, r *rig, kind, event string) {
	t.Helper()
	ctx := gctx(t)
	for {
		items, err := r.db.Outbox(ctx, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range items {
			if it.Kind == kind && containsEvent(it.Body, event) {
				return
			}
		}
		select {
		case <-ctx.Done():
			t.Fatalf("no %s notification %q in the outbox: %+v", kind, event, items)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func containsEvent(body, event string) bool {
	return strings.Contains(body, `"event":"`+event+`"`)
}

// saveSystem changes the system settings of the rig.
func saveSystem(t *testing.T, r *rig, f func(*System)) {
	t.Helper()
	s, err := r.m.System(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	f(&s)
	if _, err := SaveSystem(context.Background(), r.db, s); err != nil {
		t.Fatal(err)
	}
}
