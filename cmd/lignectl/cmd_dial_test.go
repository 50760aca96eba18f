package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ligne-app/ligne/internal/peers"
	"github.com/ligne-app/ligne/internal/syncbuf"
	"github.com/ligne-app/ligne/internal/testkeyring"
)

// sipSetup stores alice's account on a Kamailio with a registered baresip bob.
func sipSetup(t *testing.T) (dir string, k *peers.Kamailio, bob *peers.Baresip) {
	t.Helper()
	testkeyring.Start(t)
	users := map[string]string{"alice": "Al1ce-pw", "bob": "B0b-pw"}
	k = peers.StartKamailio(t, peers.KamailioOptions{Users: users, CallAuth: true})
	bob = peers.StartBaresip(t, peers.BaresipOptions{User: "bob", Password: users["bob"], Domain: k.Domain,
		Proxy: k.URI(), AutoAnswer: true, ToneHz: 440})
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	if err := bob.WaitRegistered(ctx); err != nil {
		t.Fatal(err)
	}
	dir = t.TempDir()
	if code, _, errOut := ctl(t, users["alice"]+"\n", "--data", dir, "--lang", "en", "account", "set", "--user", "alice",
		"--domain", k.Domain, "--proxy", k.Addr(), "--password-stdin"); code != 0 {
		t.Fatalf("account set: %s", errOut)
	}
	return dir, k, bob
}

func TestDialPlaysRecordsAndReportsFailures(t *testing.T) {
	dir, _, bob := sipSetup(t)
	play, record := filepath.Join(dir, "play.wav"), filepath.Join(dir, "heard.wav")
	if err := peers.WriteWAV(play, 8000, peers.Sine(8000, 660, 0.3, 3)); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := ctl(t, "", "--data", dir, "--lang", "en", "-v", "dial", "bob", "--play", play, "--record", record,
		"--dtmf", "42", "--hangup-after", "2s")
	if code != 0 || !strings.Contains(out, `"type":"call.answered"`) || !strings.Contains(out, `"type":"call.ended"`) {
		t.Fatalf("dial bob: %d\nstdout %s\nstderr %s", code, out, errOut)
	}
	w, err := peers.ReadWAV(record)
	if err != nil {
		t.Fatal(err)
	}
	if tone := peers.DominantTone(w); tone.Hz < 430 || tone.Hz > 450 || tone.Seconds < 1 {
		t.Fatalf("recorded %+v, want baresip's 440 Hz", tone)
	}
	for _, want := range []string{"4", "2"} {
		ev, err := bob.WaitEvent(t.Context(), "CALL_DTMF_START")
		if err != nil || ev.Param != want {
			t.Fatalf("baresip DTMF %+v %v, want %s", ev, err, want)
		}
	}
	code, _, errOut = ctl(t, "", "--data", dir, "--lang", "en", "dial", "0999999999")
	if code != 1 || !strings.Contains(errOut, "call failed: number not found") || strings.Count(strings.TrimSpace(errOut), "\n") != 0 {
		t.Fatalf("dial unknown: %d %q", code, errOut)
	}
}

func TestRunRegistersAnswersRecordsAndUnregisters(t *testing.T) {
	dir, k, bob := sipSetup(t)
	rec := filepath.Join(dir, "calls")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errOut syncbuf.Buffer
	done := make(chan int, 1)
	go func() {
		done <- Main(ctx, []string{"--data", dir, "--lang", "en", "run", "--listen", "127.0.0.1:0", "--auto-answer", "--record", rec},
			strings.NewReader(""), &out, &errOut)
	}()
	waitOutput(t, &out, `"state":"registered"`)
	if err := bob.Dial(t.Context(), "sip:alice@"+k.Domain); err != nil {
		t.Fatal(err)
	}
	waitOutput(t, &out, `"type":"call.answered"`)
	time.Sleep(1500 * time.Millisecond) // let baresip's tone be recorded
	if err := bob.Hangup(t.Context()); err != nil {
		t.Fatal(err)
	}
	waitOutput(t, &out, `"type":"call.ended"`)
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("run exit %d: %s", code, errOut.String())
	}
	for _, want := range []string{`"type":"call.incoming"`, `"state":"unregistered"`} {
		if !strings.Contains(out.String(), want) {
			t.Fatalf("run output lacks %s:\n%s", want, out.String())
		}
	}
	files, _ := filepath.Glob(filepath.Join(rec, "*.wav"))
	if len(files) != 1 {
		t.Fatalf("recordings %v", files)
	}
	w, err := peers.ReadWAV(files[0])
	if err != nil {
		t.Fatal(err)
	}
	if tone := peers.DominantTone(w); tone.Hz < 430 || tone.Hz > 450 {
		t.Fatalf("recorded %+v, want 440 Hz", tone)
	}
}

func waitOutput(t *testing.T, b *syncbuf.Buffer, want string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(b.String(), want) {
		if time.Now().After(deadline) {
			t.Fatalf("no %s in output:\n%s", want, b.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}
