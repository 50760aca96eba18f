package provision

import (
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"io"
	"strings"

	"github.com/ligne-app/ligne/selfcare"
)

// Credentials keeps each phone's provisioning password in the OS keyring
// (never in the database): the user name is the phone's MAC address.
type Credentials struct {
	Secrets selfcare.Secrets
	Rand    io.Reader // crypto/rand when nil
}

// CredentialKey names the keyring entry of a phone's password.
func CredentialKey(mac string) string { return "provision:" + mac }

// passwordLength is the number of random bytes in a generated password.
const passwordLength = 15

// Password returns the phone's password, or an error when none exists.
func (c Credentials) Password(mac string) (string, error) {
	pw, err := c.Secrets.Get(CredentialKey(mac))
	if err != nil {
		return "", fmt.Errorf("provisioning password of %s: %w", mac, err)
	}
	return pw, nil
}

// Ensure returns the phone's password, creating a random one the first
// time. A keyring that does not answer is an error, not a new password.
func (c Credentials) Ensure(mac string) (string, error) {
	if pw, err := c.Secrets.Get(CredentialKey(mac)); err == nil && pw != "" {
		return pw, nil
	} else if selfcare.ErrorCode(err) == selfcare.CodeSecretStore {
		return "", err
	}
	pw, err := c.generate()
	if err != nil {
		return "", err
	}
	if err := c.Secrets.Set(CredentialKey(mac), pw); err != nil {
		return "", fmt.Errorf("save provisioning password of %s: %w", mac, err)
	}
	return pw, nil
}

// Forget deletes the phone's password (the device was removed).
func (c Credentials) Forget(mac string) error { return c.Secrets.Delete(CredentialKey(mac)) }

// generate returns a password easy to type on a phone's keypad-less web
// form: 24 characters of base32, lower case.
func (c Credentials) generate() (string, error) {
	r := c.Rand
	if r == nil {
		r = rand.Reader
	}
	b := make([]byte, passwordLength)
	if _, err := io.ReadFull(r, b); err != nil {
		return "", fmt.Errorf("generate provisioning password: %w", err)
	}
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b)), nil
}
