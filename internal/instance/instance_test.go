package instance

import (
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestSecondLaunchHandsItsLinkOver(t *testing.T) {
	dir := t.TempDir()
	s, err := Listen(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got := make(chan string, 1)
	go s.Serve(func(link string) { got <- link })
	if _, err := Listen(dir); err != ErrRunning {
		t.Fatalf("second Listen: %v, want ErrRunning", err)
	}
	if err := Send(dir, "tel:+33123456789"); err != nil {
		t.Fatal(err)
	}
	select {
	case l := <-got:
		if l != "tel:+33123456789" {
			t.Fatalf("received %q", l)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the link never arrived")
	}
}

func TestStaleSocketIsReplaced(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, SocketName)
	ln, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	ln.(*net.UnixListener).SetUnlinkOnClose(false)
	ln.Close() // a crashed Ligne leaves its socket file behind
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("socket file should remain: %v", err)
	}
	s, err := Listen(dir)
	if err != nil {
		t.Fatalf("listen over a stale socket: %v", err)
	}
	s.Close()
	if err := Send(dir, "tel:1"); err == nil {
		t.Fatal("sent to a closed instance")
	}
}
