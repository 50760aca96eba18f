package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/ligne-app/ligne/selfcare"
)

// messageColumns are the columns scanMessage reads, in order.
const messageColumns = `id, line, caller, caller_name, at, duration_ms, path, read, transcription,
	transcription_state, deleted_at`

// Messages returns the voicemail messages of line not in the bin and not
// being recorded, newest first.
func (db *DB) Messages(ctx context.Context, line selfcare.LineKind) ([]selfcare.VoicemailMessage, error) {
	return db.queryMessages(ctx, "read voicemail", `SELECT `+messageColumns+` FROM voicemail_messages
		WHERE line = ? AND deleted_at = 0 AND partial = 0 ORDER BY at DESC, id DESC`, string(line))
}

// Message returns one message (in the bin or not), or CodeNotFound.
func (db *DB) Message(ctx context.Context, id int64) (selfcare.VoicemailMessage, error) {
	ms, err := db.queryMessages(ctx, "read voicemail message", `SELECT `+messageColumns+`
		FROM voicemail_messages WHERE id = ?`, id)
	if err != nil {
		return selfcare.VoicemailMessage{}, err
	}
	if len(ms) == 0 {
		return selfcare.VoicemailMessage{}, selfcare.Errorf(selfcare.CodeNotFound, "message")
	}
	return ms[0], nil
}

// PartialMessages returns the messages whose recording never finished
// (Ligne stopped while a caller spoke), oldest first.
func (db *DB) PartialMessages(ctx context.Context) ([]selfcare.VoicemailMessage, error) {
	return db.queryMessages(ctx, "read partial messages", `SELECT `+messageColumns+`
		FROM voicemail_messages WHERE partial = 1 ORDER BY id`)
}

// PendingTranscriptions returns the finished messages whose transcription
// is still pending (to resume after a restart), oldest first.
func (db *DB) PendingTranscriptions(ctx context.Context) ([]selfcare.VoicemailMessage, error) {
	return db.queryMessages(ctx, "read pending transcriptions", `SELECT `+messageColumns+`
		FROM voicemail_messages WHERE partial = 0 AND transcription_state = ? ORDER BY id`,
		string(selfcare.TranscriptionPending))
}

func (db *DB) queryMessages(ctx context.Context, op, q string, args ...any) ([]selfcare.VoicemailMessage, error) {
	var out []selfcare.VoicemailMessage
	err := db.readTx(ctx, op, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			m, err := scanMessage(rows)
			if err != nil {
				return err
			}
			out = append(out, m)
		}
		return rows.Err()
	})
	return out, err
}

func scanMessage(rows *sql.Rows) (selfcare.VoicemailMessage, error) {
	var m selfcare.VoicemailMessage
	var at, dur, deleted int64
	var read int
	err := rows.Scan(&m.ID, &m.Line, &m.Caller, &m.CallerName, &at, &dur, &m.Path, &read,
		&m.Transcription, &m.TranscriptionState, &deleted)
	m.At, m.Duration, m.Read = fromMS(at), time.Duration(dur)*time.Millisecond, read == 1
	m.Deleted = deleted != 0
	return m, err
}

// MailboxCount counts the unread and read messages of line (being
// recorded included, bin excluded): the capacity check and the
// message-waiting indicators (window badge, lignectl, desk phones).
func (db *DB) MailboxCount(ctx context.Context, line selfcare.LineKind) (newCount, oldCount int, err error) {
	err = db.readTx(ctx, "count voicemail", func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `SELECT COALESCE(SUM(read = 0), 0), COALESCE(SUM(read = 1), 0)
			FROM voicemail_messages WHERE line = ? AND deleted_at = 0`, string(line)).Scan(&newCount, &oldCount)
	})
	return newCount, oldCount, err
}

// AddMessage stores a new message (its WAV already written at m.Path).
func (db *DB) AddMessage(ctx context.Context, m selfcare.VoicemailMessage) (selfcare.VoicemailMessage, error) {
	return db.insertMessage(ctx, "add voicemail message", m, false)
}

// BeginMessage stores a message whose recording starts now; it stays out
// of Messages until FinishMessage, and PartialMessages finds it if Ligne
// stops before.
func (db *DB) BeginMessage(ctx context.Context, m selfcare.VoicemailMessage) (selfcare.VoicemailMessage, error) {
	return db.insertMessage(ctx, "begin voicemail message", m, true)
}

func (db *DB) insertMessage(ctx context.Context, op string, m selfcare.VoicemailMessage, partial bool) (selfcare.VoicemailMessage, error) {
	err := db.writeTx(ctx, op, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO voicemail_messages (line, caller, caller_name, at, duration_ms,
			path, read, transcription, transcription_state, partial) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			string(m.Line), m.Caller, m.CallerName, ms(m.At), m.Duration.Milliseconds(), m.Path, boolInt(m.Read),
			m.Transcription, string(m.TranscriptionState), boolInt(partial))
		if err != nil {
			return err
		}
		m.ID, err = res.LastInsertId()
		return err
	})
	return m, err
}

// FinishMessage ends a recording begun with BeginMessage: the message gets
// its duration and transcription state and shows in Messages.
func (db *DB) FinishMessage(ctx context.Context, id int64, d time.Duration, state selfcare.TranscriptionState) error {
	return db.updateMessage(ctx, "finish voicemail message", `UPDATE voicemail_messages
		SET partial = 0, duration_ms = ?, transcription_state = ? WHERE id = ?`, d.Milliseconds(), string(state), id)
}

// DropMessage removes a message row for good (a recording with no sound);
// the caller removes the file.
func (db *DB) DropMessage(ctx context.Context, id int64) error {
	return db.updateMessage(ctx, "drop voicemail message", `DELETE FROM voicemail_messages WHERE id = ?`, id)
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

// PurgeMessages removes the messages put in the bin before cutoff and
// returns their audio paths (relative to the data folder) for the caller
// to remove.
func (db *DB) PurgeMessages(ctx context.Context, cutoff time.Time) ([]string, error) {
	var paths []string
	err := db.writeTx(ctx, "purge voicemail bin", func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `DELETE FROM voicemail_messages WHERE deleted_at != 0 AND deleted_at < ?
			RETURNING path`, ms(cutoff))
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var p string
			if err := rows.Scan(&p); err != nil {
				return err
			}
			paths = append(paths, p)
		}
		return rows.Err()
	})
	return paths, err
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
