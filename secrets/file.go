package secrets

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	"github.com/ligne-app/ligne/selfcare"
)

// FileName is the fallback password file, in the data folder.
const FileName = "secrets.json"

// fileFormat is what the fallback file holds.
type fileFormat struct {
	Version int               `json:"version"`
	Note    string            `json:"note"`
	Secrets map[string]string `json:"secrets"`
}

// fileNote is written at the top of the file for whoever opens it.
const fileNote = "Ligne keeps passwords here because no system keyring was available and the user agreed to it. " +
	"Readable by this account only (mode 0600). Delete this file to forget them."

// File keeps secrets in a JSON file readable only by the user (mode 0600
// in a 0700 folder): the fallback when no OS keyring is available, used
// only after the user agreed (see Store). Values are in clear: the file's
// permissions are the protection. Every change replaces the file
// atomically (write, sync, rename).
type File struct {
	path string
	mu   sync.Mutex
}

var _ selfcare.Secrets = (*File)(nil)

// NewFile returns the fallback store of a data folder.
func NewFile(dir string) *File { return &File{path: filepath.Join(dir, FileName)} }

// Path is the file's location.
func (f *File) Path() string { return f.path }

// Get returns the secret stored under key.
func (f *File) Get(key string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	m, err := f.load()
	if err != nil {
		return "", err
	}
	v, ok := m[key]
	if !ok {
		return "", ErrNotFound
	}
	return v, nil
}

// Set stores value under key.
func (f *File) Set(key, value string) error {
	return f.update(func(m map[string]string) { m[key] = value })
}

// Delete removes key; a missing key is not an error.
func (f *File) Delete(key string) error {
	return f.update(func(m map[string]string) { delete(m, key) })
}

// Remove deletes the whole file.
func (f *File) Remove() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := os.Remove(f.path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("remove %s: %w", f.path, err)
	}
	return nil
}

// all returns every secret of the file (for moving them to the keyring).
func (f *File) all() (map[string]string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.load()
}

func (f *File) update(change func(map[string]string)) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	m, err := f.load()
	if err != nil {
		return err
	}
	change(m)
	return f.save(m)
}

// load reads the file; a missing file is an empty one. A file other
// accounts can read is refused.
func (f *File) load() (map[string]string, error) {
	st, err := os.Stat(f.path)
	if errors.Is(err, os.ErrNotExist) {
		return map[string]string{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("password file: %w", err)
	}
	if runtime.GOOS != "windows" && st.Mode().Perm()&0o077 != 0 {
		return nil, selfcare.Errorf(selfcare.CodeSecretFileUnsafe, "", f.path)
	}
	b, err := os.ReadFile(f.path)
	if err != nil {
		return nil, fmt.Errorf("password file: %w", err)
	}
	var ff fileFormat
	if err := json.Unmarshal(b, &ff); err != nil {
		return nil, fmt.Errorf("password file %s: %w", f.path, err)
	}
	if ff.Secrets == nil {
		ff.Secrets = map[string]string{}
	}
	return ff.Secrets, nil
}

// save replaces the file with m: a private temporary file, synced, then
// renamed over the old one.
func (f *File) save(m map[string]string) error {
	b, err := json.MarshalIndent(fileFormat{Version: 1, Note: fileNote, Secrets: m}, "", "  ")
	if err != nil {
		return fmt.Errorf("password file: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(f.path), ".secrets-*.tmp")
	if err != nil {
		return fmt.Errorf("password file: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := writeSynced(tmp, b); err != nil {
		return fmt.Errorf("password file: %w", err)
	}
	if err := os.Rename(tmp.Name(), f.path); err != nil {
		return fmt.Errorf("password file: %w", err)
	}
	return nil
}

// writeSynced writes b to a 0600 file, syncs and closes it.
func writeSynced(tmp *os.File, b []byte) error {
	err := tmp.Chmod(0o600)
	if err == nil {
		_, err = tmp.Write(b)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	return err
}
