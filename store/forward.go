package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"github.com/ligne-app/ligne/selfcare"
)

// ForwardRules returns the rules of line, with the guide's defaults for the
// rules never saved.
func (db *DB) ForwardRules(ctx context.Context, line selfcare.LineKind) ([]selfcare.ForwardRule, error) {
	var out []selfcare.ForwardRule
	err := db.readTx(ctx, "read forwarding", func(tx *sql.Tx) error {
		var err error
		out, err = readRules(ctx, tx, line)
		return err
	})
	return out, err
}

func readRules(ctx context.Context, tx *sql.Tx, line selfcare.LineKind) ([]selfcare.ForwardRule, error) {
	rules := selfcare.DefaultForwardRules(line)
	rows, err := tx.QueryContext(ctx, `SELECT kind, active, target, number, delay_s, period_from, period_until, hours
		FROM forward_rules WHERE line = ?`, string(line))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		r, err := scanRule(rows, line)
		if err != nil {
			return nil, err
		}
		for i := range rules {
			if rules[i].Kind == r.Kind {
				rules[i] = r
			}
		}
	}
	return rules, rows.Err()
}

func scanRule(rows *sql.Rows, line selfcare.LineKind) (selfcare.ForwardRule, error) {
	r := selfcare.ForwardRule{Line: line}
	var active int
	var delay, from, until int64
	var hours string
	if err := rows.Scan(&r.Kind, &active, &r.Target, &r.Number, &delay, &from, &until, &hours); err != nil {
		return r, err
	}
	r.Active, r.Delay = active == 1, time.Duration(delay)*time.Second
	r.Schedule.From, r.Schedule.Until = fromMS(from), fromMS(until)
	if hours != "" {
		r.Schedule.Hours = new(selfcare.WeeklyHours)
		if err := json.Unmarshal([]byte(hours), r.Schedule.Hours); err != nil {
			return r, err
		}
	}
	return r, nil
}

// SetForwardRule validates r against the other rules of its line and saves
// it; nothing changes on error. It returns the line's rules after the change.
func (db *DB) SetForwardRule(ctx context.Context, r selfcare.ForwardRule) ([]selfcare.ForwardRule, error) {
	var next []selfcare.ForwardRule
	err := db.writeTx(ctx, "save forwarding", func(tx *sql.Tx) error {
		current, err := readRules(ctx, tx, r.Line)
		if err != nil {
			return err
		}
		if next, err = selfcare.ApplyForwardRule(current, r, db.now()); err != nil {
			return err
		}
		saved, _ := selfcare.FindRule(next, r.Kind)
		if err := writeRule(ctx, tx, saved); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE devices SET config_version = config_version + 1`)
		return err
	})
	return next, err
}

func writeRule(ctx context.Context, tx *sql.Tx, r selfcare.ForwardRule) error {
	hours := ""
	if r.Schedule.Hours != nil {
		hours = jsonText(r.Schedule.Hours)
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO forward_rules (line, kind, active, target, number, delay_s,
		period_from, period_until, hours) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (line, kind) DO UPDATE SET active = excluded.active, target = excluded.target,
		number = excluded.number, delay_s = excluded.delay_s, period_from = excluded.period_from,
		period_until = excluded.period_until, hours = excluded.hours`,
		string(r.Line), string(r.Kind), boolInt(r.Active), string(r.Target), r.Number,
		int64(r.Delay/time.Second), ms(r.Schedule.From), ms(r.Schedule.Until), hours)
	return err
}

// DND returns the Do Not Disturb state.
func (db *DB) DND(ctx context.Context) (bool, error) {
	var on int
	err := db.readTx(ctx, "read dnd", func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `SELECT dnd FROM state WHERE id = 1`).Scan(&on)
	})
	return on == 1, err
}

// SetDND saves the Do Not Disturb state.
func (db *DB) SetDND(ctx context.Context, on bool) error {
	return db.writeTx(ctx, "save dnd", func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE state SET dnd = ? WHERE id = 1`, boolInt(on)); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE devices SET config_version = config_version + 1`)
		return err
	})
}
