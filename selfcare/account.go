package selfcare

import (
	"net"
	"strconv"
	"strings"
)

// Transport is the SIP transport of an account.
type Transport string

// SIP transports.
const (
	TransportUDP Transport = "udp"
	TransportTCP Transport = "tcp"
	TransportTLS Transport = "tls"
)

// Account is the user's SIP account as entered on first run. The password is
// not here: it lives in the OS keyring under the account's key.
type Account struct {
	DisplayName   string
	User          string // SIP user (the user part of the address of record)
	AuthUser      string // digest user name; User when empty
	Domain        string // SIP domain of the address of record
	Registrar     string // host[:port] of the registrar; Domain when empty
	OutboundProxy string // host[:port] every request goes through; none when empty
	Transport     Transport
	// TLSInsecurePin, when set, is the SHA-256 fingerprint (hex) of a
	// self-signed server certificate the user chose to trust explicitly.
	TLSInsecurePin string
	// SRTP is the user's choice for encrypted audio: SRTPAuto (offered on
	// TLS accounts), SRTPRequired (a call in clear is refused), SRTPOff.
	SRTP SRTPMode
	// Demo marks the demo workspace: no registration is attempted.
	Demo bool
}

// SRTPMode is the encrypted-audio choice of an account.
type SRTPMode string

// The encrypted-audio choices.
const (
	SRTPAuto     SRTPMode = ""         // offered on TLS accounts, calls in clear still accepted
	SRTPRequired SRTPMode = "required" // every call encrypted, or refused
	SRTPOff      SRTPMode = "off"      // never offered
)

// AOR returns the address of record, sip:user@domain.
func (a Account) AOR() string { return "sip:" + a.User + "@" + a.Domain }

// EffectiveAuthUser returns the digest user name.
func (a Account) EffectiveAuthUser() string {
	if a.AuthUser != "" {
		return a.AuthUser
	}
	return a.User
}

// SecretKey names the keyring entry holding this account's SIP password.
func (a Account) SecretKey() string { return "sip:" + a.EffectiveAuthUser() + "@" + a.Domain }

// Validate checks the account form. Demo accounts need nothing.
func (a Account) Validate() error {
	if a.Demo {
		return nil
	}
	if err := validateSIPUser("user", a.User); err != nil {
		return err
	}
	if a.AuthUser != "" {
		if err := validateSIPUser("auth_user", a.AuthUser); err != nil {
			return err
		}
	}
	if !validHost(a.Domain) {
		return Errorf(CodeDomainInvalid, "domain", a.Domain)
	}
	for field, hp := range map[string]string{"registrar": a.Registrar, "outbound_proxy": a.OutboundProxy} {
		if hp != "" && !validHostPort(strings.TrimPrefix(hp, "sip:")) {
			return Errorf(CodeHostPortInvalid, field, hp)
		}
	}
	switch a.Transport {
	case TransportUDP, TransportTCP, TransportTLS:
	default:
		return Errorf(CodeTransportInvalid, "transport", string(a.Transport))
	}
	if len(a.DisplayName) > 64 {
		return Errorf(CodeTooLong, "display_name", 64)
	}
	switch a.SRTP {
	case SRTPAuto, SRTPRequired, SRTPOff:
	default:
		return Errorf(CodeSRTPInvalid, "srtp", string(a.SRTP))
	}
	return nil
}

// validateSIPUser checks a SIP user part: unreserved characters only.
func validateSIPUser(field, u string) error {
	if u == "" {
		return Errorf(CodeRequired, field)
	}
	if len(u) > 64 {
		return Errorf(CodeTooLong, field, 64)
	}
	for _, r := range u {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_.!~*'()&=+$,;?/%", r)) {
			return Errorf(CodeSIPUserInvalid, field, u)
		}
	}
	return nil
}

// validHost accepts a DNS name or an IP address.
func validHost(h string) bool {
	if h == "" || len(h) > 253 {
		return false
	}
	if net.ParseIP(strings.Trim(h, "[]")) != nil {
		return true
	}
	for _, label := range strings.Split(h, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, r := range label {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
				return false
			}
		}
	}
	return true
}

// validHostPort accepts host or host:port with a port in 1..65535.
func validHostPort(hp string) bool {
	host, port, err := net.SplitHostPort(hp)
	if err != nil {
		return validHost(hp)
	}
	p, err := strconv.Atoi(port)
	return err == nil && p > 0 && p < 65536 && validHost(host)
}
