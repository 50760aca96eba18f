package softphone

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/emiago/sipgo"
	"github.com/emiago/sipgo/sip"
)

// transport holds the local SIP address: a UDP socket shared by every
// request and response, or outgoing TCP/TLS connections whose local address
// is our contact (so a NAT binding or a proxy's connection reuse works).
type transport struct {
	p       *Phone
	network string
	udp     net.PacketConn

	mu      sync.Mutex
	contact sip.Uri // host:port peers reach us at, with transport param
	remote  string  // TCP/TLS: the next hop's address in sipgo's pool
}

func (p *Phone) listen(ctx context.Context) (*transport, error) {
	t := &transport{p: p, network: p.acct.network()}
	if t.network != "udp" {
		return t, nil
	}
	var lc net.ListenConfig
	conn, err := lc.ListenPacket(ctx, "udp4", p.opts.ListenAddr)
	if err != nil {
		return nil, fmt.Errorf("listen udp %s: %w", p.opts.ListenAddr, err)
	}
	t.udp = conn
	addr := conn.LocalAddr().(*net.UDPAddr)
	host := addr.IP.String()
	if addr.IP.IsUnspecified() {
		host = routeIP(p.acct.hopAddr())
	}
	t.contact = sip.Uri{Scheme: "sip", Host: host, Port: addr.Port}
	p.spawn(func() { _ = p.server.ServeUDP(conn) })
	if err := t.waitServing(ctx, conn.LocalAddr().String()); err != nil {
		conn.Close()
		return nil, err
	}
	return t, nil
}

// waitServing waits until sipgo has registered the UDP socket (ServeUDP
// runs in its own goroutine); sending before would bind a second socket.
func (t *transport) waitServing(ctx context.Context, laddr string) error {
	for range 500 {
		if c, err := t.p.ua.TransportLayer().GetConnection("udp", laddr); err == nil && c != nil {
			c.TryClose()
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("listen udp %s: %w", laddr, ctx.Err())
		case <-time.After(2 * time.Millisecond):
		}
	}
	return fmt.Errorf("listen udp %s: transport not ready", laddr)
}

// clientOptions make sipgo send UDP from our listening socket with our
// contact in Via, and ask for rport.
func (t *transport) clientOptions(log *slog.Logger) []sipgo.ClientOption {
	opts := []sipgo.ClientOption{sipgo.WithClientLogger(log), sipgo.WithClientNAT()}
	if t.udp != nil {
		c := t.currentContact()
		opts = append(opts, sipgo.WithClientHostname(c.Host), sipgo.WithClientPort(c.Port),
			sipgo.WithClientConnectionAddr(t.udp.LocalAddr().String()))
	}
	return opts
}

func (t *transport) close() {
	if t.udp != nil {
		t.udp.Close()
	}
}

// currentContact returns a copy of the contact address.
func (t *transport) currentContact() sip.Uri {
	t.mu.Lock()
	defer t.mu.Unlock()
	c := t.contact
	c.UriParams = nil
	if t.network != "udp" {
		c.UriParams = sip.HeaderParams{{K: "transport", V: t.network}}
	}
	return c
}

// setContact records the public address a server saw (rport/received).
func (t *transport) setContact(host string, port int) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.contact.Host == host && t.contact.Port == port {
		return false
	}
	t.contact.Scheme, t.contact.Host, t.contact.Port = "sip", host, port
	return true
}

// connect opens (or reuses) the TCP/TLS connection to the next hop and
// takes its local address as contact. UDP needs nothing.
func (t *transport) connect(ctx context.Context) error {
	if t.network == "udp" {
		return nil
	}
	req := sip.NewRequest(sip.OPTIONS, t.p.acct.registrarURI())
	req.SetTransport(strings.ToUpper(t.network))
	req.SetDestination(t.p.acct.hopAddr())
	req.AppendHeader(&sip.ViaHeader{ProtocolName: "SIP", ProtocolVersion: "2.0", Transport: strings.ToUpper(t.network)})
	conn, err := t.p.ua.TransportLayer().ClientRequestConnection(ctx, req)
	if err != nil {
		return fmt.Errorf("connect %s %s: %w", t.network, t.p.acct.hopAddr(), err)
	}
	defer conn.TryClose()
	host, port, err := sip.ParseAddr(conn.LocalAddr().String())
	if err != nil {
		return fmt.Errorf("connect %s: %w", t.network, err)
	}
	t.setContact(host, port)
	if rc, ok := conn.(interface{ RemoteAddr() net.Addr }); ok {
		t.mu.Lock()
		t.remote = rc.RemoteAddr().String()
		t.mu.Unlock()
	}
	return nil
}

// connected reports whether the TCP/TLS connection to the next hop is still
// open (always true on UDP).
func (t *transport) connected() bool {
	if t.network == "udp" {
		return true
	}
	c := t.conn()
	if c == nil {
		return false
	}
	c.TryClose()
	return true
}

// conn returns the TCP/TLS connection to the next hop (referenced: the
// caller must TryClose it), nil when it is gone.
func (t *transport) conn() sip.Connection {
	t.mu.Lock()
	remote := t.remote
	t.mu.Unlock()
	if remote == "" {
		return nil
	}
	c, err := t.p.ua.TransportLayer().GetConnection(t.network, remote)
	if err != nil {
		return nil
	}
	return c
}

// pingCRLF sends the RFC 5626 double-CRLF keep-alive on TCP/TLS.
func (t *transport) pingCRLF() error {
	c := t.conn()
	if c == nil {
		return fmt.Errorf("keep-alive %s: connection closed", t.network)
	}
	defer c.TryClose()
	w, ok := c.(io.Writer)
	if !ok {
		return fmt.Errorf("keep-alive %s: connection is not writable", t.network)
	}
	if _, err := w.Write([]byte("\r\n\r\n")); err != nil {
		return fmt.Errorf("keep-alive %s: %w", t.network, err)
	}
	return nil
}

// routeIP returns the local address the system would use to reach addr.
func routeIP(addr string) string {
	c, err := net.Dial("udp4", addr)
	if err != nil {
		return "127.0.0.1"
	}
	defer c.Close()
	return c.LocalAddr().(*net.UDPAddr).IP.String()
}

// systemNetworkState fingerprints the interfaces' addresses.
func systemNetworkState() string {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return "error: " + err.Error()
	}
	out := make([]string, 0, len(addrs))
	for _, a := range addrs {
		out = append(out, a.String())
	}
	sort.Strings(out)
	return strings.Join(out, ",")
}

// tlsConfig verifies the server with the system roots (or the account's
// roots); a pinned fingerprint replaces chain verification.
func (p *Phone) tlsConfig() (*tls.Config, error) {
	conf := &tls.Config{MinVersion: tls.VersionTLS12, RootCAs: p.acct.TLSRootCAs}
	pin := strings.ToLower(strings.ReplaceAll(p.acct.TLSPinSHA256, ":", ""))
	if pin == "" {
		return conf, nil
	}
	if _, err := hex.DecodeString(pin); err != nil || len(pin) != 64 {
		return nil, fmt.Errorf("%w: TLS pin must be a hex SHA-256", ErrInvalidAccount)
	}
	conf.InsecureSkipVerify = true // replaced by the pin check below
	conf.VerifyConnection = func(cs tls.ConnectionState) error { return checkPin(cs.PeerCertificates, pin) }
	return conf, nil
}

func checkPin(certs []*x509.Certificate, pin string) error {
	if len(certs) == 0 {
		return errors.New("tls: no server certificate")
	}
	sum := sha256.Sum256(certs[0].Raw)
	if hex.EncodeToString(sum[:]) != pin {
		return errors.New("tls: server certificate does not match the pinned fingerprint")
	}
	return nil
}

// hostPortString formats a URI's host and port.
func hostPortString(u sip.Uri) string {
	if u.Port == 0 {
		return u.Host
	}
	return net.JoinHostPort(u.Host, strconv.Itoa(u.Port))
}
