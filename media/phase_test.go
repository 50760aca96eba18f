package media

import (
	"testing"
	"time"
)

func TestPhaseTrackerMovesTheClock(t *testing.T) {
	var tr phaseTracker
	for i := range phaseWindow - 1 {
		if adv := tr.observe(time.Duration(10+i%3) * time.Millisecond); adv != 0 {
			t.Fatalf("moved after %d ticks", i+1)
		}
	}
	if adv := tr.observe(12 * time.Millisecond); adv != 9*time.Millisecond {
		t.Errorf("frames due 10 ms early for half a second: advance %s, want 9ms", adv)
	}
	if adv := tr.observe(-3 * time.Millisecond); adv != -4*time.Millisecond {
		t.Errorf("a frame 3 ms early: advance %s, want -4ms (tick later)", adv)
	}
	for range phaseWindow {
		if adv := tr.observe(1500 * time.Microsecond); adv != 0 {
			t.Errorf("moved for a 1.5 ms slack: %s", adv)
		}
	}
	tr.observe(notPlaying)
	if tr.n != 0 {
		t.Error("not playing did not restart the window")
	}
}
