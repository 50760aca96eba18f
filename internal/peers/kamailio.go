package peers

import (
	"context"
	_ "embed"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"text/template"
	"time"
)

//go:embed testdata/kamailio.cfg.tmpl
var kamailioTemplate string

// kamailioModules is where Debian installs Kamailio's modules.
const kamailioModules = "/usr/lib/x86_64-linux-gnu/kamailio/modules/"

// KamailioOptions configure a Kamailio registrar and proxy.
type KamailioOptions struct {
	// Domain is the SIP domain (default "ligne.test"), an alias of the server.
	Domain string
	// Users maps user names to passwords for digest authentication.
	Users map[string]string
	// Algorithm is the digest algorithm: "MD5" (default) or "SHA-256".
	Algorithm string
	// CallAuth challenges INVITE, REFER and MESSAGE from local users with 407.
	CallAuth bool
	// Presence adds the presence server (dialog and message-summary events,
	// SQLite) and a JSON-RPC endpoint for publishing MWI.
	Presence bool
	// TLS adds a TLS listener (needs kamailio-tls-modules) with a
	// self-signed certificate for Domain; see Kamailio.TLSCertFile.
	TLS bool
}

// Kamailio is a running Kamailio started by a test.
type Kamailio struct {
	tb      testing.TB
	opts    KamailioOptions
	dir     string
	cfgPath string
	bin     string
	// Domain is the SIP domain served.
	Domain string
	// Port is the UDP and TCP port.
	Port int
	// TLSPort is the TLS port, 0 without TLS.
	TLSPort int
	// HTTPPort serves JSON-RPC at /RPC when Presence is on, else 0.
	HTTPPort int
	// TLSCertFile is the PEM certificate Kamailio presents (TLS only).
	TLSCertFile string

	mu   sync.Mutex
	proc *process
	log  *logBuffer
}

type kamailioUser struct{ Name, Password string }

// StartKamailio starts Kamailio on free loopback ports and stops it at the
// end of the test.
func StartKamailio(tb testing.TB, opts KamailioOptions) *Kamailio {
	tb.Helper()
	k := newKamailio(tb, opts)
	k.writeConfig()
	k.Start()
	tb.Cleanup(k.Stop)
	attachLog(tb, "kamailio", k.log)
	return k
}

func newKamailio(tb testing.TB, opts KamailioOptions) *Kamailio {
	if opts.Domain == "" {
		opts.Domain = "ligne.test"
	}
	if opts.Algorithm == "" {
		opts.Algorithm = "MD5"
	}
	k := &Kamailio{
		tb: tb, opts: opts, dir: tb.TempDir(), Domain: opts.Domain,
		bin: LookPath(tb, "kamailio", "kamailio"), log: &logBuffer{},
	}
	ports := FreePorts(tb, 3)
	k.Port = ports[0]
	if opts.TLS {
		k.TLSPort = ports[1]
	}
	if opts.Presence {
		k.HTTPPort = ports[2]
	}
	return k
}

// Addr is the UDP/TCP address "127.0.0.1:port".
func (k *Kamailio) Addr() string { return HostPort(k.Port) }

// URI is the server's SIP URI, usable as an outbound proxy.
func (k *Kamailio) URI() string { return "sip:" + k.Addr() }

// Log returns what Kamailio printed so far.
func (k *Kamailio) Log() string { return k.log.String() }

func (k *Kamailio) writeConfig() {
	tb := k.tb
	tb.Helper()
	data := map[string]any{
		"Domain": k.Domain, "Host": Loopback, "Port": k.Port, "TLSPort": k.TLSPort,
		"HTTPPort": k.HTTPPort, "ModulePath": kamailioModules, "Algorithm": k.opts.Algorithm,
		"CallAuth": k.opts.CallAuth, "Presence": k.opts.Presence, "Users": k.users(),
	}
	if k.opts.Presence {
		db := k.createPresenceDB()
		data["DBFile"], data["DBURL"] = db, "sqlite:///"+db
	}
	if k.opts.TLS {
		data["TLSConfig"] = k.writeTLSConfig()
	}
	var sb strings.Builder
	tmpl := template.Must(template.New("kamailio").Parse(kamailioTemplate))
	if err := tmpl.Execute(&sb, data); err != nil {
		tb.Fatalf("kamailio config: %v", err)
	}
	k.cfgPath = filepath.Join(k.dir, "kamailio.cfg")
	writeFile(tb, k.cfgPath, sb.String())
}

func (k *Kamailio) users() []kamailioUser {
	var out []kamailioUser
	for name, pw := range k.opts.Users {
		out = append(out, kamailioUser{Name: cfgQuote(name), Password: cfgQuote(pw)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// cfgQuote escapes a string for a double-quoted Kamailio literal.
func cfgQuote(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`, "$", `\$`).Replace(s)
}

// createPresenceDB creates the SQLite tables presence, pua and dialog need.
func (k *Kamailio) createPresenceDB() string {
	tb := k.tb
	tb.Helper()
	sqlite := LookPath(tb, "sqlite3", "sqlite3")
	db := filepath.Join(k.dir, "kamailio.db")
	for _, f := range []string{"standard", "presence"} {
		script := filepath.Join("/usr/share/kamailio/db_sqlite", f+"-create.sql")
		if _, err := os.Stat(script); err != nil {
			tb.Fatalf("%s missing: install the Debian package \"kamailio-sqlite-modules\" (scripts/deps.sh test)", script)
		}
		out, err := exec.Command(sqlite, db, ".read "+script).CombinedOutput()
		if err != nil {
			tb.Fatalf("sqlite3 %s: %v\n%s", script, err, out)
		}
	}
	return db
}

// Start starts (or restarts after Stop) Kamailio on the same ports and
// waits until it answers OPTIONS.
func (k *Kamailio) Start() {
	tb := k.tb
	tb.Helper()
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.proc != nil && !k.proc.exited() {
		return
	}
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		if err = k.startOnce(); err == nil {
			return
		}
		time.Sleep(500 * time.Millisecond) // a previous instance may still hold the database
	}
	tb.Fatalf("kamailio did not start on %s: %v", k.Addr(), err)
}

// startOnce starts the process and waits until it answers or exits.
func (k *Kamailio) startOnce() error {
	run := filepath.Join(k.dir, "run")
	_ = os.MkdirAll(run, 0o700)
	cmd := exec.Command(k.bin, "-f", k.cfgPath, "-Y", run, "-P", filepath.Join(run, "kamailio.pid"),
		"-m", "128", "-M", "16", "-DD", "-E", "-w", run)
	proc, err := startProcess("kamailio", cmd, k.log)
	if err != nil {
		return err
	}
	k.proc = proc
	ctx, cancel := context.WithTimeout(k.tb.Context(), 20*time.Second)
	defer cancel()
	if err := waitUntil(ctx, k.ready); err != nil {
		k.proc.stop()
		return err
	}
	return nil
}

// ready sends an OPTIONS over UDP and expects a SIP answer.
func (k *Kamailio) ready() error {
	if k.proc.exited() {
		return fmt.Errorf("kamailio: %w (%v)", errExited, k.proc.err)
	}
	return probeSIP(k.Addr())
}

// Stop stops Kamailio; Start may start it again on the same ports.
func (k *Kamailio) Stop() {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.proc != nil {
		k.proc.stop()
	}
}

// Restart stops Kamailio and starts it again (registrations are lost).
func (k *Kamailio) Restart() {
	k.Stop()
	k.Start()
}

// probeSIP sends one OPTIONS to addr over UDP and waits up to 300 ms for an
// answer.
func probeSIP(addr string) error {
	c, err := net.Dial("udp4", addr)
	if err != nil {
		return err
	}
	defer c.Close()
	local := c.LocalAddr().String()
	msg := "OPTIONS sip:" + addr + " SIP/2.0\r\n" +
		"Via: SIP/2.0/UDP " + local + ";branch=z9hG4bK" + fmt.Sprint(time.Now().UnixNano()) + ";rport\r\n" +
		"Max-Forwards: 70\r\nTo: <sip:" + addr + ">\r\nFrom: <sip:probe@" + local + ">;tag=probe\r\n" +
		"Call-ID: probe-" + fmt.Sprint(time.Now().UnixNano()) + "\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n"
	if _, err := c.Write([]byte(msg)); err != nil {
		return err
	}
	_ = c.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
	buf := make([]byte, 4096)
	n, err := c.Read(buf)
	if err != nil {
		return err
	}
	if !strings.HasPrefix(string(buf[:n]), "SIP/2.0 ") {
		return fmt.Errorf("not a SIP answer: %q", buf[:n])
	}
	return nil
}
