package faultnet

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net"
	"os"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// guard bounds every wait of these tests (a failure guard, not a speed
// assertion).
const guard = 10 * time.Second

// udpEcho answers every datagram with "echo:" + the datagram.
func udpEcho(t *testing.T) *net.UDPConn {
	t.Helper()
	c, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		buf := make([]byte, 2048)
		for {
			n, from, err := c.ReadFromUDP(buf)
			if err != nil {
				return
			}
			_, _ = c.WriteToUDP(append([]byte("echo:"), buf[:n]...), from)
		}
	}()
	t.Cleanup(func() { c.Close() })
	return c
}

func udpRelay(t *testing.T, target string) *UDP {
	t.Helper()
	r, err := ListenUDP(target)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

func dialUDP(t *testing.T, to *net.UDPAddr) *net.UDPConn {
	t.Helper()
	c, err := net.DialUDP("udp", nil, to)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// roundTrip sends msg and returns the answer, or "" when none came within wait.
func roundTrip(t *testing.T, c *net.UDPConn, msg string, wait time.Duration) string {
	t.Helper()
	if _, err := c.Write([]byte(msg)); err != nil {
		t.Fatal(err)
	}
	_ = c.SetReadDeadline(time.Now().Add(wait))
	buf := make([]byte, 2048)
	n, err := c.Read(buf)
	if err != nil {
		return ""
	}
	return string(buf[:n])
}

func TestUDPRelayPassesDropsAndRestores(t *testing.T) {
	echo := udpEcho(t)
	r := udpRelay(t, echo.LocalAddr().String())
	c := dialUDP(t, r.Addr())
	if got := roundTrip(t, c, "one", guard); got != "echo:one" {
		t.Fatalf("through the relay: %q", got)
	}
	r.SetMode(Drop)
	if got := roundTrip(t, c, "two", 300*time.Millisecond); got != "" {
		t.Fatalf("a dropping relay let %q through", got)
	}
	r.SetMode(Pass)
	if got := roundTrip(t, c, "three", guard); got != "echo:three" {
		t.Fatalf("after restore: %q", got)
	}
	st := r.Stats()
	if st.Forwarded[ToServer] != 2 || st.Forwarded[ToClient] != 2 || st.Dropped[ToServer] != 1 {
		t.Fatalf("stats %+v, want 2 forwarded each way and 1 dropped", st)
	}
}

func TestUDPRelayDelaysInOrder(t *testing.T) {
	echo := udpEcho(t)
	r := udpRelay(t, echo.LocalAddr().String())
	r.SetDelay(150 * time.Millisecond)
	c := dialUDP(t, r.Addr())
	for _, m := range []string{"a", "b", "c"} {
		if _, err := c.Write([]byte(m)); err != nil {
			t.Fatal(err)
		}
	}
	// Nothing may come back before the delay has run on both legs.
	_ = c.SetReadDeadline(time.Now().Add(250 * time.Millisecond))
	buf := make([]byte, 64)
	if n, err := c.Read(buf); err == nil {
		t.Fatalf("%q came back before the delay of both legs", buf[:n])
	}
	for _, want := range []string{"echo:a", "echo:b", "echo:c"} {
		_ = c.SetReadDeadline(time.Now().Add(guard))
		n, err := c.Read(buf)
		if err != nil || string(buf[:n]) != want {
			t.Fatalf("got %q (%v), want %q", buf[:n], err, want)
		}
	}
}

func TestUDPRelayCutForgetsBindings(t *testing.T) {
	echo := udpEcho(t)
	var sources []string
	seen := make(chan string, 8)
	r := udpRelay(t, echo.LocalAddr().String())
	r.SetTap(func(dir Direction, b []byte) []byte {
		if dir == ToClient {
			seen <- string(b)
		}
		return b
	})
	c := dialUDP(t, r.Addr())
	for i, msg := range []string{"before", "after"} {
		if got := roundTrip(t, c, msg, guard); got != "echo:"+msg {
			t.Fatalf("%s: %q", msg, got)
		}
		<-seen
		r.mu.Lock()
		for _, p := range r.peers {
			sources = append(sources, p.up.LocalAddr().String())
		}
		r.mu.Unlock()
		if i == 0 {
			r.SetMode(Cut)
			r.SetMode(Pass)
		}
	}
	if len(sources) != 2 || sources[0] == sources[1] {
		t.Fatalf("the target saw sources %v: a cut must lose the old binding", sources)
	}
}

func TestUDPTapRewritesAndDrops(t *testing.T) {
	echo := udpEcho(t)
	r := udpRelay(t, echo.LocalAddr().String())
	r.SetTap(func(dir Direction, b []byte) []byte {
		if bytes.Equal(b, []byte("secret")) {
			return nil
		}
		return bytes.ToUpper(b)
	})
	c := dialUDP(t, r.Addr())
	if got := roundTrip(t, c, "hello", guard); got != "ECHO:HELLO" {
		t.Fatalf("rewritten both ways: %q", got)
	}
	if got := roundTrip(t, c, "secret", 300*time.Millisecond); got != "" {
		t.Fatalf("the tap dropped it but %q came back", got)
	}
}

// tcpEcho echoes every line it receives.
func tcpEcho(t *testing.T) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() { defer c.Close(); _, _ = io.Copy(c, c) }()
		}
	}()
	t.Cleanup(func() { ln.Close() })
	return ln
}

func tcpRelay(t *testing.T, target string) *TCP {
	t.Helper()
	r, err := ListenTCP(target)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

func TestTCPRelayStallsWhileDroppingThenDelivers(t *testing.T) {
	r := tcpRelay(t, tcpEcho(t).Addr().String())
	c, err := net.Dial("tcp", r.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	rd := bufio.NewReader(c)
	line := func(wait time.Duration) (string, error) {
		_ = c.SetReadDeadline(time.Now().Add(wait))
		return rd.ReadString('\n')
	}
	c.Write([]byte("one\n"))
	if got, err := line(guard); got != "one\n" {
		t.Fatalf("through the relay: %q %v", got, err)
	}
	r.SetMode(Drop)
	c.Write([]byte("two\n"))
	if got, err := line(300 * time.Millisecond); err == nil {
		t.Fatalf("a dropping relay delivered %q", got)
	}
	r.SetMode(Pass)
	if got, err := line(guard); got != "two\n" {
		t.Fatalf("held data after restore: %q %v", got, err)
	}
}

func TestTCPRelayCutResetsAndRefuses(t *testing.T) {
	r := tcpRelay(t, tcpEcho(t).Addr().String())
	c, err := net.Dial("tcp", r.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.Write([]byte("x\n"))
	buf := make([]byte, 8)
	_ = c.SetReadDeadline(time.Now().Add(guard))
	if _, err := c.Read(buf); err != nil {
		t.Fatal(err)
	}
	r.SetMode(Cut)
	_ = c.SetReadDeadline(time.Now().Add(guard))
	if _, err := c.Read(buf); err == nil || errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("connection still open after a cut: %v", err)
	}
	c2, err := net.Dial("tcp", r.Addr().String())
	if err == nil {
		_ = c2.SetReadDeadline(time.Now().Add(guard))
		_, err = c2.Read(buf)
		c2.Close()
	}
	if err == nil || errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("a cut relay accepted a new connection: %v", err)
	}
	r.SetMode(Pass)
	c3, err := net.Dial("tcp", r.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c3.Close()
	c3.Write([]byte("back\n"))
	_ = c3.SetReadDeadline(time.Now().Add(guard))
	if got, err := bufio.NewReader(c3).ReadString('\n'); got != "back\n" {
		t.Fatalf("after restore: %q %v", got, err)
	}
}
