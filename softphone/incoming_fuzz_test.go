package softphone

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ligne-app/ligne/internal/peers"
)

// FuzzIncomingSIP sends each input as one UDP datagram to a running phone
// (transport, parser, transaction layer, our request handlers), then
// checks with an OPTIONS that the phone still answers. The seed corpus is
// the 49 RFC 4475 torture messages (testdata/rfc4475). A panic anywhere
// kills the test binary; a phone that stops answering fails the input.
func FuzzIncomingSIP(f *testing.F) {
	p, _ := testPhone(f, Account{User: "ligne", Domain: peers.Loopback, NoRegister: true},
		Options{NoAnswerTimeout: 300 * time.Millisecond, MaxCalls: 4})
	conn, err := net.DialUDP("udp", nil, p.tp.udp.LocalAddr().(*net.UDPAddr))
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { conn.Close() })
	probes := 0
	f.Fuzz(func(t *testing.T, msg []byte) {
		if _, err := conn.Write(msg); err != nil && len(msg) < 60000 {
			t.Fatalf("send: %v", err)
		}
		probes++
		if _, err := probe(conn, probes); err != nil {
			t.Fatalf("the phone stopped answering after %q: %v", truncate(msg, 300), err)
		}
	})
}

// probe sends an OPTIONS and waits for its answer; it returns the status
// lines that came before it (the answers to the message under test).
func probe(conn *net.UDPConn, n int) ([]string, error) {
	callID := fmt.Sprintf("probe-%d-%d@127.0.0.1", n, time.Now().UnixNano())
	local := conn.LocalAddr().String()
	req := "OPTIONS sip:ligne@127.0.0.1 SIP/2.0\r\n" +
		"Via: SIP/2.0/UDP " + local + ";branch=z9hG4bK" + fmt.Sprint(time.Now().UnixNano()) + ";rport\r\n" +
		"Max-Forwards: 70\r\nTo: <sip:ligne@127.0.0.1>\r\nFrom: <sip:probe@127.0.0.1>;tag=p" + fmt.Sprint(n) + "\r\n" +
		"Call-ID: " + callID + "\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n"
	if _, err := conn.Write([]byte(req)); err != nil {
		return nil, err
	}
	deadline := time.Now().Add(guard)
	buf := make([]byte, 65535)
	var before []string
	for {
		_ = conn.SetReadDeadline(deadline)
		k, err := conn.Read(buf)
		if err != nil {
			return before, err
		}
		if bytes.Contains(buf[:k], []byte(callID)) && bytes.HasPrefix(buf[:k], []byte("SIP/2.0 200")) {
			return before, nil
		}
		line, _, _ := bytes.Cut(buf[:k], []byte("\r\n"))
		before = append(before, string(line))
	}
}

// TestTortureMessagesAnswers checks the answers a UA owes to some RFC 4475
// messages: 400 for missing headers and a CSeq naming another method,
// 405 for a method it does not serve (REGISTER), a ringing call for a
// valid INVITE, 200 for a valid OPTIONS.
// The messages get ";rport" on their top Via so that the answers come
// back to the test's socket (RFC 3261 18.2.2 sends them to the Via port).
func TestTortureMessagesAnswers(t *testing.T) {
	p, _ := testPhone(t, Account{User: "ligne", Domain: peers.Loopback, NoRegister: true},
		Options{NoAnswerTimeout: 300 * time.Millisecond, MaxCalls: 4})
	conn, err := net.DialUDP("udp", nil, p.tp.udp.LocalAddr().(*net.UDPAddr))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for i, tc := range []struct{ file, want string }{
		{"insuf", "SIP/2.0 400"}, {"mismatch01", "SIP/2.0 400"}, {"mismatch02", "SIP/2.0 400"},
		{"dblreq", "SIP/2.0 405"}, {"esc01", "SIP/2.0 180"}, {"lwsdisp", "SIP/2.0 200"},
		{"bext01", "SIP/2.0 420"}, // RFC 4475 3.3.4: Unsupported lists both options
	} {
		msg, err := os.ReadFile(filepath.Join("testdata", "rfc4475", tc.file+".dat"))
		if err != nil {
			t.Fatal(err)
		}
		conn.Write(withRport(msg))
		answers, err := probe(conn, i)
		if err != nil {
			t.Fatalf("%s: no answer to the probe: %v", tc.file, err)
		}
		if !hasPrefix(answers, tc.want) && !readUntil(conn, tc.want) {
			t.Errorf("%s: no %s answer (before the probe's: %q)", tc.file, tc.want, answers)
		}
	}
}

var topVia = regexp.MustCompile(`(?mi)^(?:via|v)[ \t]*:[^\r\n]*`)

// withRport adds ";rport" to the first Via line.
func withRport(msg []byte) []byte {
	loc := topVia.FindIndex(msg)
	if loc == nil {
		return msg
	}
	return append(append(append([]byte(nil), msg[:loc[1]]...), ";rport"...), msg[loc[1]:]...)
}

func hasPrefix(lines []string, prefix string) bool {
	for _, l := range lines {
		if strings.HasPrefix(l, prefix) {
			return true
		}
	}
	return false
}

// readUntil reads answers until one starts with prefix (true) or the
// failure guard runs out (false).
func readUntil(conn *net.UDPConn, prefix string) bool {
	buf := make([]byte, 65535)
	_ = conn.SetReadDeadline(time.Now().Add(guard))
	for {
		k, err := conn.Read(buf)
		if err != nil {
			return false
		}
		if bytes.HasPrefix(buf[:k], []byte(prefix)) {
			return true
		}
	}
}

func truncate(b []byte, n int) []byte {
	if len(b) > n {
		return b[:n]
	}
	return b
}
