package provision

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/ligne-app/ligne/selfcare"
)

// Files of Ligne's own certificate, in the provisioning folder.
const (
	CertFileName = "provisioning-cert.pem"
	KeyFileName  = "provisioning-key.pem"
)

// certLifetime is how long a generated certificate is valid. Phones that
// accept a self-signed certificate do not renew it, so it is long.
const certLifetime = 10 * 365 * 24 * time.Hour

// TLSConfig serves cert with TLS 1.2 or newer only.
func TLSConfig(cert tls.Certificate) *tls.Config {
	return &tls.Config{MinVersion: tls.VersionTLS12, Certificates: []tls.Certificate{cert}}
}

// LoadCertificate reads the user's own certificate and key (PEM).
func LoadCertificate(certFile, keyFile string) (tls.Certificate, error) {
	c, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return c, selfcare.Errorf(selfcare.CodeCertificateInvalid, "provision_cert", certFile, err.Error())
	}
	return c, nil
}

// LoadOrCreateCertificate returns the self-signed certificate kept in dir,
// generating it (RSA 2048, for the oldest phones) the first time or when it
// has expired. hosts become its names and addresses.
func LoadOrCreateCertificate(dir string, hosts []string, now time.Time) (tls.Certificate, error) {
	certFile, keyFile := filepath.Join(dir, CertFileName), filepath.Join(dir, KeyFileName)
	c, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err == nil && c.Leaf != nil && now.Before(c.Leaf.NotAfter) {
		return c, nil
	}
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return c, selfcare.Errorf(selfcare.CodeCertificateInvalid, "provision_cert", certFile, err.Error())
	}
	if err := writeSelfSigned(certFile, keyFile, hosts, now); err != nil {
		return tls.Certificate{}, err
	}
	return tls.LoadX509KeyPair(certFile, keyFile)
}

// writeSelfSigned generates a key and a certificate into the two files.
func writeSelfSigned(certFile, keyFile string, hosts []string, now time.Time) error {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return fmt.Errorf("generate provisioning key: %w", err)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	if err != nil {
		return fmt.Errorf("generate certificate serial: %w", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial, Subject: pkix.Name{CommonName: "Ligne provisioning", Organization: []string{"Ligne"}},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(certLifetime),
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	addNames(tmpl, hosts)
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return fmt.Errorf("create provisioning certificate: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(certFile), 0o700); err != nil {
		return fmt.Errorf("save provisioning certificate: %w", err)
	}
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
	if err := os.WriteFile(keyFile, keyPEM, 0o600); err != nil {
		return fmt.Errorf("save provisioning key: %w", err)
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	if err := os.WriteFile(certFile, certPEM, 0o644); err != nil {
		return fmt.Errorf("save provisioning certificate: %w", err)
	}
	return nil
}

// addNames puts each host in the certificate as an IP or a DNS name.
func addNames(c *x509.Certificate, hosts []string) {
	for _, h := range hosts {
		if ip := net.ParseIP(h); ip != nil {
			c.IPAddresses = append(c.IPAddresses, ip)
		} else if h != "" {
			c.DNSNames = append(c.DNSNames, h)
		}
	}
}

// Fingerprint is the SHA-256 of the certificate, AA:BB:... as phones and
// browsers show it.
func Fingerprint(c tls.Certificate) string {
	if len(c.Certificate) == 0 {
		return ""
	}
	sum := sha256.Sum256(c.Certificate[0])
	parts := make([]string, len(sum))
	for i, b := range sum {
		parts[i] = fmt.Sprintf("%02X", b)
	}
	return strings.Join(parts, ":")
}

// LocalHosts lists the names a phone on the network may use for this
// computer: loopback, its host name and its network addresses.
func LocalHosts() []string {
	out := []string{"localhost", "127.0.0.1"}
	if h, err := os.Hostname(); err == nil {
		out = append(out, h)
	}
	return append(out, NetworkAddresses()...)
}

// NetworkAddresses lists this computer's addresses phones can reach:
// neither loopback nor link-local.
func NetworkAddresses() []string {
	var out []string
	addrs, _ := net.InterfaceAddrs()
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && !n.IP.IsLoopback() && !n.IP.IsLinkLocalUnicast() {
			out = append(out, n.IP.String())
		}
	}
	slices.SortStableFunc(out, func(a, b string) int { return strings.Count(a, ":") - strings.Count(b, ":") }) // IPv4 first
	return out
}
