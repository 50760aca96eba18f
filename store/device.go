package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/ligne-app/ligne/selfcare"
)

const deviceColumns = `id, model, mac, label, line, audio_quality, show_supervised_caller, ringtone,
	custom_ringtone_path, lock_enabled, lock_code, lock_timeout, config_version, sip_address`

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
		&s.CustomRingtonePath, &lock, &s.LockCode, &s.LockTimeout, &d.ConfigVersion, &d.SIPAddress)
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
	if err := validateDevice(d); err != nil {
		return d, err
	}
	err = db.writeTx(ctx, "add device", func(tx *sql.Tx) error {
		if err := lineExists(ctx, tx, d.Line); err != nil {
			return err
		}
		d.ID, err = insertDevice(ctx, tx, d, false)
		return err
	})
	d.ConfigVersion = 1
	return d, err
}

// lineExists refuses a phone on a line the profile has not created yet
// (the database would refuse it with a foreign key error the user cannot
// read).
func lineExists(ctx context.Context, tx *sql.Tx, line selfcare.LineKind) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM lines WHERE kind = ?`, string(line)).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return selfcare.Errorf(selfcare.CodeLineMissing, "line", string(line))
	}
	return nil
}

// validateDevice checks a device and its typed-in SIP address.
func validateDevice(d selfcare.Device) error {
	if err := d.Validate(); err != nil {
		return err
	}
	return selfcare.ValidateSIPAddress("sip_address", d.SIPAddress)
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
		show_supervised_caller, ringtone, custom_ringtone_path, lock_enabled, lock_code, lock_timeout, sip_address)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, d.Model, d.MAC, d.Label, string(d.Line),
		string(s.AudioQuality), boolInt(s.ShowSupervisedCaller), s.Ringtone, s.CustomRingtonePath,
		boolInt(s.LockEnabled), s.LockCode, s.LockTimeout, d.SIPAddress)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// UpdateDevice saves label, line and settings, and raises ConfigVersion so
// the phone fetches its configuration again.
func (db *DB) UpdateDevice(ctx context.Context, d selfcare.Device) (selfcare.Device, error) {
	if err := validateDevice(d); err != nil {
		return d, err
	}
	err := db.writeTx(ctx, "update device", func(tx *sql.Tx) error {
		s := d.Settings
		res, err := tx.ExecContext(ctx, `UPDATE devices SET label = ?, line = ?, audio_quality = ?,
			show_supervised_caller = ?, ringtone = ?, custom_ringtone_path = ?, lock_enabled = ?,
			lock_code = ?, lock_timeout = ?, sip_address = ?, config_version = config_version + 1 WHERE id = ?`,
			d.Label, string(d.Line), string(s.AudioQuality), boolInt(s.ShowSupervisedCaller), s.Ringtone,
			s.CustomRingtonePath, boolInt(s.LockEnabled), s.LockCode, s.LockTimeout, d.SIPAddress, d.ID)
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

// maxFetchesPerDevice bounds the fetch log: older rows are dropped.
const maxFetchesPerDevice = 100

// RecordFetch logs one configuration download by a phone and keeps the
// log of that phone bounded.
func (db *DB) RecordFetch(ctx context.Context, f selfcare.Fetch) error {
	return db.writeTx(ctx, "record fetch", func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO device_fetches (device_id, at, file, user_agent, remote, version)
			VALUES (?, ?, ?, ?, ?, ?)`, f.DeviceID, ms(f.At), f.File, f.UserAgent, f.Remote, f.Version)
		if err != nil {
			return notFoundFK(err)
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM device_fetches WHERE device_id = ? AND id NOT IN
			(SELECT id FROM device_fetches WHERE device_id = ? ORDER BY at DESC, id DESC LIMIT ?)`,
			f.DeviceID, f.DeviceID, maxFetchesPerDevice)
		return err
	})
}

// notFoundFK reports a row pointing at a device that no longer exists.
func notFoundFK(err error) error {
	if err != nil && strings.Contains(err.Error(), "FOREIGN KEY") {
		return selfcare.Errorf(selfcare.CodeNotFound, "device")
	}
	return err
}

// Fetches returns the device's last downloads, newest first.
func (db *DB) Fetches(ctx context.Context, deviceID int64, limit int) ([]selfcare.Fetch, error) {
	var out []selfcare.Fetch
	err := db.readTx(ctx, "read fetches", func(tx *sql.Tx) error {
		var err error
		out, err = readFetches(ctx, tx, deviceID, limit)
		return err
	})
	return out, err
}

func readFetches(ctx context.Context, tx *sql.Tx, deviceID int64, limit int) ([]selfcare.Fetch, error) {
	rows, err := tx.QueryContext(ctx, `SELECT at, file, user_agent, remote, version FROM device_fetches
		WHERE device_id = ? ORDER BY at DESC, id DESC LIMIT ?`, deviceID, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []selfcare.Fetch
	for rows.Next() {
		f := selfcare.Fetch{DeviceID: deviceID}
		var at int64
		if err := rows.Scan(&at, &f.File, &f.UserAgent, &f.Remote, &f.Version); err != nil {
			return nil, err
		}
		f.At = fromMS(at)
		out = append(out, f)
	}
	return out, rows.Err()
}

// RecordSync saves the outcome of a check-sync with the configuration
// (hash and version) it announced.
func (db *DB) RecordSync(ctx context.Context, deviceID int64, r selfcare.SyncResult, hash string, version int64) error {
	return db.writeTx(ctx, "record sync", func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO device_sync (device_id, at, target, status, reason, pushed_hash, pushed_version)
			VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (device_id) DO UPDATE SET at = excluded.at,
			target = excluded.target, status = excluded.status, reason = excluded.reason,
			pushed_hash = excluded.pushed_hash, pushed_version = excluded.pushed_version`,
			deviceID, ms(r.At), r.Target, r.Status, r.Reason, hash, version)
		return notFoundFK(err)
	})
}

// SyncState returns what the phone last fetched, how the last push went
// and where the next one goes.
func (db *DB) SyncState(ctx context.Context, deviceID int64) (selfcare.SyncState, error) {
	var s selfcare.SyncState
	err := db.readTx(ctx, "read sync state", func(tx *sql.Tx) error {
		var typed string
		err := tx.QueryRowContext(ctx, `SELECT sip_address FROM devices WHERE id = ?`, deviceID).Scan(&typed)
		if err != nil {
			return notFound(err, "device")
		}
		if err := readPush(ctx, tx, deviceID, &s); err != nil {
			return err
		}
		if err := readLastFetch(ctx, tx, deviceID, &s); err != nil {
			return err
		}
		s.Address = typed
		if s.Address == "" {
			s.Address = s.LastFetch.Remote
		}
		return nil
	})
	return s, err
}

// readPush fills the last check-sync of the device, if any.
func readPush(ctx context.Context, tx *sql.Tx, deviceID int64, s *selfcare.SyncState) error {
	var at int64
	err := tx.QueryRowContext(ctx, `SELECT at, target, status, reason, pushed_hash, pushed_version
		FROM device_sync WHERE device_id = ?`, deviceID).Scan(&at, &s.Push.Target, &s.Push.Status,
		&s.Push.Reason, &s.PushedHash, &s.PushedVersion)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	s.Push.At = fromMS(at)
	return err
}

// readLastFetch fills the last download and the highest version fetched.
func readLastFetch(ctx context.Context, tx *sql.Tx, deviceID int64, s *selfcare.SyncState) error {
	last, err := readFetches(ctx, tx, deviceID, 1)
	if err != nil || len(last) == 0 {
		return err
	}
	s.LastFetch = last[0]
	return tx.QueryRowContext(ctx, `SELECT max(version) FROM device_fetches WHERE device_id = ?`, deviceID).Scan(&s.Fetched)
}

// SetDeviceAddress saves the SIP address typed in for check-sync. It does
// not change the configuration, so the version stays.
func (db *DB) SetDeviceAddress(ctx context.Context, deviceID int64, address string) error {
	address = strings.TrimSpace(address)
	if err := selfcare.ValidateSIPAddress("sip_address", address); err != nil {
		return err
	}
	return db.writeTx(ctx, "set device address", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE devices SET sip_address = ? WHERE id = ?`, address, deviceID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return selfcare.Errorf(selfcare.CodeNotFound, "device")
		}
		return nil
	})
}

// BumpDeviceConfig raises one device's configuration version past `past`
// and returns it; a version already past it (a setting changed meanwhile
// raised it) is left alone, so one change never counts twice.
func (db *DB) BumpDeviceConfig(ctx context.Context, deviceID, past int64) (int64, error) {
	var v int64
	err := db.writeTx(ctx, "bump device config", func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `UPDATE devices SET config_version = max(config_version, ? + 1) WHERE id = ?
			RETURNING config_version`, past, deviceID).Scan(&v)
		return notFound(err, "device")
	})
	return v, err
}

var _ selfcare.ProvisioningLog = (*DB)(nil)
