package store

import (
	"context"
	"database/sql"
	"strings"

	"github.com/ligne-app/ligne/selfcare"
)

const callColumns = `id, direction, line, remote, remote_name, start, answer, end_at, outcome,
	forwarded_to, reason, class, source, coalesce(external_id, '')`

// AddCall records a call. Records imported from the operator carry an
// ExternalID: one already known is ignored (ID stays 0).
func (db *DB) AddCall(ctx context.Context, r selfcare.CallRecord) (selfcare.CallRecord, error) {
	err := db.writeTx(ctx, "add call", func(tx *sql.Tx) error {
		var err error
		r.ID, err = insertCall(ctx, tx, r)
		return err
	})
	return r, err
}

// insertCall inserts r and returns its id, or 0 for a known ExternalID.
func insertCall(ctx context.Context, tx *sql.Tx, r selfcare.CallRecord) (int64, error) {
	if r.Source == "" {
		r.Source = selfcare.SourceLigne
	}
	if r.Class == "" && r.Direction == selfcare.DirectionOut {
		r.Class = selfcare.ClassifyNumber(r.Remote)
	}
	var ext any
	if r.ExternalID != "" {
		ext = r.ExternalID
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO calls (direction, line, remote, remote_name, start, answer,
		end_at, outcome, forwarded_to, reason, class, source, external_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT DO NOTHING`, string(r.Direction), string(r.Line), r.Remote, r.RemoteName, ms(r.Start),
		ms(r.Answer), ms(r.End), string(r.Outcome), r.ForwardedTo, r.Reason, string(r.Class), r.Source, ext)
	if err != nil {
		return 0, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return 0, nil
	}
	return res.LastInsertId()
}

// ImportCalls adds records in one transaction: all or nothing. It returns
// how many were new (known ExternalIDs are skipped).
func (db *DB) ImportCalls(ctx context.Context, rs []selfcare.CallRecord) (int, error) {
	added := 0
	err := db.writeTx(ctx, "import calls", func(tx *sql.Tx) error {
		for _, r := range rs {
			id, err := insertCall(ctx, tx, r)
			if err != nil {
				return err
			}
			if id != 0 {
				added++
			}
		}
		return nil
	})
	return added, err
}

// Calls returns one page of matching records, newest first, and the count
// of all matching records.
func (db *DB) Calls(ctx context.Context, f selfcare.CallFilter) ([]selfcare.CallRecord, int, error) {
	where, args := callWhere(f)
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	var out []selfcare.CallRecord
	var total int
	err := db.readTx(ctx, "read call log", func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM calls`+where, args...).Scan(&total); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT `+callColumns+` FROM calls`+where+
			` ORDER BY start DESC, id DESC LIMIT ? OFFSET ?`, append(args, limit, f.Offset)...)
		if err != nil {
			return err
		}
		out, err = scanCalls(rows)
		return err
	})
	return out, total, err
}

// callWhere builds the WHERE clause of a call log filter.
func callWhere(f selfcare.CallFilter) (string, []any) {
	var conds []string
	var args []any
	add := func(cond string, a ...any) { conds, args = append(conds, cond), append(args, a...) }
	if !f.Month.IsZero() {
		from, to := selfcare.MonthRange(f.Month)
		add("start >= ? AND start < ?", ms(from), ms(to))
	}
	if f.Line != "" {
		add("line = ?", string(f.Line))
	}
	if f.Direction != "" {
		add("direction = ?", string(f.Direction))
	}
	if f.MissedOnly {
		add("direction = 'in' AND outcome IN ('missed', 'voicemail')")
	}
	if s := strings.TrimSpace(f.Search); s != "" {
		like := "%" + escapeLike(s) + "%"
		national, international := like, like
		if d := onlyDigits(s); d != "" {
			// numbers are stored as +33...: a French national form "06 12"
			// is looked up as "+336 12" too
			national, international = "%"+d+"%", "%"+d+"%"
			if strings.HasPrefix(d, "0") && !strings.HasPrefix(d, "00") {
				international = "%+33" + d[1:] + "%"
			}
		}
		add("(remote_name LIKE ? ESCAPE '\\' OR remote LIKE ? ESCAPE '\\' OR remote LIKE ? ESCAPE '\\')", like, national, international)
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

func scanCalls(rows *sql.Rows) ([]selfcare.CallRecord, error) {
	defer rows.Close()
	var out []selfcare.CallRecord
	for rows.Next() {
		var r selfcare.CallRecord
		var start, answer, end int64
		if err := rows.Scan(&r.ID, &r.Direction, &r.Line, &r.Remote, &r.RemoteName, &start, &answer, &end,
			&r.Outcome, &r.ForwardedTo, &r.Reason, &r.Class, &r.Source, &r.ExternalID); err != nil {
			return nil, err
		}
		r.Start, r.Answer, r.End = fromMS(start), fromMS(answer), fromMS(end)
		out = append(out, r)
	}
	return out, rows.Err()
}
