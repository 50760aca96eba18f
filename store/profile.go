package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/ligne-app/ligne/selfcare"
)

// Profile returns the organization profile last applied, or CodeNotFound.
func (db *DB) Profile(ctx context.Context) (selfcare.Profile, error) {
	var body string
	err := db.readTx(ctx, "read profile", func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `SELECT body FROM profile WHERE id = 1`).Scan(&body)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return selfcare.Profile{}, selfcare.Errorf(selfcare.CodeNotFound, "profile")
	}
	if err != nil {
		return selfcare.Profile{}, err
	}
	var p selfcare.Profile
	if err := json.Unmarshal([]byte(body), &p); err != nil {
		return p, fmt.Errorf("read profile: decode: %w", err)
	}
	return p, nil
}

// ApplyProfile validates p and replaces, in one transaction, everything the
// administrator owns: the profile itself, the lines and the directory.
// Devices of the profile whose MAC is unknown are added; the user's own
// devices, keys, rules and external contacts are kept. An invalid profile
// changes nothing.
func (db *DB) ApplyProfile(ctx context.Context, p selfcare.Profile) error {
	p, err := p.Normalize()
	if err != nil {
		return err
	}
	return db.writeTx(ctx, "apply profile", func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO profile (id, body, applied_at) VALUES (1, ?, ?)
			ON CONFLICT (id) DO UPDATE SET body = excluded.body, applied_at = excluded.applied_at`,
			jsonText(p), ms(db.now())); err != nil {
			return err
		}
		if err := replaceLines(ctx, tx, p.Lines()); err != nil {
			return err
		}
		if err := replaceDirectory(ctx, tx, "profile", p.DirectoryContacts()); err != nil {
			return err
		}
		return addProfileDevices(ctx, tx, p.User.Devices)
	})
}

// replaceLines upserts lines and removes those no longer declared. A line
// still used by a device cannot be removed (foreign key).
func replaceLines(ctx context.Context, tx *sql.Tx, lines []selfcare.Line) error {
	keep := make([]string, 0, len(lines))
	for _, l := range lines {
		keep = append(keep, "'"+string(l.Kind)+"'")
		if _, err := tx.ExecContext(ctx, `INSERT INTO lines (kind, label, extension, numbers) VALUES (?, ?, ?, ?)
			ON CONFLICT (kind) DO UPDATE SET label = excluded.label, extension = excluded.extension,
			numbers = excluded.numbers`, string(l.Kind), l.Label, l.Extension, jsonText(l.Numbers)); err != nil {
			return fmt.Errorf("save line %s: %w", l.Kind, err)
		}
	}
	q := `DELETE FROM lines`
	if len(keep) > 0 {
		q += ` WHERE kind NOT IN (` + strings.Join(keep, ",") + `)`
	}
	_, err := tx.ExecContext(ctx, q)
	return err
}

// addProfileDevices inserts the profile's devices that are not known yet.
func addProfileDevices(ctx context.Context, tx *sql.Tx, devs []selfcare.ProfileDevice) error {
	for _, pd := range devs {
		m, _ := selfcare.FindModel(pd.Model)
		d := selfcare.Device{Model: m.Name, MAC: pd.MAC, Label: pd.Label, Line: pd.Line, Settings: selfcare.DefaultDeviceSettings(m)}
		if _, err := insertDevice(ctx, tx, d, true); err != nil {
			return err
		}
	}
	return nil
}

// Lines returns the user's lines, fixed first.
func (db *DB) Lines(ctx context.Context) ([]selfcare.Line, error) {
	var out []selfcare.Line
	err := db.readTx(ctx, "read lines", func(tx *sql.Tx) error {
		var err error
		out, err = readLines(ctx, tx)
		return err
	})
	return out, err
}

func readLines(ctx context.Context, tx *sql.Tx) ([]selfcare.Line, error) {
	rows, err := tx.QueryContext(ctx, `SELECT kind, label, extension, numbers FROM lines ORDER BY kind = 'mobile', kind`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []selfcare.Line
	for rows.Next() {
		var l selfcare.Line
		var nums string
		if err := rows.Scan(&l.Kind, &l.Label, &l.Extension, &nums); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(nums), &l.Numbers); err != nil {
			return nil, fmt.Errorf("line %s numbers: %w", l.Kind, err)
		}
		out = append(out, l)
	}
	return out, rows.Err()
}
