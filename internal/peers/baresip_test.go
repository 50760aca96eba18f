package peers

import (
	"context"
	"math"
	"testing"
	"time"
)

// TestBaresipToBaresipCarriesTones proves the helper: two baresip talk
// directly and each records the other's tone.
func TestBaresipToBaresipCarriesTones(t *testing.T) {
	callee := StartBaresip(t, BaresipOptions{User: "bob", AutoAnswer: true, ToneHz: 440})
	caller := StartBaresip(t, BaresipOptions{User: "carol", ToneHz: 880})
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	if err := caller.Dial(ctx, callee.URI()); err != nil {
		t.Fatal(err)
	}
	if _, err := caller.WaitEvent(ctx, "CALL_ESTABLISHED"); err != nil {
		t.Logf("caller events %+v callee events %+v\nCALLEE LOG %s", caller.Events(), callee.Events(), callee.Log())
		t.Fatal(err)
	}
	time.Sleep(2 * time.Second) // let two seconds of audio flow
	if err := caller.Hangup(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := callee.WaitEvent(ctx, "CALL_CLOSED"); err != nil {
		t.Fatal(err)
	}
	assertRecordedTone(t, callee, 880)
	assertRecordedTone(t, caller, 440)
}

func assertRecordedTone(t *testing.T, b *Baresip, hz float64) {
	t.Helper()
	files := b.Recordings("dec")
	if len(files) == 0 {
		t.Fatalf("baresip %s recorded nothing in %s", b.opts.User, b.RecordDir)
	}
	w, err := ReadWAV(files[0])
	if err != nil {
		t.Fatal(err)
	}
	tone := DominantTone(w)
	if math.Abs(tone.Hz-hz) > 10 || tone.Seconds < 1 {
		t.Fatalf("baresip %s heard %+v, want %v Hz for at least 1 s", b.opts.User, tone, hz)
	}
}
