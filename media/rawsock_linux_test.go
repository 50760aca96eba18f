package media

import (
	"net"
	"testing"
	"time"
)

// TestTickSocketGivesArrivalTimes: datagrams read at the session's tick
// carry the time the kernel received them, not the time they were read
// (the jitter estimate depends on it), and a closed socket says so.
func TestTickSocketGivesArrivalTimes(t *testing.T) {
	c, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	ts := newTickSocket(c)
	if ts == nil {
		t.Fatal("no tick socket on Linux")
	}
	peer, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer peer.Close()
	to := ts.LocalAddr().(*net.UDPAddr)
	buf := make([]byte, 1500)
	// the kernel turns receive timestamps on for the whole system a moment
	// after the first socket asks (a deferred static key): a datagram
	// arriving before that is stamped when read. Warm up first.
	for deadline := time.Now().Add(5 * time.Second); ; {
		if _, err := peer.WriteToUDP([]byte("warm-up"), to); err != nil {
			t.Fatal(err)
		}
		time.Sleep(20 * time.Millisecond)
		var early time.Duration
		if err := ts.Drain(buf, func(_ int, _ *net.UDPAddr, when time.Time) { early = time.Since(when) }); err != nil {
			t.Fatal(err)
		}
		if early > 10*time.Millisecond || time.Now().After(deadline) {
			break // stamped on arrival, 20 ms before it was read
		}
	}
	// kernel times are the wall clock, which this machine sometimes steps:
	// a round during which it was stepped proves nothing and is run again
	for round := 0; ; round++ {
		start := time.Now()
		if _, err := peer.WriteToUDP([]byte("first"), to); err != nil {
			t.Fatal(err)
		}
		time.Sleep(60 * time.Millisecond)
		if _, err := peer.WriteToUDP([]byte("second"), to); err != nil {
			t.Fatal(err)
		}
		time.Sleep(20 * time.Millisecond)
		readAt := time.Now()
		var got []string
		var at []time.Time
		if err := ts.Drain(buf, func(n int, from *net.UDPAddr, when time.Time) {
			if from.Port != peer.LocalAddr().(*net.UDPAddr).Port {
				t.Errorf("sender %v, want %v", from, peer.LocalAddr())
			}
			got, at = append(got, string(buf[:n])), append(at, when)
		}); err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0] != "first" || got[1] != "second" {
			t.Fatalf("drained %q", got)
		}
		if stepped := readAt.Round(0).Sub(start.Round(0)) - readAt.Sub(start); (stepped > time.Millisecond || stepped < -time.Millisecond) && round < 5 {
			t.Logf("the wall clock was stepped by %v during round %d: again", stepped, round)
			continue
		}
		if gap := at[1].Sub(at[0]); gap < 50*time.Millisecond {
			t.Errorf("arrivals %v apart, sent 60 ms apart: the times are not the kernel's", gap)
		}
		if !at[1].Before(readAt) {
			t.Errorf("second datagram stamped %v, after it was read (%v)", at[1], readAt)
		}
		break
	}
	if _, err := ts.WriteToUDP([]byte("back"), peer.LocalAddr().(*net.UDPAddr)); err != nil {
		t.Fatal(err)
	}
	peer.SetReadDeadline(time.Now().Add(5 * time.Second))
	if n, _, err := peer.ReadFromUDP(buf); err != nil || string(buf[:n]) != "back" {
		t.Fatalf("reply: %q %v", buf[:n], err)
	}
	ts.Close()
	if err := ts.Drain(buf, func(int, *net.UDPAddr, time.Time) {}); err != net.ErrClosed {
		t.Fatalf("drain after close: %v, want net.ErrClosed", err)
	}
}
