package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/ligne-app/ligne/selfcare"
)

// Consumption computes "Conso forfait" for line over the month holding
// month (in month's time zone), from the call log and the usage records.
func (db *DB) Consumption(ctx context.Context, line selfcare.LineKind, month time.Time) (selfcare.Consumption, error) {
	from, to := selfcare.MonthRange(month)
	c := selfcare.Consumption{Line: line, Month: from, ByClass: map[selfcare.DestClass]time.Duration{}}
	c.CallsPerDay = make([]int, int(to.Sub(from).Hours()/24+0.5))
	err := db.readTx(ctx, "compute consumption", func(tx *sql.Tx) error {
		if err := outgoingCalls(ctx, tx, &c, from, to); err != nil {
			return err
		}
		if err := topCallees(ctx, tx, &c, from, to); err != nil {
			return err
		}
		return usageTotals(ctx, tx, &c, from, to)
	})
	if c.Calls > 0 {
		c.Average = c.Time / time.Duration(c.Calls)
	}
	return c, err
}

// outgoingCalls fills counts, time by class and calls per day from the
// answered outgoing calls.
func outgoingCalls(ctx context.Context, tx *sql.Tx, c *selfcare.Consumption, from, to time.Time) error {
	rows, err := tx.QueryContext(ctx, `SELECT remote, class, start, end_at - answer FROM calls
		WHERE line = ? AND direction = 'out' AND start >= ? AND start < ? AND answer > 0`,
		string(c.Line), ms(from), ms(to))
	if err != nil {
		return err
	}
	defer rows.Close()
	remotes := map[string]bool{}
	for rows.Next() {
		var remote, class string
		var start, talk int64
		if err := rows.Scan(&remote, &class, &start, &talk); err != nil {
			return err
		}
		d := time.Duration(max(talk, 0)) * time.Millisecond
		c.Calls++
		c.Time += d
		c.ByClass[selfcare.DestClass(class)] += d
		remotes[remote] = true
		if day := fromMS(start).In(from.Location()).Day() - 1; day < len(c.CallsPerDay) {
			c.CallsPerDay[day]++
		}
	}
	c.Recipients = len(remotes)
	return rows.Err()
}

// topCallees fills the five most called numbers, by calls then time.
func topCallees(ctx context.Context, tx *sql.Tx, c *selfcare.Consumption, from, to time.Time) error {
	rows, err := tx.QueryContext(ctx, `SELECT remote, max(remote_name), count(*), sum(end_at - answer) AS talk FROM calls
		WHERE line = ? AND direction = 'out' AND start >= ? AND start < ? AND answer > 0
		GROUP BY remote ORDER BY count(*) DESC, talk DESC, remote LIMIT 5`, string(c.Line), ms(from), ms(to))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var t selfcare.TopCallee
		var talk int64
		if err := rows.Scan(&t.Number, &t.Name, &t.Calls, &talk); err != nil {
			return err
		}
		t.Time = time.Duration(talk) * time.Millisecond
		c.Top = append(c.Top, t)
	}
	return rows.Err()
}

// usageTotals adds mobile data and SMS.
func usageTotals(ctx context.Context, tx *sql.Tx, c *selfcare.Consumption, from, to time.Time) error {
	return tx.QueryRowContext(ctx, `SELECT coalesce(sum(CASE WHEN kind = 'data' THEN amount END), 0),
		coalesce(sum(CASE WHEN kind = 'sms' THEN amount END), 0) FROM usage
		WHERE line = ? AND at >= ? AND at < ?`, string(c.Line), ms(from), ms(to)).Scan(&c.DataBytes, &c.SMS)
}

// AddUsage records one data or SMS usage entry; a known ExternalID is ignored.
func (db *DB) AddUsage(ctx context.Context, u selfcare.UsageRecord) error {
	_, err := db.ImportUsage(ctx, []selfcare.UsageRecord{u})
	return err
}

// ImportUsage adds usage records in one transaction (all or nothing) and
// returns how many were new; known ExternalIDs are skipped.
func (db *DB) ImportUsage(ctx context.Context, us []selfcare.UsageRecord) (int, error) {
	added := 0
	err := db.writeTx(ctx, "import usage", func(tx *sql.Tx) error {
		for _, u := range us {
			var ext any
			if u.ExternalID != "" {
				ext = u.ExternalID
			}
			res, err := tx.ExecContext(ctx, `INSERT INTO usage (line, at, kind, amount, remote, external_id)
				VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, string(u.Line), ms(u.At), u.Kind, u.Amount, u.Remote, ext)
			if err != nil {
				return err
			}
			n, _ := res.RowsAffected()
			added += int(n)
		}
		return nil
	})
	return added, err
}
