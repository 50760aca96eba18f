// Package secrets keeps passwords in the operating system's keyring
// (Secret Service on Linux, Keychain on macOS, Credential Manager on
// Windows) through github.com/zalando/go-keyring. Nothing here writes a
// secret to the database, a log or a file.
package secrets

import (
	"errors"
	"fmt"
	"sync"

	"github.com/ligne-app/ligne/selfcare"
	"github.com/zalando/go-keyring"
)

// Service is the keyring service name under which Ligne files its entries.
const Service = "Ligne"

// ErrNotFound reports a key with no secret.
var ErrNotFound = errors.New("secret not found")

// Keyring is the OS keyring.
type Keyring struct{}

var _ selfcare.Secrets = Keyring{}

// Get returns the secret stored under key.
func (Keyring) Get(key string) (string, error) {
	v, err := keyring.Get(Service, key)
	if errors.Is(err, keyring.ErrNotFound) {
		return "", ErrNotFound
	}
	if err != nil {
		return "", unavailable(err)
	}
	return v, nil
}

// Set stores value under key.
func (Keyring) Set(key, value string) error {
	if err := keyring.Set(Service, key, value); err != nil {
		return unavailable(err)
	}
	return nil
}

// Delete removes the secret under key; a missing key is not an error.
func (Keyring) Delete(key string) error {
	err := keyring.Delete(Service, key)
	if err == nil || errors.Is(err, keyring.ErrNotFound) {
		return nil
	}
	return unavailable(err)
}

// unavailable turns a keyring failure into the domain error the user reads.
func unavailable(err error) error {
	return fmt.Errorf("keyring: %w", selfcare.Errorf(selfcare.CodeSecretStore, "", err.Error()))
}

// Memory keeps secrets in memory only: for tests and for the demo.
type Memory struct {
	mu sync.Mutex
	m  map[string]string
}

var _ selfcare.Secrets = (*Memory)(nil)

// Get returns the secret stored under key.
func (s *Memory) Get(key string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.m[key]
	if !ok {
		return "", ErrNotFound
	}
	return v, nil
}

// Set stores value under key.
func (s *Memory) Set(key, value string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = map[string]string{}
	}
	s.m[key] = value
	return nil
}

// Delete removes key.
func (s *Memory) Delete(key string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, key)
	return nil
}
