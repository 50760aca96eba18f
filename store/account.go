package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/ligne-app/ligne/selfcare"
)

var _ selfcare.Services = (*DB)(nil)

// Account returns the SIP account, or CodeNoAccount on first run.
func (db *DB) Account(ctx context.Context) (selfcare.Account, error) {
	var a selfcare.Account
	var demo int
	err := db.readTx(ctx, "read account", func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `SELECT display_name, sip_user, auth_user, domain, registrar,
			outbound_proxy, transport, tls_pin, srtp, demo FROM account WHERE id = 1`).Scan(
			&a.DisplayName, &a.User, &a.AuthUser, &a.Domain, &a.Registrar, &a.OutboundProxy,
			&a.Transport, &a.TLSInsecurePin, &a.SRTP, &demo)
	})
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return a, selfcare.Errorf(selfcare.CodeNoAccount, "")
		}
		return a, err
	}
	a.Demo = demo == 1
	return a, nil
}

// SetAccount validates and saves the account.
func (db *DB) SetAccount(ctx context.Context, a selfcare.Account) error {
	if a.Transport == "" {
		a.Transport = selfcare.TransportUDP
	}
	if err := a.Validate(); err != nil {
		return err
	}
	return db.writeTx(ctx, "save account", func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO account (id, display_name, sip_user, auth_user, domain,
			registrar, outbound_proxy, transport, tls_pin, srtp, demo) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET display_name = excluded.display_name, sip_user = excluded.sip_user,
			auth_user = excluded.auth_user, domain = excluded.domain, registrar = excluded.registrar,
			outbound_proxy = excluded.outbound_proxy, transport = excluded.transport,
			tls_pin = excluded.tls_pin, srtp = excluded.srtp, demo = excluded.demo`,
			a.DisplayName, a.User, a.AuthUser, a.Domain, a.Registrar, a.OutboundProxy,
			string(a.Transport), a.TLSInsecurePin, string(a.SRTP), boolInt(a.Demo))
		return err
	})
}

// Setting returns a preference, "" when unset.
func (db *DB) Setting(ctx context.Context, key string) (string, error) {
	var v string
	err := db.readTx(ctx, "read setting "+key, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
		if err == sql.ErrNoRows {
			return nil
		}
		return err
	})
	return v, err
}

// SetSetting saves a preference.
func (db *DB) SetSetting(ctx context.Context, key, value string) error {
	return db.writeTx(ctx, "save setting "+key, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
		return err
	})
}
