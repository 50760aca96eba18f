package media

import (
	"net"
	"testing"
	"time"

	"github.com/pion/rtcp"
	"github.com/pion/rtp"
)

// TestSessionWireFormat listens as a raw peer and checks what a session
// puts on the wire: RTP version 2, the negotiated payload type, one packet
// per 20 ms with +1 sequence and +160 timestamp, the marker bit on the
// first packet only, 160-byte PCMU payloads; and RTCP sender reports with
// an SDES CNAME on the port above.
func TestSessionWireFormat(t *testing.T) {
	peerRTP, peerRTCP := rawPeer(t)
	s := newTestSession(t, SessionConfig{RTCPInterval: 100 * time.Millisecond})
	configure(t, s, peerRTP.LocalAddr().(*net.UDPAddr), CodecPCMU, DefaultTelephoneEventPT)
	start(t, s)
	pkts := readRTP(t, peerRTP, 10)
	for i, p := range pkts {
		if p.Version != 2 || p.PayloadType != 0 || len(p.Payload) != 160 || p.Marker != (i == 0) {
			t.Errorf("packet %d: %v", i, p.Header)
		}
		if i > 0 && (p.SequenceNumber != pkts[i-1].SequenceNumber+1 || p.Timestamp != pkts[i-1].Timestamp+160 || p.SSRC != pkts[0].SSRC) {
			t.Errorf("packet %d does not follow packet %d: %v / %v", i, i-1, p.Header, pkts[i-1].Header)
		}
	}
	sr, cname := readReport(t, peerRTCP)
	if sr.SSRC != pkts[0].SSRC || sr.PacketCount == 0 || cname == "" {
		t.Errorf("sender report %+v, cname %q", sr, cname)
	}
}

// rawPeer is an RTP/RTCP port pair on loopback read by the test itself.
func rawPeer(t *testing.T) (rtp, rtcp *net.UDPConn) {
	t.Helper()
	rtp, rtcp, err := listenPair("127.0.0.1", 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rtp.Close(); rtcp.Close() })
	return rtp, rtcp
}

func readRTP(t *testing.T, c *net.UDPConn, n int) []rtp.Packet {
	t.Helper()
	buf := make([]byte, 1500)
	var out []rtp.Packet
	_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
	for len(out) < n {
		k, _, err := c.ReadFromUDP(buf)
		if err != nil {
			t.Fatalf("read rtp: %v", err)
		}
		var p rtp.Packet
		if err := p.Unmarshal(append([]byte(nil), buf[:k]...)); err != nil {
			t.Fatalf("bad rtp: %v", err)
		}
		out = append(out, p)
	}
	return out
}

func readReport(t *testing.T, c *net.UDPConn) (*rtcp.SenderReport, string) {
	t.Helper()
	buf := make([]byte, 1500)
	_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		k, _, err := c.ReadFromUDP(buf)
		if err != nil {
			t.Fatalf("read rtcp: %v", err)
		}
		pkts, err := rtcp.Unmarshal(buf[:k])
		if err != nil {
			t.Fatalf("bad rtcp: %v", err)
		}
		var sr *rtcp.SenderReport
		var cname string
		for _, p := range pkts {
			switch p := p.(type) {
			case *rtcp.SenderReport:
				sr = p
			case *rtcp.SourceDescription:
				for _, ch := range p.Chunks {
					for _, it := range ch.Items {
						if it.Type == rtcp.SDESCNAME {
							cname = it.Text
						}
					}
				}
			}
		}
		if sr != nil {
			return sr, cname
		}
	}
}
