package faultnet

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestMediaALGRewritesSDPAndRelaysItsAudio(t *testing.T) {
	rtp := udpEcho(t)
	port := rtp.LocalAddr().String()
	_, p, _ := strings.Cut(port, "127.0.0.1:")
	body := "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio " + p +
		" RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n"
	msg := fmt.Sprintf("INVITE sip:bob@127.0.0.1 SIP/2.0\r\nContent-Type: application/sdp\r\nContent-Length: %d\r\n\r\n%s", len(body), body)
	alg := NewMediaALG()
	defer alg.Close()
	out := string(alg.Tap(ToServer, []byte(msg)))
	head, nb, _ := strings.Cut(out, "\r\n\r\n")
	if !strings.HasSuffix(head, "\r\nContent-Length: "+strconv.Itoa(len(nb))) || !strings.Contains(nb, "c=IN IP4 127.0.0.1\r\n") {
		t.Fatalf("Content-Length not fixed:\n%s", out)
	}
	m := regexp.MustCompile(`m=audio ([0-9]+) RTP/AVP 0\r\n`).FindStringSubmatch(nb)
	if m == nil || m[1] == p {
		t.Fatalf("audio port not rewritten:\n%s", nb)
	}
	relays := alg.Relays()
	if len(relays) != 1 || strconv.Itoa(relays[0].Addr().Port) != m[1] || relays[0].Addr().Port%2 != 0 {
		t.Fatalf("relays %v for port %s", relays, m[1])
	}
	c := dialUDP(t, relays[0].Addr())
	if got := roundTrip(t, c, "rtp", guard); got != "echo:rtp" {
		t.Fatalf("media through the ALG relay: %q", got)
	}
	alg.SetMode(Drop)
	if got := roundTrip(t, c, "lost", 300*time.Millisecond); got != "" {
		t.Fatalf("ALG in drop mode let %q through", got)
	}
	if again := string(alg.Tap(ToClient, []byte(msg))); again != out {
		t.Fatalf("the same stream got a second relay:\n%s", again)
	}
}
