package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/ligne-app/ligne/selfcare"
)

const contactColumns = `id, kind, name, company, department, extension, email, notes, source`

// Contacts returns contacts matching q, internal first, by name. Every word
// of q.Search must appear in the name, company, department, email or one of
// the numbers (accents and case ignored; numbers in any written form).
func (db *DB) Contacts(ctx context.Context, q selfcare.ContactQuery) ([]selfcare.Contact, error) {
	where, args := contactWhere(q)
	limit := q.Limit
	if limit <= 0 {
		limit = 500
	}
	var out []selfcare.Contact
	err := db.readTx(ctx, "search contacts", func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+contactColumns+` FROM contacts`+where+
			` ORDER BY kind = 'external', name COLLATE NOCASE LIMIT `+strconv.Itoa(limit), args...)
		if err != nil {
			return err
		}
		out, err = scanContacts(rows)
		if err != nil {
			return err
		}
		return fillNumbers(ctx, tx, out)
	})
	return out, err
}

// contactWhere builds the WHERE clause of a contact query.
func contactWhere(q selfcare.ContactQuery) (string, []any) {
	var conds []string
	var args []any
	if q.Kind != "" {
		conds = append(conds, "kind = ?")
		args = append(args, string(q.Kind))
	}
	for _, w := range searchTerms(q.Search) {
		conds = append(conds, "search LIKE ? ESCAPE '\\'")
		args = append(args, "%"+escapeLike(w)+"%")
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

func scanContacts(rows *sql.Rows) ([]selfcare.Contact, error) {
	defer rows.Close()
	var out []selfcare.Contact
	for rows.Next() {
		var c selfcare.Contact
		if err := rows.Scan(&c.ID, &c.Kind, &c.Name, &c.Company, &c.Department, &c.Extension, &c.Email, &c.Notes, &c.Source); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// fillNumbers loads the numbers of the given contacts.
func fillNumbers(ctx context.Context, tx *sql.Tx, cs []selfcare.Contact) error {
	for i := range cs {
		rows, err := tx.QueryContext(ctx, `SELECT type, number FROM contact_numbers WHERE contact_id = ? ORDER BY ord`, cs[i].ID)
		if err != nil {
			return err
		}
		for rows.Next() {
			var n selfcare.TypedNumber
			if err := rows.Scan(&n.Type, &n.Number); err != nil {
				rows.Close()
				return err
			}
			cs[i].Numbers = append(cs[i].Numbers, n)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// ContactByID returns one contact or CodeNotFound.
func (db *DB) ContactByID(ctx context.Context, id string) (selfcare.Contact, error) {
	var c selfcare.Contact
	err := db.readTx(ctx, "read contact", func(tx *sql.Tx) error {
		var err error
		c, err = contactByID(ctx, tx, id)
		return err
	})
	return c, err
}

func contactByID(ctx context.Context, tx *sql.Tx, id string) (selfcare.Contact, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+contactColumns+` FROM contacts WHERE id = ?`, id)
	if err != nil {
		return selfcare.Contact{}, err
	}
	cs, err := scanContacts(rows)
	if err != nil {
		return selfcare.Contact{}, err
	}
	if len(cs) == 0 {
		return selfcare.Contact{}, selfcare.Errorf(selfcare.CodeNotFound, "contact")
	}
	return cs[0], fillNumbers(ctx, tx, cs)
}

// AddContact validates and adds an external contact.
func (db *DB) AddContact(ctx context.Context, c selfcare.Contact) (selfcare.Contact, error) {
	c, err := selfcare.NormalizeContact(c)
	if err != nil {
		return c, err
	}
	if c.Source == "" {
		c.Source = "user"
	}
	err = db.writeTx(ctx, "add contact", func(tx *sql.Tx) error {
		var next int64
		if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(CAST(substr(id, 5) AS INTEGER)), 0) + 1
			FROM contacts WHERE id LIKE 'ext:%'`).Scan(&next); err != nil {
			return err
		}
		c.ID = fmt.Sprintf("ext:%d", next)
		return writeContact(ctx, tx, c)
	})
	return c, err
}

// UpdateContact validates and saves an external contact.
func (db *DB) UpdateContact(ctx context.Context, c selfcare.Contact) (selfcare.Contact, error) {
	c, err := selfcare.NormalizeContact(c)
	if err != nil {
		return c, err
	}
	err = db.writeTx(ctx, "update contact", func(tx *sql.Tx) error {
		old, err := contactByID(ctx, tx, c.ID)
		if err != nil {
			return err
		}
		if !old.Editable() {
			return selfcare.Errorf(selfcare.CodeContactReadOnly, "")
		}
		c.Source = old.Source
		if _, err := tx.ExecContext(ctx, `DELETE FROM contacts WHERE id = ?`, c.ID); err != nil {
			return err
		}
		return writeContact(ctx, tx, c)
	})
	return c, err
}

// DeleteContact deletes an external contact; directory entries are read-only.
func (db *DB) DeleteContact(ctx context.Context, id string) error {
	return db.writeTx(ctx, "delete contact", func(tx *sql.Tx) error {
		old, err := contactByID(ctx, tx, id)
		if err != nil {
			return err
		}
		if !old.Editable() {
			return selfcare.Errorf(selfcare.CodeContactReadOnly, "")
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM contacts WHERE id = ?`, id)
		return err
	})
}

// writeContact inserts c and its numbers.
func writeContact(ctx context.Context, tx *sql.Tx, c selfcare.Contact) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO contacts (`+contactColumns+`, search)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, c.ID, string(c.Kind), c.Name, c.Company, c.Department,
		c.Extension, c.Email, c.Notes, c.Source, searchText(c)); err != nil {
		return fmt.Errorf("save contact %s: %w", c.ID, err)
	}
	for i, n := range c.Numbers {
		if _, err := tx.ExecContext(ctx, `INSERT INTO contact_numbers (contact_id, ord, type, number) VALUES (?, ?, ?, ?)`,
			c.ID, i, string(n.Type), n.Number); err != nil {
			return err
		}
	}
	if c.Extension != "" {
		_, err := tx.ExecContext(ctx, `INSERT INTO contact_numbers (contact_id, ord, type, number) VALUES (?, ?, 'extension', ?)`,
			c.ID, len(c.Numbers), c.Extension)
		return err
	}
	return nil
}

// ReplaceDirectory swaps the internal contacts of one source (profile,
// ldap) for cs, in one transaction.
func (db *DB) ReplaceDirectory(ctx context.Context, source string, cs []selfcare.Contact) error {
	return db.writeTx(ctx, "replace directory", func(tx *sql.Tx) error {
		return replaceDirectory(ctx, tx, source, cs)
	})
}

func replaceDirectory(ctx context.Context, tx *sql.Tx, source string, cs []selfcare.Contact) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM contacts WHERE kind = 'internal' AND source = ?`, source); err != nil {
		return err
	}
	for _, c := range cs {
		c.Kind, c.Source = selfcare.ContactInternal, source
		if err := writeContact(ctx, tx, c); err != nil {
			return err
		}
	}
	return nil
}

// LookupNumber finds the contact that owns number (any written form):
// internal contacts win over external ones.
func (db *DB) LookupNumber(ctx context.Context, number string) (selfcare.Contact, bool, error) {
	canon, _, err := selfcare.NormalizeNumber("", number)
	if err != nil {
		return selfcare.Contact{}, false, nil
	}
	var c selfcare.Contact
	found := false
	err = db.readTx(ctx, "lookup number", func(tx *sql.Tx) error {
		var id string
		err := tx.QueryRowContext(ctx, `SELECT n.contact_id FROM contact_numbers n JOIN contacts c ON c.id = n.contact_id
			WHERE n.number = ? ORDER BY c.kind = 'external' LIMIT 1`, canon).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		c, err = contactByID(ctx, tx, id)
		found = err == nil
		return err
	})
	return c, found, err
}

// txContacts is a selfcare.ContactIndex inside a transaction.
type txContacts struct {
	ctx context.Context
	tx  *sql.Tx
}

// Contact returns the contact with id.
func (t txContacts) Contact(id string) (selfcare.Contact, bool) {
	c, err := contactByID(t.ctx, t.tx, id)
	return c, err == nil
}
