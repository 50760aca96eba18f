package faulttest

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ligne-app/ligne/internal/faultnet"
	"github.com/ligne-app/ligne/softphone"
)

// TestMediaLostForTenSeconds: mid-call, the network loses every audio
// packet both ways for 10 s (the signalling still works). The call must
// survive (no end, the 30 s media timeout is not reached) and each side
// must hear the other's tone again once packets flow.
func TestMediaLostForTenSeconds(t *testing.T) {
	ac, bc, _, alg, aev, bev := relayedCall(t, softphone.Options{}, softphone.Options{})
	aliceHears, bobHears := playAndListen(t, ac, 700), playAndListen(t, bc, 1100)
	until(t, "both hear each other", func() bool { return aliceHears.hears(1100) && bobHears.hears(700) })
	lostFrom := time.Now()
	alg.SetMode(faultnet.Drop)
	until(t, "silence while the packets are lost", func() bool { return !aliceHears.hears(1100) && !bobHears.hears(700) })
	time.Sleep(10*time.Second - time.Since(lostFrom))
	dropped := droppedRTP(alg)
	alg.SetMode(faultnet.Pass)
	back := time.Now()
	until(t, "audio back both ways", func() bool { return aliceHears.hears(1100) && bobHears.hears(700) })
	t.Logf("audio back %v after 10 s of total loss (%d packets dropped)", time.Since(back).Round(10*time.Millisecond), dropped)
	if dropped < 500 {
		t.Fatalf("only %d packets dropped in 10 s: the audio did not go through the relays", dropped)
	}
	for who, ev := range map[string]*events{"alice": aev, "bob": bev} {
		for _, x := range ev.since(lostFrom) {
			if isEnded(x.ev) {
				t.Fatalf("%s's call ended during or after the loss: %+v", who, x.ev)
			}
		}
	}
	if ac.State() != softphone.StateActive || bc.State() != softphone.StateActive {
		t.Fatalf("calls %s / %s after the loss", ac.State(), bc.State())
	}
}

// droppedRTP counts the datagrams the media relays dropped.
func droppedRTP(alg *faultnet.MediaALG) uint64 {
	var n uint64
	for _, r := range alg.Relays() {
		st := r.Stats()
		n += st.Dropped[faultnet.ToServer] + st.Dropped[faultnet.ToClient]
	}
	return n
}

// TestPeerVanishes: mid-call, bob disappears from the network (signalling
// and audio cut, no BYE will ever arrive). Alice's call must end on its
// own through the media timeout, with the no_media reason and a message,
// at once for the user: her BYE, which nobody answers, is still being
// retransmitted after the call ended (it used to end only when that BYE
// timed out, 32 s later). The test shortens alice's media timeout to 5 s
// (30 s by default); bob keeps the default, so his own timeout cannot end
// the call first.
func TestPeerVanishes(t *testing.T) {
	short := softphone.Options{MediaTimeout: 5 * time.Second}
	ac, bc, sip, alg, aev, _ := relayedCall(t, short, softphone.Options{})
	aliceHears, _ := playAndListen(t, ac, 700), playAndListen(t, bc, 1100)
	until(t, "alice hears bob", func() bool { return aliceHears.hears(1100) })
	byes := &stamps{}
	sip.SetWatch(func(dir faultnet.Direction, b []byte, _ bool) {
		if dir == faultnet.ToServer && strings.HasPrefix(string(b), "BYE ") {
			byes.add(time.Now())
		}
	})
	cut := time.Now()
	sip.SetMode(faultnet.Cut)
	alg.SetMode(faultnet.Cut)
	end := aev.wait(t, cut, "alice's call end", isEnded)
	e := end.ev.(softphone.CallEndedEvent)
	if e.Reason != softphone.EndNoMedia || !strings.Contains(e.Message, "no audio") {
		t.Fatalf("alice's call ended %+v, want no_media with a message", e)
	}
	t.Logf("call ended %v after the peer vanished (media timeout 5 s): %s", end.at.Sub(cut).Round(100*time.Millisecond), e.Message)
	until(t, "alice's BYE retransmitted after her call ended", func() bool { return byes.after(end.at) > 0 })
}

// stamps is a goroutine-safe list of times.
type stamps struct {
	mu sync.Mutex
	ts []time.Time
}

func (s *stamps) add(t time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ts = append(s.ts, t)
}

// after counts the times after t0.
func (s *stamps) after(t0 time.Time) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, t := range s.ts {
		if t.After(t0) {
			n++
		}
	}
	return n
}
