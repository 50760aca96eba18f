package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"github.com/ligne-app/ligne/selfcare"
)

// Presented returns the presented number of line, or the line's default
// when the user never chose.
func (db *DB) Presented(ctx context.Context, line selfcare.LineKind) (selfcare.PresentedNumber, error) {
	p := selfcare.PresentedNumber{Line: line}
	err := db.readTx(ctx, "read presented number", func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT kind, number FROM presented WHERE line = ?`, string(line)).Scan(&p.Kind, &p.Number)
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		lines, prof, err := linesAndProfile(ctx, tx)
		if err != nil {
			return err
		}
		p = selfcare.DefaultPresented(line, lines, prof)
		return nil
	})
	return p, err
}

// SetPresented checks the choice against the options and saves it.
func (db *DB) SetPresented(ctx context.Context, p selfcare.PresentedNumber) error {
	return db.writeTx(ctx, "save presented number", func(tx *sql.Tx) error {
		lines, prof, err := linesAndProfile(ctx, tx)
		if err != nil {
			return err
		}
		if err := selfcare.ValidatePresented(p, lines, prof); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO presented (line, kind, number) VALUES (?, ?, ?)
			ON CONFLICT (line) DO UPDATE SET kind = excluded.kind, number = excluded.number`,
			string(p.Line), string(p.Kind), p.Number)
		return err
	})
}

// linesAndProfile reads what presented-number and key rules depend on.
func linesAndProfile(ctx context.Context, tx *sql.Tx) ([]selfcare.Line, selfcare.Profile, error) {
	lines, err := readLines(ctx, tx)
	if err != nil {
		return nil, selfcare.Profile{}, err
	}
	var prof selfcare.Profile
	var body string
	err = tx.QueryRowContext(ctx, `SELECT body FROM profile WHERE id = 1`).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return lines, prof, nil
	}
	if err != nil {
		return nil, prof, err
	}
	return lines, prof, json.Unmarshal([]byte(body), &prof)
}

// Keys returns the function keys in position order.
func (db *DB) Keys(ctx context.Context) ([]selfcare.FunctionKey, error) {
	var out []selfcare.FunctionKey
	err := db.readTx(ctx, "read function keys", func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT position, kind, contact_id, label, number FROM function_keys ORDER BY position`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var k selfcare.FunctionKey
			if err := rows.Scan(&k.Position, &k.Kind, &k.ContactID, &k.Label, &k.Number); err != nil {
				return err
			}
			out = append(out, k)
		}
		return rows.Err()
	})
	return out, err
}

// SetKeys replaces the whole key set after checking it against contacts,
// rights and the smallest device's capacity. Each key's Number is filled
// from its contact (extension for supervision, first number for shortcuts).
func (db *DB) SetKeys(ctx context.Context, keys []selfcare.FunctionKey) error {
	return db.writeTx(ctx, "save function keys", func(tx *sql.Tx) error {
		_, prof, err := linesAndProfile(ctx, tx)
		if err != nil {
			return err
		}
		idx := txContacts{ctx: ctx, tx: tx}
		capacity, model, err := smallestCapacity(ctx, tx)
		if err != nil {
			return err
		}
		if err := selfcare.ValidateKeys(keys, idx, prof.Rights, capacity, model); err != nil {
			return err
		}
		if err := checkSupervisableKeys(keys, prof); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM function_keys`); err != nil {
			return err
		}
		for _, k := range keys {
			c, _ := idx.Contact(k.ContactID)
			if _, err := tx.ExecContext(ctx, `INSERT INTO function_keys (position, kind, contact_id, label, number)
				VALUES (?, ?, ?, ?, ?)`, k.Position, string(k.Kind), k.ContactID, k.Label, c.FirstNumber()); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, `UPDATE devices SET config_version = config_version + 1`)
		return err
	})
}

// smallestCapacity returns the function key capacity of the user's most limited
// device and its model name (0 and "" without devices).
func smallestCapacity(ctx context.Context, tx *sql.Tx) (int, string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT DISTINCT model FROM devices`)
	if err != nil {
		return 0, "", err
	}
	defer rows.Close()
	best, name := 0, ""
	for rows.Next() {
		var model string
		if err := rows.Scan(&model); err != nil {
			return 0, "", err
		}
		if m, ok := selfcare.FindModel(model); ok && (best == 0 || m.FunctionKeyCapacity() < best) {
			best, name = m.FunctionKeyCapacity(), m.Name
		}
	}
	return best, name, rows.Err()
}

// checkSupervisableKeys refuses a supervision key on a colleague the
// profile marks as not supervisable, as the Contacts screen does.
func checkSupervisableKeys(keys []selfcare.FunctionKey, prof selfcare.Profile) error {
	for _, k := range keys {
		if k.Kind != selfcare.KeySupervision {
			continue
		}
		for _, d := range prof.Directory {
			if "dir:"+d.ID == k.ContactID && !d.Supervisable {
				return selfcare.Errorf(selfcare.CodeNotSupervisable, "keys", d.Name)
			}
		}
	}
	return nil
}
