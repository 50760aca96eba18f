package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/ligne-app/ligne/selfcare"
)

// VoicemailSettings returns the settings of line (defaults when unsaved).
func (db *DB) VoicemailSettings(ctx context.Context, line selfcare.LineKind) (selfcare.VoicemailSettings, error) {
	s := selfcare.DefaultVoicemailSettings(line)
	err := db.readTx(ctx, "read voicemail settings", func(tx *sql.Tx) error {
		var body string
		err := tx.QueryRowContext(ctx, `SELECT body FROM voicemail_settings WHERE line = ?`, string(line)).Scan(&body)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		return json.Unmarshal([]byte(body), &s)
	})
	return s, err
}

// SetVoicemailSettings validates and saves the settings of one line.
func (db *DB) SetVoicemailSettings(ctx context.Context, s selfcare.VoicemailSettings) (selfcare.VoicemailSettings, error) {
	s, err := s.Validate()
	if err != nil {
		return s, err
	}
	err = db.writeTx(ctx, "save voicemail settings", func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO voicemail_settings (line, body) VALUES (?, ?)
			ON CONFLICT (line) DO UPDATE SET body = excluded.body`, string(s.Line), jsonText(s))
		return err
	})
	return s, err
}

// Greetings returns the greetings of line, oldest first.
func (db *DB) Greetings(ctx context.Context, line selfcare.LineKind) ([]selfcare.Greeting, error) {
	var out []selfcare.Greeting
	err := db.readTx(ctx, "read greetings", func(tx *sql.Tx) error {
		var err error
		out, err = readGreetings(ctx, tx, line)
		return err
	})
	return out, err
}

func readGreetings(ctx context.Context, tx *sql.Tx, line selfcare.LineKind) ([]selfcare.Greeting, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, line, name, path, duration_ms, in_use, created FROM greetings
		WHERE line = ? ORDER BY id`, string(line))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []selfcare.Greeting
	for rows.Next() {
		var g selfcare.Greeting
		var dur, created int64
		var inUse int
		if err := rows.Scan(&g.ID, &g.Line, &g.Name, &g.Path, &dur, &inUse, &created); err != nil {
			return nil, err
		}
		g.Duration, g.InUse, g.Created = time.Duration(dur)*time.Millisecond, inUse == 1, fromMS(created)
		out = append(out, g)
	}
	return out, rows.Err()
}

// greetingByID returns one greeting or CodeNotFound.
func greetingByID(ctx context.Context, tx *sql.Tx, id int64) (selfcare.Greeting, []selfcare.Greeting, error) {
	var line string
	if err := tx.QueryRowContext(ctx, `SELECT line FROM greetings WHERE id = ?`, id).Scan(&line); err != nil {
		return selfcare.Greeting{}, nil, notFound(err, "greeting")
	}
	all, err := readGreetings(ctx, tx, selfcare.LineKind(line))
	for _, g := range all {
		if g.ID == id {
			return g, all, err
		}
	}
	return selfcare.Greeting{}, nil, selfcare.Errorf(selfcare.CodeNotFound, "greeting")
}

// AddGreeting records a greeting whose audio file is already in place
// (relative path g.Path). With g.InUse it becomes the one in use.
func (db *DB) AddGreeting(ctx context.Context, g selfcare.Greeting) (selfcare.Greeting, error) {
	err := db.writeTx(ctx, "add greeting", func(tx *sql.Tx) error {
		others, err := readGreetings(ctx, tx, g.Line)
		if err != nil {
			return err
		}
		g.ID = 0
		if err := selfcare.ValidateGreeting(g, others); err != nil {
			return err
		}
		if g.InUse {
			if _, err := tx.ExecContext(ctx, `UPDATE greetings SET in_use = 0 WHERE line = ?`, string(g.Line)); err != nil {
				return err
			}
		}
		g.Created = db.now()
		res, err := tx.ExecContext(ctx, `INSERT INTO greetings (line, name, path, duration_ms, in_use, created)
			VALUES (?, ?, ?, ?, ?, ?)`, string(g.Line), g.Name, g.Path, g.Duration.Milliseconds(), boolInt(g.InUse), ms(g.Created))
		if err != nil {
			return err
		}
		g.ID, err = res.LastInsertId()
		return err
	})
	return g, err
}

// RenameGreeting renames a greeting.
func (db *DB) RenameGreeting(ctx context.Context, id int64, name string) error {
	return db.writeTx(ctx, "rename greeting", func(tx *sql.Tx) error {
		g, all, err := greetingByID(ctx, tx, id)
		if err != nil {
			return err
		}
		g.Name = name
		if err := selfcare.ValidateGreeting(g, all); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE greetings SET name = ? WHERE id = ?`, name, id)
		return err
	})
}

// UseGreeting makes a greeting the one in use ("utiliser comme annonce").
func (db *DB) UseGreeting(ctx context.Context, id int64) error {
	return db.writeTx(ctx, "use greeting", func(tx *sql.Tx) error {
		g, _, err := greetingByID(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE greetings SET in_use = 0 WHERE line = ?`, string(g.Line)); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE greetings SET in_use = 1 WHERE id = ?`, id)
		return err
	})
}

// DeleteGreeting removes a greeting row; the caller removes the file.
func (db *DB) DeleteGreeting(ctx context.Context, id int64) error {
	return db.writeTx(ctx, "delete greeting", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM greetings WHERE id = ?`, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return selfcare.Errorf(selfcare.CodeNotFound, "greeting")
		}
		return nil
	})
}

// OutboxItem is one notification waiting to be sent (or sent again): an
// email copy, an email or an SMS notification.
type OutboxItem struct {
	ID        int64
	Kind      string // "email" or "sms"
	Body      string // JSON of the notification, owned by internal/voicemail
	Attempts  int
	NextAt    time.Time
	LastError string
	Created   time.Time
}

// QueueNotification adds a notification to send at next and returns its id.
func (db *DB) QueueNotification(ctx context.Context, kind, body string, next time.Time) (int64, error) {
	var id int64
	err := db.writeTx(ctx, "queue notification", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO voicemail_outbox (kind, body, next_at, created) VALUES (?, ?, ?, ?)`,
			kind, body, ms(next), ms(db.now()))
		if err != nil {
			return err
		}
		id, err = res.LastInsertId()
		return err
	})
	return id, err
}

// DueNotifications calls fn for each notification due at due, in order,
// after reading them (fn may take its time and update the outbox). The
// arguments are plain so that the voicemail needs no store type.
func (db *DB) DueNotifications(ctx context.Context, due time.Time, fn func(id int64, kind, body string, attempts int) error) error {
	items, err := db.Outbox(ctx, due)
	if err != nil {
		return err
	}
	for _, it := range items {
		if err := fn(it.ID, it.Kind, it.Body, it.Attempts); err != nil {
			return err
		}
	}
	return nil
}

// Outbox returns the notifications not sent yet, due ones first; with a
// zero due time, all of them, else those due at or before due.
func (db *DB) Outbox(ctx context.Context, due time.Time) ([]OutboxItem, error) {
	q := `SELECT id, kind, body, attempts, next_at, last_error, created FROM voicemail_outbox`
	var args []any
	if !due.IsZero() {
		q += ` WHERE next_at <= ?`
		args = append(args, ms(due))
	}
	var out []OutboxItem
	err := db.readTx(ctx, "read outbox", func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, q+` ORDER BY next_at, id`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var it OutboxItem
			var next, created int64
			if err := rows.Scan(&it.ID, &it.Kind, &it.Body, &it.Attempts, &next, &it.LastError, &created); err != nil {
				return err
			}
			it.NextAt, it.Created = fromMS(next), fromMS(created)
			out = append(out, it)
		}
		return rows.Err()
	})
	return out, err
}

// NotificationSent removes a sent notification from the outbox.
func (db *DB) NotificationSent(ctx context.Context, id int64) error {
	return db.updateOutbox(ctx, "notification sent", `DELETE FROM voicemail_outbox WHERE id = ?`, id)
}

// NotificationFailed records a failed attempt and when to try again.
func (db *DB) NotificationFailed(ctx context.Context, id int64, next time.Time, reason string) error {
	return db.updateOutbox(ctx, "notification failed", `UPDATE voicemail_outbox
		SET attempts = attempts + 1, next_at = ?, last_error = ? WHERE id = ?`, ms(next), reason, id)
}

func (db *DB) updateOutbox(ctx context.Context, op, q string, args ...any) error {
	return db.writeTx(ctx, op, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, q, args...)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return selfcare.Errorf(selfcare.CodeNotFound, "notification")
		}
		return nil
	})
}
