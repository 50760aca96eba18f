package softphone

import (
	"crypto/x509"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/emiago/sipgo/sip"
)

// Transport is the SIP transport of an account.
type Transport string

// SIP transports.
const (
	TransportUDP Transport = "udp"
	TransportTCP Transport = "tcp"
	TransportTLS Transport = "tls"
)

// Defaults applied by Account.withDefaults.
const (
	DefaultExpiry    = 10 * time.Minute
	DefaultKeepAlive = 25 * time.Second
)

// Identity is the number presented on outgoing calls.
type Identity struct {
	// Anonymous hides the caller: From "Anonymous" <sip:anonymous@anonymous.invalid>
	// with Privacy: id, and the real identity in P-Preferred-Identity.
	Anonymous bool
	// Number is the presented number (a DID, the mobile line, a group);
	// empty means the account's own user.
	Number string
	// DisplayName overrides the account's display name on calls.
	DisplayName string
}

// Account is what the engine needs to run one SIP line. The lead engineer
// maps the stored selfcare account and keyring password onto it.
type Account struct {
	DisplayName string
	// User is the user part of the address of record.
	User string
	// AuthUser is the digest user name (User when empty).
	AuthUser string
	// Password is the digest password. It never appears in logs or traces.
	Password string
	// Domain is the domain of the address of record and the default realm.
	Domain string
	// Registrar is host[:port] of the registrar (Domain when empty).
	Registrar string
	// OutboundProxy is host[:port] (or a sip: URI) every request is sent
	// through; none when empty.
	OutboundProxy string
	// Transport is udp (default), tcp or tls.
	Transport Transport
	// TLSRootCAs replaces the system roots when set. Verification is always
	// on unless TLSPinSHA256 is set.
	TLSRootCAs *x509.CertPool
	// TLSPinSHA256 is the hex SHA-256 fingerprint of a self-signed server
	// certificate the user chose to trust explicitly.
	TLSPinSHA256 string
	// Identity is the presented identity on outgoing calls.
	Identity Identity
	// KeepAlive is the NAT keep-alive period (CRLF on TCP/TLS, OPTIONS on
	// UDP): 0 means DefaultKeepAlive, negative disables it.
	KeepAlive time.Duration
	// Expiry is the registration lifetime asked for (DefaultExpiry when 0).
	Expiry time.Duration
	// NoRegister skips registration (direct peer-to-peer use, tests).
	NoRegister bool
	// SRTP is the encrypted-audio policy: SRTPAuto (default) offers SRTP
	// on TLS accounts, SRTPRequired refuses calls in clear, SRTPOff never
	// offers it.
	SRTP SRTPPolicy
}

// AOR returns the address of record, sip:user@domain.
func (a Account) AOR() string { return "sip:" + a.User + "@" + a.Domain }

func (a Account) authUser() string {
	if a.AuthUser != "" {
		return a.AuthUser
	}
	return a.User
}

func (a Account) withDefaults() Account {
	if a.Transport == "" {
		a.Transport = TransportUDP
	}
	a.Transport = Transport(strings.ToLower(string(a.Transport)))
	if a.Expiry == 0 {
		a.Expiry = DefaultExpiry
	}
	if a.KeepAlive == 0 {
		a.KeepAlive = DefaultKeepAlive
	}
	return a
}

// Validate checks that the account can be used.
func (a Account) Validate() error {
	a = a.withDefaults()
	if a.User == "" || a.Domain == "" {
		return fmt.Errorf("%w: user and domain are required", ErrInvalidAccount)
	}
	switch a.Transport {
	case TransportUDP, TransportTCP, TransportTLS:
	default:
		return fmt.Errorf("%w: transport %q (udp, tcp or tls)", ErrInvalidAccount, a.Transport)
	}
	switch a.SRTP {
	case SRTPAuto, SRTPRequired, SRTPOff:
	default:
		return fmt.Errorf("%w: srtp %q (required, off or empty)", ErrInvalidAccount, a.SRTP)
	}
	for _, hp := range []string{a.Registrar, a.OutboundProxy} {
		if _, err := parseHostPort(hp); hp != "" && err != nil {
			return fmt.Errorf("%w: %v", ErrInvalidAccount, err)
		}
	}
	return nil
}

// network is the sipgo network name of the transport.
func (a Account) network() string { return string(a.Transport) }

// nextHop is where requests go first: the outbound proxy, else the
// registrar, else the domain.
func (a Account) nextHop() string {
	for _, hp := range []string{a.OutboundProxy, a.Registrar} {
		if hp != "" {
			return hp
		}
	}
	return a.Domain
}

// registrarURI is the Request-URI of REGISTER.
func (a Account) registrarURI() sip.Uri {
	host := a.Domain
	if a.Registrar != "" {
		host = a.Registrar
	}
	u, _ := parseHostPort(host)
	u.Scheme = a.scheme()
	return u
}

func (a Account) scheme() string {
	if a.Transport == TransportTLS {
		return "sips"
	}
	return "sip"
}

// hopAddr returns the next hop as host:port with the transport's default
// port.
func (a Account) hopAddr() string {
	u, _ := parseHostPort(a.nextHop())
	port := u.Port
	if port == 0 {
		port = sip.DefaultPort(a.network())
	}
	return net.JoinHostPort(u.Host, strconv.Itoa(port))
}

// parseHostPort accepts "host", "host:port" or a sip:/sips: URI.
func parseHostPort(s string) (sip.Uri, error) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "sip:") || strings.HasPrefix(s, "sips:") {
		var u sip.Uri
		if err := sip.ParseUri(s, &u); err != nil {
			return sip.Uri{}, fmt.Errorf("address %q: %w", s, err)
		}
		return sip.Uri{Host: u.Host, Port: u.Port}, nil
	}
	host, portStr, err := net.SplitHostPort(s)
	if err != nil {
		return sip.Uri{Host: strings.Trim(s, "[]")}, nil
	}
	port, err := strconv.Atoi(portStr)
	if err != nil || port <= 0 || port > 65535 {
		return sip.Uri{}, fmt.Errorf("address %q: bad port", s)
	}
	return sip.Uri{Host: host, Port: port}, nil
}
