package provision_test

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// FuzzProvisioningRequest sends any bytes as an HTTP request to the
// provisioning server of a demo workspace (two configured phones, each
// with its own password): Go's HTTP parser, then our path checks, phone
// lookup and Digest/Basic authentication. No input can carry valid
// credentials, so none may get a file: never a 2xx or 3xx, never a server
// fault (5xx other than net/http's 505 for an unknown HTTP version), and
// no answer may contain the SIP or a provisioning password.
// Seeds: testdata/fuzz/FuzzProvisioningRequest (phone fetches, traversal,
// encoded and absolute paths, bad credentials, other methods).
func FuzzProvisioningRequest(f *testing.F) {
	w := newWorkspace(f)
	s := serve(f, w)
	u, _ := url.Parse(s.httpURL)
	secrets := []string{"sip-secret"}
	for _, pw := range w.pw {
		secrets = append(secrets, pw)
	}
	f.Fuzz(func(t *testing.T, req []byte) {
		status, body := exchange(t, u.Host, req)
		if status == "" {
			return // the server closed the connection
		}
		code := strings.Fields(status + " x x")[1]
		if code[0] == '2' || code[0] == '3' || (code[0] == '5' && code != "505") {
			t.Fatalf("answered %q to %q", status, req)
		}
		for _, secret := range secrets {
			if strings.Contains(body, secret) {
				t.Fatalf("a password leaked in the answer to %q", req)
			}
		}
	})
}

// exchange writes req as is and returns the status line and the body of
// the first answer ("" when the server closed the connection instead).
func exchange(t *testing.T, addr string, req []byte) (string, string) {
	c, err := net.DialTimeout("tcp4", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	// the header section always ends, so that no input waits for more
	if _, err := c.Write(append(append([]byte(nil), req...), "\r\n\r\n"...)); err != nil {
		return "", ""
	}
	res, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		return "", ""
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	return res.Proto + " " + res.Status, string(body)
}
