package selfcare

import (
	"context"
	"fmt"
	"strconv"
)

// AccountStore is where SaveAccount keeps the account and notes password
// changes.
type AccountStore interface {
	AccountService
	SettingsService
}

// SaveAccount validates a, keeps password in sec under the account's key
// and saves a; nothing is saved when the account is invalid, the password
// empty or the keyring refuses it, and the password kept before comes
// back when the account cannot be saved. When the password differs from the one
// kept, it raises SettingPasswordRevision: the desk phones Ligne
// provisions carry the password, and the provisioning watcher, which does
// not read the keyring, sees the change there.
func SaveAccount(ctx context.Context, st AccountStore, sec Secrets, a Account, password string) error {
	if err := a.Validate(); err != nil {
		return err
	}
	if password == "" {
		return Errorf(CodeRequired, "password")
	}
	old, oldErr := sec.Get(a.SecretKey()) // none yet on first run
	if err := sec.Set(a.SecretKey(), password); err != nil {
		return err
	}
	if err := st.SetAccount(ctx, a); err != nil {
		restorePassword(sec, a.SecretKey(), old, oldErr == nil)
		return err
	}
	if old == password {
		return nil
	}
	rev, err := st.Setting(ctx, SettingPasswordRevision)
	if err != nil {
		return fmt.Errorf("save account: %w", err)
	}
	n, _ := strconv.Atoi(rev)
	if err := st.SetSetting(ctx, SettingPasswordRevision, strconv.Itoa(n+1)); err != nil {
		return fmt.Errorf("save account: %w", err)
	}
	return nil
}

// restorePassword puts back the password kept before a failed save.
func restorePassword(sec Secrets, key, old string, had bool) {
	if had {
		_ = sec.Set(key, old)
		return
	}
	_ = sec.Delete(key)
}
