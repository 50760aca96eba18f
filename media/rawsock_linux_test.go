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
	buf := make([]byte, 1500)
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
	if gap := at[1].Sub(at[0]); gap < 50*time.Millisecond {
		t.Errorf("arrivals %v apart, sent 60 ms apart: the times are not the kernel's", gap)
	}
	if !at[1].Before(readAt) {
		t.Errorf("second datagram stamped %v, after it was read (%v)", at[1], readAt)
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
