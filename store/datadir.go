package store

import (
	"fmt"
	"os"
	"path/filepath"
)

// DefaultDir returns the per-user data folder: the OS user config dir
// (~/.config, ~/Library/Application Support, %AppData%) plus "Ligne".
func DefaultDir() (string, error) {
	base, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("find data folder: %w", err)
	}
	return filepath.Join(base, "Ligne"), nil
}
