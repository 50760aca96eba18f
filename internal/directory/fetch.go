package directory

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/go-ldap/ldap/v3"
	"github.com/ligne-app/ligne/selfcare"
)

// Timeouts of a fetch: to connect, and for each request.
const (
	dialTimeout    = 10 * time.Second
	requestTimeout = 60 * time.Second
	pageSize       = 500
)

// Result is what a fetch read: the contacts, and how many entries were
// left out (no name, or no number at all).
type Result struct {
	Contacts []selfcare.Contact
	Skipped  int
}

// Fetch connects to the directory of c (StartTLS or LDAPS as c says, with
// tlsConf when not nil), binds with password when c has a bind DN, and
// reads every entry matching the filter under the base, a page at a time.
// Cancelling ctx closes the connection. Errors are *selfcare.Error:
// unreachable, refused credentials, missing base, failed search.
func Fetch(ctx context.Context, c Config, password string, tlsConf *tls.Config) (Result, error) {
	conn, err := dial(c, tlsConf)
	if err != nil {
		return Result{}, err
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	if err := bind(conn, c, password); err != nil {
		return Result{}, canceled(ctx, err)
	}
	entries, err := search(conn, c)
	if err != nil {
		return Result{}, canceled(ctx, err)
	}
	return toContacts(entries, c.Mapping), nil
}

// canceled reports ctx's end rather than the closed connection it caused.
func canceled(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("fetch directory: %w", ctx.Err())
	}
	return err
}

// dial connects, upgrading with StartTLS when asked.
func dial(c Config, tlsConf *tls.Config) (*ldap.Conn, error) {
	if tlsConf == nil {
		tlsConf = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	host := c.URL[strings.Index(c.URL, "://")+3:]
	if h, _, err := net.SplitHostPort(host); err == nil && tlsConf.ServerName == "" {
		tlsConf = tlsConf.Clone()
		tlsConf.ServerName = strings.Trim(h, "[]")
	}
	conn, err := ldap.DialURL(c.URL, ldap.DialWithDialer(&net.Dialer{Timeout: dialTimeout}), ldap.DialWithTLSConfig(tlsConf))
	if err != nil {
		return nil, selfcare.Errorf(selfcare.CodeLDAPUnreachable, "url", c.URL, shortCause(err))
	}
	conn.SetTimeout(requestTimeout)
	if c.StartTLS && strings.HasPrefix(c.URL, "ldap://") {
		if err := conn.StartTLS(tlsConf); err != nil {
			conn.Close()
			return nil, selfcare.Errorf(selfcare.CodeLDAPUnreachable, "url", c.URL, shortCause(err))
		}
	}
	return conn, nil
}

// bind authenticates, or stays anonymous without a bind DN.
func bind(conn *ldap.Conn, c Config, password string) error {
	if c.BindDN == "" {
		return nil
	}
	if password == "" {
		return selfcare.Errorf(selfcare.CodeLDAPPasswordMissing, "password")
	}
	err := conn.Bind(c.BindDN, password)
	switch {
	case err == nil:
		return nil
	case ldap.IsErrorWithCode(err, ldap.LDAPResultInvalidCredentials), ldap.IsErrorWithCode(err, ldap.LDAPResultInappropriateAuthentication),
		ldap.IsErrorWithCode(err, ldap.LDAPResultInvalidDNSyntax):
		return selfcare.Errorf(selfcare.CodeLDAPAuth, "password")
	}
	return selfcare.Errorf(selfcare.CodeLDAPUnreachable, "url", c.URL, shortCause(err))
}

// search reads every matching entry with the paged-results control, so
// that the server's size limit does not cut the directory.
func search(conn *ldap.Conn, c Config) ([]*ldap.Entry, error) {
	req := ldap.NewSearchRequest(c.BaseDN, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false,
		c.Filter, c.Mapping.attributes(), nil)
	res, err := conn.SearchWithPaging(req, pageSize)
	switch {
	case err == nil:
		return res.Entries, nil
	case ldap.IsErrorWithCode(err, ldap.LDAPResultNoSuchObject):
		return nil, selfcare.Errorf(selfcare.CodeLDAPBaseNotFound, "base_dn", c.BaseDN)
	case ldap.IsErrorWithCode(err, ldap.ErrorNetwork):
		return nil, selfcare.Errorf(selfcare.CodeLDAPUnreachable, "url", c.URL, shortCause(err))
	}
	return nil, selfcare.Errorf(selfcare.CodeLDAPSearch, "", shortCause(err))
}

// shortCause is the last part of an error chain, the one a user can act on
// ("connection refused", "Invalid Credentials").
func shortCause(err error) string {
	var le *ldap.Error
	if errors.As(err, &le) && le.Err != nil {
		err = le.Err
	}
	s := err.Error()
	if i := strings.LastIndex(s, ": "); i >= 0 {
		s = s[i+2:]
	}
	return s
}
