package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/ligne-app/ligne/selfcare"
)

// Messages returns the voicemail messages of line not in the bin, newest first.
func (db *DB) Messages(ctx context.Context, line selfcare.LineKind) ([]selfcare.VoicemailMessage, error) {
	var out []selfcare.VoicemailMessage
	err := db.readTx(ctx, "read voicemail", func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, line, caller, caller_name, at, duration_ms, path, read,
			transcription, transcription_state FROM voicemail_messages WHERE line = ? AND deleted_at = 0
			ORDER BY at DESC, id DESC`, string(line))
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var m selfcare.VoicemailMessage
			var at, dur int64
			var read int
			if err := rows.Scan(&m.ID, &m.Line, &m.Caller, &m.CallerName, &at, &dur, &m.Path, &read,
				&m.Transcription, &m.TranscriptionState); err != nil {
				return err
			}
			m.At, m.Duration, m.Read = fromMS(at), time.Duration(dur)*time.Millisecond, read == 1
			out = append(out, m)
		}
		return rows.Err()
	})
	return out, err
}

// AddMessage stores a new message (its WAV already written at m.Path).
func (db *DB) AddMessage(ctx context.Context, m selfcare.VoicemailMessage) (selfcare.VoicemailMessage, error) {
	err := db.writeTx(ctx, "add voicemail message", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO voicemail_messages (line, caller, caller_name, at, duration_ms,
			path, read, transcription, transcription_state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			string(m.Line), m.Caller, m.CallerName, ms(m.At), m.Duration.Milliseconds(), m.Path, boolInt(m.Read),
			m.Transcription, string(m.TranscriptionState))
		if err != nil {
			return err
		}
		m.ID, err = res.LastInsertId()
		return err
	})
	return m, err
}

// SetMessageRead marks a message read or unread.
func (db *DB) SetMessageRead(ctx context.Context, id int64, read bool) error {
	return db.updateMessage(ctx, "mark message", `UPDATE voicemail_messages SET read = ? WHERE id = ?`, boolInt(read), id)
}

// DeleteMessage moves a message to the bin (undo with RestoreMessage).
func (db *DB) DeleteMessage(ctx context.Context, id int64) error {
	return db.updateMessage(ctx, "delete message", `UPDATE voicemail_messages SET deleted_at = ? WHERE id = ?`, ms(db.now()), id)
}

// RestoreMessage takes a message back out of the bin.
func (db *DB) RestoreMessage(ctx context.Context, id int64) error {
	return db.updateMessage(ctx, "restore message", `UPDATE voicemail_messages SET deleted_at = 0 WHERE id = ?`, id)
}

// SetTranscription saves the transcription state and text of a message.
func (db *DB) SetTranscription(ctx context.Context, id int64, state selfcare.TranscriptionState, text string) error {
	return db.updateMessage(ctx, "save transcription",
		`UPDATE voicemail_messages SET transcription_state = ?, transcription = ? WHERE id = ?`, string(state), text, id)
}

func (db *DB) updateMessage(ctx context.Context, op, q string, args ...any) error {
	return db.writeTx(ctx, op, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, q, args...)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return selfcare.Errorf(selfcare.CodeNotFound, "message")
		}
		return nil
	})
}
