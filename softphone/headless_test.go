package softphone

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ligne-app/ligne/internal/peers"
)

func directAccount() Account {
	return Account{User: "alice", Domain: peers.Loopback, NoRegister: true}
}

// TestHeadlessDialPlaysRecordsAndSendsDigits is lignectl dial's engine:
// a file is played to baresip, baresip's tone is recorded, a digit sent.
func TestHeadlessDialPlaysRecordsAndSendsDigits(t *testing.T) {
	b := peers.StartBaresip(t, peers.BaresipOptions{AutoAnswer: true, ToneHz: 440})
	p, _ := testPhone(t, directAccount(), Options{})
	dir := t.TempDir()
	play, record := filepath.Join(dir, "play.wav"), filepath.Join(dir, "out", "heard.wav")
	if err := peers.WriteWAV(play, 8000, peers.Sine(8000, 660, 0.3, 3)); err != nil {
		t.Fatal(err)
	}
	var out syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	streamed := make(chan error, 1)
	go func() { streamed <- StreamEvents(ctx, p, &out) }()
	e, err := p.RunDial(bctx(t), DialScript{Target: b.URI(), Play: play, Record: record, DTMF: "5",
		DTMFDelay: 200 * time.Millisecond, HangupAfter: 2 * time.Second})
	if err != nil || e.Reason != EndLocalHangup {
		t.Fatalf("dial ended %+v, %v", e, err)
	}
	ev, err := b.WaitEvent(bctx(t), "CALL_DTMF_START")
	if err != nil || ev.Param != "5" {
		t.Fatalf("baresip DTMF %+v %v", ev, err)
	}
	w, err := peers.ReadWAV(record)
	if err != nil {
		t.Fatal(err)
	}
	assertHears(t, "recording", w, 440)
	assertBaresipHeard(t, b, 660)
	cancel()
	<-streamed
	assertJSONLines(t, out.String(), "call.progress", "call.answered", "call.ended")
}

// TestHeadlessAutoAnswerRecordsEachCall is lignectl run --auto-answer
// --play --record.
func TestHeadlessAutoAnswerRecordsEachCall(t *testing.T) {
	dir := t.TempDir()
	play := filepath.Join(dir, "greeting.wav")
	if err := peers.WriteWAV(play, 8000, peers.Sine(8000, 550, 0.3, 4)); err != nil {
		t.Fatal(err)
	}
	p, rec := testPhone(t, directAccount(), Options{Incoming: AnswerWithFiles(play, dir)})
	b := peers.StartBaresip(t, peers.BaresipOptions{ToneHz: 440})
	if err := b.Dial(bctx(t), "sip:alice@"+hostPortString(p.tp.currentContact())); err != nil {
		t.Fatal(err)
	}
	ans := rec.next(func(ev Event) bool { _, ok := ev.(CallAnsweredEvent); return ok }).(CallAnsweredEvent)
	listen(2 * time.Second)
	if err := b.Hangup(bctx(t)); err != nil {
		t.Fatal(err)
	}
	waitEnded(t, ans.Call)
	w, err := peers.ReadWAV(filepath.Join(dir, safeName(ans.CallID)+".wav"))
	if err != nil {
		t.Fatal(err)
	}
	assertHears(t, "recording", w, 440)
	assertBaresipHeard(t, b, 550)
}

func assertJSONLines(t *testing.T, out string, types ...string) {
	t.Helper()
	seen := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("not JSON: %q", line)
		}
		seen[m["type"].(string)] = true
	}
	for _, typ := range types {
		if !seen[typ] {
			t.Fatalf("no %s event in:\n%s", typ, out)
		}
	}
}
