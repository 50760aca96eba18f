package softphone

import (
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/emiago/sipgo/sip"
)

// tracer writes every SIP message to an optional writer with credentials
// redacted: Authorization/Proxy-Authorization values and the password.
type tracer struct {
	mu       sync.Mutex
	w        io.Writer
	password string
	now      func() time.Time
}

func newTracer(w io.Writer, password string, now func() time.Time) *tracer {
	return &tracer{w: w, password: password, now: now}
}

// authHeader matches credential header lines, whatever their case.
var authHeader = regexp.MustCompile(`(?im)^((?:proxy-)?authorization)[ \t]*:.*$`)

// Redact removes credentials from a SIP message's text: the values of
// Authorization and Proxy-Authorization and any occurrence of password.
func Redact(msg, password string) string {
	msg = authHeader.ReplaceAllString(msg, "$1: <redacted>")
	if password != "" {
		msg = strings.ReplaceAll(msg, password, "<redacted>")
	}
	return msg
}

// incoming is sipgo's transport read filter: it traces raw received data
// and passes it on unchanged.
func (t *tracer) incoming(props sip.TransportReadProps, data []byte) ([]byte, error) {
	if t.w != nil && len(strings.TrimSpace(string(data))) > 0 {
		t.write("recv", props.Transport, props.RemoteAddr.String(), string(data))
	}
	return data, nil
}

// outgoing traces a message we send.
func (t *tracer) outgoing(m sip.Message) {
	if t.w == nil {
		return
	}
	t.write("sent", m.Transport(), destinationOf(m), m.String())
}

func destinationOf(m sip.Message) string {
	if r, ok := m.(*sip.Request); ok {
		return r.Destination()
	}
	return m.Destination()
}

func (t *tracer) write(dir, network, peer, text string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	fmt.Fprintf(t.w, "%s %s %s %s\n%s\n\n", t.now().Format(time.RFC3339Nano), dir, network, peer,
		strings.TrimRight(Redact(text, t.password), "\r\n"))
}
