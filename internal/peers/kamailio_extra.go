package peers

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"
)

// writeTLSConfig writes a self-signed certificate for the domain and
// 127.0.0.1, and Kamailio's tls.cfg using it.
func (k *Kamailio) writeTLSConfig() string {
	tb := k.tb
	tb.Helper()
	if _, err := os.Stat(filepath.Join(kamailioModules, "tls.so")); err != nil {
		tb.Fatalf("kamailio tls.so missing: install the Debian package \"kamailio-tls-modules\" (scripts/deps.sh test)")
	}
	certPEM, keyPEM, err := selfSigned(k.Domain)
	if err != nil {
		tb.Fatalf("certificate: %v", err)
	}
	k.TLSCertFile = filepath.Join(k.dir, "cert.pem")
	keyFile := filepath.Join(k.dir, "key.pem")
	writeFile(tb, k.TLSCertFile, string(certPEM))
	writeFile(tb, keyFile, string(keyPEM))
	cfg := fmt.Sprintf("[server:default]\nmethod = TLSv1.2+\nverify_certificate = no\nrequire_certificate = no\n"+
		"private_key = %s\ncertificate = %s\n\n[client:default]\nverify_certificate = no\nrequire_certificate = no\n",
		keyFile, k.TLSCertFile)
	path := filepath.Join(k.dir, "tls.cfg")
	writeFile(tb, path, cfg)
	return path
}

// selfSigned makes a P-256 certificate valid for host and 127.0.0.1.
func selfSigned(host string) (certPEM, keyPEM []byte, err error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: host},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		DNSNames:     []string{host},
		IPAddresses:  []net.IP{net.ParseIP(Loopback)},
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA:         true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, err
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return nil, nil, err
	}
	certPEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	keyPEM = pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder})
	return certPEM, keyPEM, nil
}

// RPC calls a Kamailio JSON-RPC method (Presence must be on) and returns
// the raw result.
func (k *Kamailio) RPC(method string, params ...any) (json.RawMessage, error) {
	if k.HTTPPort == 0 {
		return nil, fmt.Errorf("kamailio rpc %s: JSON-RPC needs KamailioOptions.Presence", method)
	}
	body, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "method": method, "params": params, "id": 1})
	resp, err := http.Post("http://"+HostPort(k.HTTPPort)+"/RPC", "application/json", bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("kamailio rpc %s: %w", method, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out struct {
		Result json.RawMessage `json:"result"`
		Error  *struct {
			Code    int    `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, fmt.Errorf("kamailio rpc %s: %w (%s)", method, err, raw)
	}
	if out.Error != nil {
		return nil, fmt.Errorf("kamailio rpc %s: %d %s", method, out.Error.Code, out.Error.Message)
	}
	return out.Result, nil
}

// PublishMWI publishes a message-summary for user@domain through pua_rpc,
// so subscribers get a NOTIFY with the given new and old voice messages.
func (k *Kamailio) PublishMWI(user string, newMsgs, oldMsgs int) error {
	uri := "sip:" + user + "@" + k.Domain
	waiting := "no"
	if newMsgs > 0 {
		waiting = "yes"
	}
	body := fmt.Sprintf("Messages-Waiting: %s\r\nMessage-Account: %s\r\nVoice-Message: %d/%d (0/0)\r\n",
		waiting, uri, newMsgs, oldMsgs)
	_, err := k.RPC("pua.publish", uri, "3600", "message-summary", "application/simple-message-summary",
		".", ".", ".", ".", body)
	return err
}
