package store

import (
	"context"
	"database/sql"
	"strings"

	"github.com/ligne-app/ligne/selfcare"
)

const deviceColumns = `id, model, mac, label, line, audio_quality, show_supervised_caller, ringtone,
	custom_ringtone_path, lock_enabled, lock_code, lock_timeout, config_version`

// Devices returns the user's desk phones in the order they were added.
func (db *DB) Devices(ctx context.Context) ([]selfcare.Device, error) {
	var out []selfcare.Device
	err := db.readTx(ctx, "read devices", func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+deviceColumns+` FROM devices ORDER BY id`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			d, err := scanDevice(rows)
			if err != nil {
				return err
			}
			out = append(out, d)
		}
		return rows.Err()
	})
	return out, err
}

type scanner interface{ Scan(dest ...any) error }

func scanDevice(r scanner) (selfcare.Device, error) {
	var d selfcare.Device
	var show, lock int
	s := &d.Settings
	err := r.Scan(&d.ID, &d.Model, &d.MAC, &d.Label, &d.Line, &s.AudioQuality, &show, &s.Ringtone,
		&s.CustomRingtonePath, &lock, &s.LockCode, &s.LockTimeout, &d.ConfigVersion)
	s.ShowSupervisedCaller, s.LockEnabled = show == 1, lock == 1
	return d, err
}

// AddDevice validates and adds a device. Its MAC must be new.
func (db *DB) AddDevice(ctx context.Context, d selfcare.Device) (selfcare.Device, error) {
	mac, err := selfcare.NormalizeMAC("mac", d.MAC)
	if err != nil {
		return d, err
	}
	d.MAC = mac
	if m, ok := selfcare.FindModel(d.Model); ok {
		d.Model = m.Name
		if d.Settings == (selfcare.DeviceSettings{}) {
			d.Settings = selfcare.DefaultDeviceSettings(m)
		}
	}
	if d.Line == "" {
		d.Line = selfcare.LineFixed
	}
	if err := d.Validate(); err != nil {
		return d, err
	}
	err = db.writeTx(ctx, "add device", func(tx *sql.Tx) error {
		d.ID, err = insertDevice(ctx, tx, d, false)
		return err
	})
	d.ConfigVersion = 1
	return d, err
}

// insertDevice adds d; with ignoreKnown, an existing MAC is left as it is.
func insertDevice(ctx context.Context, tx *sql.Tx, d selfcare.Device, ignoreKnown bool) (int64, error) {
	var exists int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM devices WHERE mac = ?`, d.MAC).Scan(&exists); err != nil {
		return 0, err
	}
	if exists > 0 {
		if ignoreKnown {
			return 0, nil
		}
		return 0, selfcare.Errorf(selfcare.CodeDeviceExists, "mac", strings.ToUpper(d.MAC))
	}
	s := d.Settings
	res, err := tx.ExecContext(ctx, `INSERT INTO devices (model, mac, label, line, audio_quality,
		show_supervised_caller, ringtone, custom_ringtone_path, lock_enabled, lock_code, lock_timeout)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, d.Model, d.MAC, d.Label, string(d.Line),
		string(s.AudioQuality), boolInt(s.ShowSupervisedCaller), s.Ringtone, s.CustomRingtonePath,
		boolInt(s.LockEnabled), s.LockCode, s.LockTimeout)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// UpdateDevice saves label, line and settings, and raises ConfigVersion so
// the phone fetches its configuration again.
func (db *DB) UpdateDevice(ctx context.Context, d selfcare.Device) (selfcare.Device, error) {
	if err := d.Validate(); err != nil {
		return d, err
	}
	err := db.writeTx(ctx, "update device", func(tx *sql.Tx) error {
		s := d.Settings
		res, err := tx.ExecContext(ctx, `UPDATE devices SET label = ?, line = ?, audio_quality = ?,
			show_supervised_caller = ?, ringtone = ?, custom_ringtone_path = ?, lock_enabled = ?,
			lock_code = ?, lock_timeout = ?, config_version = config_version + 1 WHERE id = ?`,
			d.Label, string(d.Line), string(s.AudioQuality), boolInt(s.ShowSupervisedCaller), s.Ringtone,
			s.CustomRingtonePath, boolInt(s.LockEnabled), s.LockCode, s.LockTimeout, d.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return selfcare.Errorf(selfcare.CodeNotFound, "device")
		}
		return tx.QueryRowContext(ctx, `SELECT config_version FROM devices WHERE id = ?`, d.ID).Scan(&d.ConfigVersion)
	})
	return d, err
}

// RemoveDevice deletes a device.
func (db *DB) RemoveDevice(ctx context.Context, id int64) error {
	return db.writeTx(ctx, "remove device", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM devices WHERE id = ?`, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return selfcare.Errorf(selfcare.CodeNotFound, "device")
		}
		return nil
	})
}

// BumpConfigVersions raises every device's configuration version (after a
// change that all phones render, such as forwarding or keys).
func (db *DB) BumpConfigVersions(ctx context.Context) error {
	return db.writeTx(ctx, "bump config versions", func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE devices SET config_version = config_version + 1`)
		return err
	})
}
