// Package testldap starts a real OpenLDAP server (slapd, mdb backend) for
// tests, on a free loopback port, with a generated slapd.conf in a
// temporary folder, and loads LDIF into it with the real ldapadd and
// ldapmodify. Nothing here is a fake.
package testldap

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ligne-app/ligne/internal/syncbuf"
)

// Directory names of the server a test gets.
const (
	BaseDN        = "dc=lemoine,dc=example"
	AdminDN       = "cn=admin," + BaseDN
	AdminPassword = "admin-secret"
	// BindDN is a read-only service account, as an administrator would
	// give Ligne; anonymous users read nothing.
	BindDN       = "cn=ligne,ou=services," + BaseDN
	BindPassword = "ligne-bind-Secret-42"
	// SizeLimit is the server's limit for a search without paging.
	SizeLimit = 50
)

// Server is a running slapd.
type Server struct {
	URL string
	dir string
	cmd *exec.Cmd
	log *syncbuf.Buffer
}

// Start runs slapd for the rest of the test, with the base, the people
// and services organizational units and the service account.
func Start(t testing.TB) *Server {
	t.Helper()
	slapd := findSlapd(t)
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "db"), 0o700); err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(dir, "slapd.conf")
	if err := os.WriteFile(conf, []byte(config(dir)), 0o600); err != nil {
		t.Fatal(err)
	}
	s := &Server{URL: "ldap://127.0.0.1:" + freePort(t) + "/", dir: dir, log: &syncbuf.Buffer{}}
	s.cmd = exec.Command(slapd, "-h", s.URL, "-f", conf, "-d", "0")
	s.cmd.Stdout, s.cmd.Stderr = s.log, s.log
	if err := s.cmd.Start(); err != nil {
		t.Fatalf("start slapd: %v", err)
	}
	t.Cleanup(s.Stop)
	s.waitReady(t)
	s.Add(t, baseLDIF)
	return s
}

// findSlapd returns slapd's path; Debian puts it in /usr/sbin.
func findSlapd(t testing.TB) string {
	for _, bin := range []string{"ldapadd", "ldapmodify"} {
		if _, err := exec.LookPath(bin); err != nil {
			t.Fatalf("%s is missing: install ldap-utils (make test does: scripts/deps.sh test)", bin)
		}
	}
	if p, err := exec.LookPath("slapd"); err == nil {
		return p
	}
	if _, err := os.Stat("/usr/sbin/slapd"); err == nil {
		return "/usr/sbin/slapd"
	}
	t.Fatal("slapd is missing: install slapd (make test does: scripts/deps.sh test)")
	return ""
}

// config is slapd.conf: the usual schemas, an mdb database, a size limit
// that only paged searches go beyond, and access for bound users only.
func config(dir string) string {
	return fmt.Sprintf(`include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile %[1]s/slapd.pid
argsfile %[1]s/slapd.args
sizelimit size.soft=%[2]d size.hard=%[2]d size.prtotal=unlimited
database mdb
maxsize 67108864
suffix "%[3]s"
rootdn "%[4]s"
rootpw %[5]s
directory %[1]s/db
access to attrs=userPassword by self write by anonymous auth by * none
access to * by users read by * none
`, dir, SizeLimit, BaseDN, AdminDN, AdminPassword)
}

const baseLDIF = `dn: ` + BaseDN + `
objectClass: dcObject
objectClass: organization
o: Lemoine Equipements
dc: lemoine

dn: ou=people,` + BaseDN + `
objectClass: organizationalUnit
ou: people

dn: ou=services,` + BaseDN + `
objectClass: organizationalUnit
ou: services

dn: ` + BindDN + `
objectClass: organizationalRole
objectClass: simpleSecurityObject
cn: ligne
userPassword: ` + BindPassword + `
`

// freePort returns a loopback TCP port nobody listens on right now.
func freePort(t testing.TB) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return fmt.Sprint(l.Addr().(*net.TCPAddr).Port)
}

// waitReady waits until slapd accepts connections, failing with its log
// when it exits or does not come up.
func (s *Server) waitReady(t testing.TB) {
	t.Helper()
	addr := strings.TrimSuffix(strings.TrimPrefix(s.URL, "ldap://"), "/")
	exited := make(chan error, 1)
	go func() { exited <- s.cmd.Wait() }()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-exited:
			t.Fatalf("slapd exited (%v):\n%s", err, s.log)
		default:
		}
		if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
			c.Close()
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("slapd did not listen on %s:\n%s", addr, s.log)
}

// Stop ends slapd (the test's clean-up does it too).
func (s *Server) Stop() {
	if s.cmd.Process != nil {
		s.cmd.Process.Kill()
	}
}

// Add adds the entries of an LDIF text, as the administrator.
func (s *Server) Add(t testing.TB, ldif string) { s.run(t, "ldapadd", ldif) }

// Modify applies an LDIF change text (changetype: modify, delete...).
func (s *Server) Modify(t testing.TB, ldif string) { s.run(t, "ldapmodify", ldif) }

func (s *Server) run(t testing.TB, tool, ldif string) {
	t.Helper()
	cmd := exec.Command(tool, "-x", "-H", s.URL, "-D", AdminDN, "-w", AdminPassword)
	cmd.Stdin = strings.NewReader(ldif)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s\nslapd log:\n%s", tool, err, out, s.log)
	}
}

// Person returns the LDIF of an inetOrgPerson under ou=people; attrs are
// extra "name: value" lines.
func Person(uid, cn, sn string, attrs ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "dn: uid=%s,ou=people,%s\nobjectClass: inetOrgPerson\nuid: %s\ncn: %s\nsn: %s\n", uid, BaseDN, uid, cn, sn)
	for _, a := range attrs {
		b.WriteString(a + "\n")
	}
	return b.String() + "\n"
}
