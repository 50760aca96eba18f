package media

import (
	"testing"
	"time"
)

// TestDTMFSenderFollowsRFC4733 checks the packets of one 100 ms digit: the
// marker on the first, one timestamp for all, growing durations, and the
// end packet sent three times.
func TestDTMFSenderFollowsRFC4733(t *testing.T) {
	var d dtmfSender
	d.enqueue(5, '5', 100*time.Millisecond, 8000)
	var evs []telephoneEvent
	var markers []bool
	for i := range 10 {
		payload, marker, ok := d.next(uint32(1000+160*i), 160)
		if !ok {
			break
		}
		ev, _ := parseTelephoneEvent(payload)
		evs, markers = append(evs, ev), append(markers, marker)
		if d.startTS != 1000 {
			t.Fatalf("event timestamp moved to %d", d.startTS)
		}
	}
	if len(evs) != 7 { // 160, 320, 480, 640, 800 (end) x3
		t.Fatalf("%d packets for a 100 ms digit, want 7", len(evs))
	}
	for i, ev := range evs {
		if ev.code != 5 || markers[i] != (i == 0) || ev.end != (i >= 4) || int(ev.duration) != min(160*(i+1), 800) {
			t.Errorf("packet %d: %+v marker %v", i, ev, markers[i])
		}
	}
	for range dtmfGapFrames {
		if _, _, ok := d.next(0, 160); ok {
			t.Error("no audio pause between digits")
		}
	}
}

// TestDTMFReceiverReportsEachPressOnce feeds retransmitted end packets and a
// press whose end packets were all lost.
func TestDTMFReceiverReportsEachPressOnce(t *testing.T) {
	r := dtmfReceiver{clock: 8000}
	var got []DTMFEvent
	feed := func(ts uint32, code uint8, dur uint16, end bool) {
		got = append(got, r.handle(ts, telephoneEvent{code: code, duration: dur, end: end})...)
	}
	feed(100, 1, 160, false)
	feed(100, 1, 800, true)
	feed(100, 1, 800, true) // retransmissions of the end
	feed(100, 1, 800, true)
	feed(2000, 11, 160, false) // '#', its end packets never arrive
	feed(2000, 11, 480, false)
	feed(4000, 0, 400, true) // the next press flushes '#'
	want := []DTMFEvent{{Digit: '1', Duration: 100 * time.Millisecond}, {Digit: '#', Duration: 60 * time.Millisecond}, {Digit: '0', Duration: 50 * time.Millisecond}}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("event %d = %v, want %v", i, got[i], want[i])
		}
	}
}

func TestDTMFToneFrequencies(t *testing.T) {
	for digit, want := range map[rune][2]float64{'1': {697, 1209}, '5': {770, 1336}, '*': {941, 1209}, '#': {941, 1477}, 'd': {941, 1633}} {
		tn, err := ToneDTMF(digit, time.Second)
		if err != nil {
			t.Fatal(err)
		}
		s := make([]int16, 4000)
		NewToneReader(tn, 8000).ReadSamples(s)
		if toneShare(s, want[0], 8000) < 0.45 || toneShare(s, want[1], 8000) < 0.45 {
			t.Errorf("digit %c: not %v Hz", digit, want)
		}
	}
	if _, err := ToneDTMF('x', time.Second); err == nil {
		t.Error("accepted digit x")
	}
}
