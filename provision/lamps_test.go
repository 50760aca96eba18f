package provision_test

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/ligne-app/ligne/provision"
	"github.com/ligne-app/ligne/selfcare"
)

// slowLamps is a desk phone that takes its time to answer.
type slowLamps struct {
	mu   sync.Mutex
	sent map[selfcare.LineKind][]int
	gate chan struct{}
}

func (s *slowLamps) MessageWaiting(ctx context.Context, line selfcare.LineKind, n, _ int) error {
	<-s.gate
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sent[line] = append(s.sent[line], n)
	return nil
}

func (s *slowLamps) last(line selfcare.LineKind) (int, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	l := s.sent[line]
	if len(l) == 0 {
		return -1, 0
	}
	return l[len(l)-1], len(l)
}

// TestLampsShowTheLatestCount: while a phone is slow to answer, counts
// pile up; each line's lamp ends on its latest count, never an older one,
// and the counts in between are not all replayed.
func TestLampsShowTheLatestCount(t *testing.T) {
	phone := &slowLamps{sent: map[selfcare.LineKind][]int{}, gate: make(chan struct{})}
	p := provision.NewLampPusher(t.Context(), phone, slog.New(slog.NewTextHandler(io.Discard, nil)))
	p.Set(selfcare.LineFixed, 1, 0)
	time.Sleep(50 * time.Millisecond) // the first round is now waiting on the phone
	for n := 2; n <= 9; n++ {
		p.Set(selfcare.LineFixed, n, 0)
	}
	p.Set(selfcare.LineMobile, 4, 0)
	close(phone.gate)
	deadline := time.Now().Add(10 * time.Second)
	for {
		fixed, rounds := phone.last(selfcare.LineFixed)
		mobile, _ := phone.last(selfcare.LineMobile)
		if fixed == 9 && mobile == 4 {
			if rounds > 2 {
				t.Fatalf("the fixed line's lamp was sent %d times, want the first and the latest", rounds)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("lamps: %v, want fixed 9 and mobile 4", phone.sent)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
