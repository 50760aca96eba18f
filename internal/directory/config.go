// Package directory keeps the company directory from an LDAP server
// (github.com/go-ldap/ldap/v3): the connection settings and the attribute
// mapping (kept as a preference, the bind password in the OS keyring),
// a paged search that turns entries into internal contacts, a Syncer that
// replaces the "ldap" part of the directory in one transaction, and a
// Refresher that does it periodically. A failed refresh leaves the
// directory already loaded as it was.
package directory

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/go-ldap/ldap/v3"
	"github.com/ligne-app/ligne/selfcare"
)

// Preference keys of selfcare.SettingsService.
const (
	SettingConfig = "directory.ldap"        // Config as JSON, without the password
	SettingStatus = "directory.ldap.status" // Status of the last synchronization, as JSON
)

// Source is the contacts' source: ReplaceDirectory(ctx, Source, ...).
const Source = "ldap"

// Bounds of the periodic refresh; 0 means by hand only.
const (
	MinRefresh = 5 * time.Minute
	MaxRefresh = 7 * 24 * time.Hour
)

// Mapping names the LDAP attribute that holds each field of a contact;
// an empty name leaves the field empty.
type Mapping struct {
	Name       string `json:"name"`
	Company    string `json:"company"`
	Department string `json:"department"`
	Extension  string `json:"extension"` // the colleague's short number, for supervision
	Work       string `json:"work"`
	Mobile     string `json:"mobile"`
	Home       string `json:"home"`
	Email      string `json:"email"`
}

// DefaultMapping suits OpenLDAP's inetOrgPerson.
func DefaultMapping() Mapping {
	return Mapping{Name: "cn", Company: "o", Department: "ou", Work: "telephoneNumber",
		Mobile: "mobile", Home: "homePhone", Email: "mail"}
}

// ActiveDirectoryMapping suits Microsoft Active Directory users.
func ActiveDirectoryMapping() Mapping {
	return Mapping{Name: "displayName", Company: "company", Department: "department", Extension: "ipPhone",
		Work: "telephoneNumber", Mobile: "mobile", Home: "homePhone", Email: "mail"}
}

// attributes returns the attribute names to ask the server for.
func (m Mapping) attributes() []string {
	var out []string
	for _, a := range []string{m.Name, m.Company, m.Department, m.Extension, m.Work, m.Mobile, m.Home, m.Email} {
		if a != "" {
			out = append(out, a)
		}
	}
	return out
}

// Config is an LDAP directory source.
type Config struct {
	URL      string        `json:"url"`       // ldap://host[:port] or ldaps://host[:port]
	StartTLS bool          `json:"start_tls"` // upgrade an ldap:// connection with StartTLS
	BaseDN   string        `json:"base_dn"`
	Filter   string        `json:"filter"`  // default (objectClass=person)
	BindDN   string        `json:"bind_dn"` // empty: anonymous
	Mapping  Mapping       `json:"mapping"`
	Refresh  time.Duration `json:"refresh"` // 0: by hand only
}

// DefaultFilter selects people.
const DefaultFilter = "(objectClass=person)"

// SecretKey is where the bind password lives in the keyring.
func (c Config) SecretKey() string { return "ldap:" + c.BindDN + "@" + c.URL }

var attributeName = regexp.MustCompile(`^([A-Za-z][A-Za-z0-9-]*|[0-9]+(\.[0-9]+)+)$`)

// Normalize checks the settings and fills the defaults. Errors are
// *selfcare.Error naming the field at fault.
func (c Config) Normalize() (Config, error) {
	c.URL, c.BaseDN, c.BindDN = strings.TrimSpace(c.URL), strings.TrimSpace(c.BaseDN), strings.TrimSpace(c.BindDN)
	if c.Filter = strings.TrimSpace(c.Filter); c.Filter == "" {
		c.Filter = DefaultFilter
	}
	var err error
	if c.URL, err = normalizeURL(c.URL); err != nil {
		return c, err
	}
	if _, err := ldap.ParseDN(c.BaseDN); err != nil || c.BaseDN == "" {
		return c, selfcare.Errorf(selfcare.CodeLDAPDNInvalid, "base_dn", c.BaseDN)
	}
	if _, err := ldap.ParseDN(c.BindDN); err != nil {
		return c, selfcare.Errorf(selfcare.CodeLDAPDNInvalid, "bind_dn", c.BindDN)
	}
	if _, err := ldap.CompileFilter(c.Filter); err != nil {
		return c, selfcare.Errorf(selfcare.CodeLDAPFilterInvalid, "filter", c.Filter)
	}
	if c.Refresh != 0 && (c.Refresh < MinRefresh || c.Refresh > MaxRefresh) {
		return c, selfcare.Errorf(selfcare.CodeOutOfRange, "refresh", "5 min", "7 j")
	}
	return c, c.Mapping.check()
}

// normalizeURL accepts ldap:// and ldaps:// URLs with a host, and adds the
// default port.
func normalizeURL(s string) (string, error) {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "ldap" && u.Scheme != "ldaps") || u.Hostname() == "" || (u.Path != "" && u.Path != "/") {
		return s, selfcare.Errorf(selfcare.CodeLDAPURLInvalid, "url", s)
	}
	port := u.Port()
	if port == "" {
		port = map[string]string{"ldap": "389", "ldaps": "636"}[u.Scheme]
	}
	host := u.Hostname()
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	return u.Scheme + "://" + host + ":" + port, nil
}

// check requires a name attribute and valid attribute names.
func (m *Mapping) check() error {
	fields := []*string{&m.Name, &m.Company, &m.Department, &m.Extension, &m.Work, &m.Mobile, &m.Home, &m.Email}
	names := []string{"name", "company", "department", "extension", "work", "mobile", "home", "email"}
	for i, f := range fields {
		*f = strings.TrimSpace(*f)
		if *f != "" && !attributeName.MatchString(*f) {
			return selfcare.Errorf(selfcare.CodeLDAPAttributeInvalid, "mapping."+names[i], *f)
		}
	}
	if m.Name == "" {
		return selfcare.Errorf(selfcare.CodeRequired, "mapping.name")
	}
	return nil
}

// LoadConfig returns the saved settings; ok is false when none are.
func LoadConfig(ctx context.Context, s selfcare.SettingsService) (Config, bool, error) {
	raw, err := s.Setting(ctx, SettingConfig)
	if err != nil || raw == "" {
		return Config{}, false, err
	}
	var c Config
	if err := json.Unmarshal([]byte(raw), &c); err != nil {
		return Config{}, false, fmt.Errorf("read directory settings: %w", err)
	}
	return c, true, nil
}

// SaveConfig checks c and saves it, the password in the keyring first.
// An empty password keeps the one already in the keyring for the same
// account; with a bind DN and no password at all it is refused. Nothing is
// saved when a step fails.
func SaveConfig(ctx context.Context, s selfcare.SettingsService, secrets selfcare.Secrets, c Config, password string) (Config, error) {
	c, err := c.Normalize()
	if err != nil {
		return c, err
	}
	if err := keepPassword(secrets, c, password); err != nil {
		return c, err
	}
	old, hadOld, err := LoadConfig(ctx, s)
	if err != nil {
		return c, err
	}
	body, _ := json.Marshal(c)
	if err := s.SetSetting(ctx, SettingConfig, string(body)); err != nil {
		return c, fmt.Errorf("save directory settings: %w", err)
	}
	if hadOld && old.BindDN != "" && old.SecretKey() != c.SecretKey() {
		return c, secrets.Delete(old.SecretKey())
	}
	return c, nil
}

// keepPassword stores password for c's account, or checks that one is
// already there.
func keepPassword(secrets selfcare.Secrets, c Config, password string) error {
	if c.BindDN == "" {
		return nil
	}
	if password != "" {
		return secrets.Set(c.SecretKey(), password)
	}
	_, err := secrets.Get(c.SecretKey())
	switch code := selfcare.ErrorCode(err); {
	case err == nil:
		return nil
	case code == selfcare.CodeSecretStore:
		return err
	}
	return selfcare.Errorf(selfcare.CodeLDAPPasswordMissing, "password")
}
