package voicemail

import (
	"fmt"
	"math"
	"path"
	"strings"
	"testing"
	"time"

	"github.com/ligne-app/ligne/internal/peers"
	"github.com/ligne-app/ligne/selfcare"
)

// stepper collects the voice menu's steps for the test to follow.
type stepper chan string

func (s stepper) hook(step string) { s <- step }

// wait returns the next step starting with prefix (earlier ones are
// skipped; only the guard bounds the wait).
func (s stepper) wait(t *testing.T, prefix string) string {
	t.Helper()
	timeout := time.After(guard)
	for {
		select {
		case st := <-s:
			if strings.HasPrefix(st, prefix) {
				return st
			}
		case <-timeout:
			t.Fatalf("the voice menu never reached %q", prefix)
		}
	}
}

// toneMessage stores a message whose audio is a tone of hz.
func toneMessage(t *testing.T, r *rig, hz float64, at time.Time) selfcare.VoicemailMessage {
	t.Helper()
	rel := path.Join(MessagesDir, fmt.Sprintf("tone-%.0f.wav", hz))
	if err := peers.WriteWAV(r.m.Path(rel), Rate, peers.Sine(Rate, hz, 0.3, 2)); err != nil {
		t.Fatal(err)
	}
	m, err := r.db.AddMessage(gctx(t), selfcare.VoicemailMessage{Line: r.line, Caller: "+33102030405", At: at,
		Duration: 2 * time.Second, Path: rel})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestMenuByDTMF drives the voice menu from baresip, which calls the
// company's voicemail number (the engine's policy sends it to Menu): three wrong PINs end
// the call with nothing heard or changed; then the right PIN, the count of
// new messages, the first message heard and deleted with 7, the second
// heard, replayed with 1 and saved with 9.
func TestMenuByDTMF(t *testing.T) {
	steps := make(stepper, 64)
	r := startRig(t, t.TempDir(), Config{steps: steps.hook, DigitTimeout: 20 * time.Second})
	r.setSettings(t, func(s *selfcare.VoicemailSettings) { s.PIN = "4321" })
	if err := mkdirAll(r.m.Path(MessagesDir)); err != nil {
		t.Fatal(err)
	}
	first := toneMessage(t, r, 700, time.Now().Add(-2*time.Hour))
	second := toneMessage(t, r, 1200, time.Now().Add(-time.Hour))
	b := peers.StartBaresip(t, peers.BaresipOptions{ToneHz: 300})

	t.Run("wrong PIN", func(t *testing.T) {
		call(t, b, r)
		steps.wait(t, "pin")
		for i := range pinAttempts {
			if i > 0 {
				steps.wait(t, "wrong-pin")
			}
			send(t, b, "1111#")
		}
		steps.wait(t, "locked")
		if _, err := b.WaitEvent(gctx(t), "CALL_CLOSED"); err != nil {
			t.Fatal(err)
		}
		heard := lastRecording(t, b)
		for _, hz := range []float64{700, 1200} {
			if s := toneSeconds(heard, hz); s > 0.5 {
				t.Fatalf("a wrong PIN let the caller hear a message (%.1f s of %v Hz)", s, hz)
			}
		}
		if unread, _, _ := r.db.MailboxCount(gctx(t), r.line); unread != 2 {
			t.Fatalf("mailbox changed after wrong PINs: %d unread", unread)
		}
	})

	t.Run("listen delete save", func(t *testing.T) {
		b.ForgetEvents()
		call(t, b, r)
		steps.wait(t, "pin")
		send(t, b, "4321#")
		if got := steps.wait(t, "announce"); got != "announce 2" {
			t.Fatalf("announced %q, want 2 new messages", got)
		}
		steps.wait(t, fmt.Sprintf("play %d", first.ID))
		steps.wait(t, "options") // the message was heard to the end
		send(t, b, "7")
		steps.wait(t, fmt.Sprintf("delete %d", first.ID))
		steps.wait(t, fmt.Sprintf("play %d", second.ID))
		steps.wait(t, "options")
		send(t, b, "1")
		steps.wait(t, fmt.Sprintf("play %d", second.ID))
		steps.wait(t, "options")
		send(t, b, "9")
		steps.wait(t, fmt.Sprintf("save %d", second.ID))
		steps.wait(t, "end")
		if _, err := b.WaitEvent(gctx(t), "CALL_CLOSED"); err != nil {
			t.Fatal(err)
		}
		heard := lastRecording(t, b)
		t.Logf("baresip heard %.1f s of the first message and %.1f s of the second", toneSeconds(heard, 700), toneSeconds(heard, 1200))
		if toneSeconds(heard, 700) < 1.5 || toneSeconds(heard, 1200) < 3 {
			t.Fatal("baresip did not hear the first message, and the second twice (replayed with 1)")
		}
		msgs, err := r.db.Messages(gctx(t), r.line)
		if err != nil || len(msgs) != 1 || msgs[0].ID != second.ID || !msgs[0].Read {
			t.Fatalf("after the menu: %+v %v, want only the second message, read", msgs, err)
		}
	})
}

// call has baresip call the menu and waits for the answer.
func call(t *testing.T, b *peers.Baresip, r *rig) {
	t.Helper()
	if err := b.Dial(gctx(t), r.menuURI()); err != nil {
		t.Fatal(err)
	}
	if _, err := b.WaitEvent(gctx(t), "CALL_ESTABLISHED"); err != nil {
		t.Fatal(err)
	}
}

func send(t *testing.T, b *peers.Baresip, digits string) {
	t.Helper()
	if err := b.SendDTMF(gctx(t), digits); err != nil {
		t.Fatal(err)
	}
}

// lastRecording is what baresip heard on its last call.
func lastRecording(t *testing.T, b *peers.Baresip) peers.WAV {
	t.Helper()
	if err := b.WaitAllClosed(gctx(t)); err != nil {
		t.Fatal(err)
	}
	files := b.Recordings("dec")
	if len(files) == 0 {
		t.Fatal("baresip recorded nothing")
	}
	return readPCM(t, files[len(files)-1])
}

// toneSeconds counts the 100 ms windows where hz carries most of the
// energy.
func toneSeconds(w peers.WAV, hz float64) float64 {
	n := w.Rate / 10
	count := 0
	for at := 0; at+n <= len(w.Samples); at += n {
		win := w.Samples[at : at+n]
		e := energy(win)
		if e < 1e-4*float64(n) {
			continue
		}
		if 2*goertzelPower(win, w.Rate, hz)/(e*float64(n)) > 0.6 {
			count++
		}
	}
	return float64(count) / 10
}

func goertzelPower(s []float64, rate int, hz float64) float64 {
	k := 2 * math.Cos(2*math.Pi*hz/float64(rate))
	var s1, s2 float64
	for _, v := range s {
		s1, s2 = v+k*s1-s2, s1
	}
	return s1*s1 + s2*s2 - k*s1*s2
}
