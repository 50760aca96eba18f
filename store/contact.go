package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/ligne-app/ligne/selfcare"
)

const contactColumns = `id, kind, name, company, department, extension, email, notes, source`

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

// fillNumbers loads the numbers of the given contacts in one query. The
// extension, kept among the numbers for caller lookup, stays in Extension.
func fillNumbers(ctx context.Context, tx *sql.Tx, cs []selfcare.Contact) error {
	if len(cs) == 0 {
		return nil
	}
	at := make(map[string]int, len(cs))
	ids := make([]string, len(cs))
	for i, c := range cs {
		at[c.ID], ids[i] = i, c.ID
	}
	rows, err := tx.QueryContext(ctx, `SELECT contact_id, type, number FROM contact_numbers
		WHERE contact_id IN (SELECT value FROM json_each(?)) AND type <> 'extension' ORDER BY contact_id, ord`, jsonText(ids))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var n selfcare.TypedNumber
		if err := rows.Scan(&id, &n.Type, &n.Number); err != nil {
			return err
		}
		i := at[id]
		cs[i].Numbers = append(cs[i].Numbers, n)
	}
	return rows.Err()
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

// AddContact validates and adds an external contact, when the
// administrator lets the user keep external contacts.
func (db *DB) AddContact(ctx context.Context, c selfcare.Contact) (selfcare.Contact, error) {
	c, err := selfcare.NormalizeContact(c)
	if err != nil {
		return c, err
	}
	if c.Source == "" {
		c.Source = "user"
	}
	err = db.writeTx(ctx, "add contact", func(tx *sql.Tx) error {
		if err := externalAllowed(ctx, tx); err != nil {
			return err
		}
		next, err := nextExternalID(ctx, tx)
		if err != nil {
			return err
		}
		c.ID = fmt.Sprintf("ext:%d", next)
		return writeContact(ctx, tx, c)
	})
	return c, err
}

// nextExternalID returns the number of the next "ext:<n>" id.
func nextExternalID(ctx context.Context, tx *sql.Tx) (int64, error) {
	var next int64
	err := tx.QueryRowContext(ctx, `SELECT coalesce(max(CAST(substr(id, 5) AS INTEGER)), 0) + 1
		FROM contacts WHERE id LIKE 'ext:%'`).Scan(&next)
	return next, err
}

// externalAllowed refuses external contacts when the organization profile
// withholds the right (a workspace without profile has no such limit).
func externalAllowed(ctx context.Context, tx *sql.Tx) error {
	var body string
	err := tx.QueryRowContext(ctx, `SELECT body FROM profile WHERE id = 1`).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	var p selfcare.Profile
	if err := json.Unmarshal([]byte(body), &p); err != nil {
		return fmt.Errorf("read rights: %w", err)
	}
	if !p.Rights.ExternalContact {
		return selfcare.Errorf(selfcare.CodeExternalContactsDenied, "")
	}
	return nil
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
		if err := externalAllowed(ctx, tx); err != nil {
			return err
		}
		c.Source = old.Source
		if _, err := tx.ExecContext(ctx, `DELETE FROM contacts WHERE id = ?`, c.ID); err != nil {
			return err
		}
		return writeContact(ctx, tx, c)
	})
	return c, err
}

// DeleteContact deletes an external contact; directory entries are
// read-only. Deleting stays possible when the right to keep external
// contacts was withdrawn.
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
	return insertContacts(ctx, tx, []selfcare.Contact{c})
}

// insertBatch is how many contacts one INSERT statement writes. Few large
// statements matter: the full-text indexes flush at every statement.
const insertBatch = 500

// insertContacts inserts cs with their numbers, and each extension as a
// number of type "extension" (so that caller lookup finds colleagues by
// extension), a batch at a time.
func insertContacts(ctx context.Context, tx *sql.Tx, cs []selfcare.Contact) error {
	for start := 0; start < len(cs); start += insertBatch {
		batch := cs[start:min(start+insertBatch, len(cs))]
		rows, numbers := contactRows(batch)
		if _, err := tx.ExecContext(ctx, `INSERT INTO contacts (`+contactColumns+`, search)
			SELECT value->>0, value->>1, value->>2, value->>3, value->>4, value->>5, value->>6, value->>7, value->>8, value->>9
			FROM json_each(?)`, jsonText(rows)); err != nil {
			return fmt.Errorf("save contacts from %s: %w", batch[0].ID, err)
		}
		if len(numbers) == 0 {
			continue
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO contact_numbers (contact_id, ord, type, number)
			SELECT value->>0, value->>1, value->>2, value->>3 FROM json_each(?)`, jsonText(numbers)); err != nil {
			return fmt.Errorf("save numbers of contacts from %s: %w", batch[0].ID, err)
		}
	}
	return nil
}

// contactRows returns the column values of cs and of their numbers.
func contactRows(cs []selfcare.Contact) (rows, numbers [][]any) {
	for _, c := range cs {
		rows = append(rows, []any{c.ID, string(c.Kind), c.Name, c.Company, c.Department, c.Extension, c.Email, c.Notes, c.Source, searchText(c)})
		for i, n := range c.Numbers {
			numbers = append(numbers, []any{c.ID, i, string(n.Type), n.Number})
		}
		if c.Extension != "" {
			numbers = append(numbers, []any{c.ID, len(c.Numbers), "extension", c.Extension})
		}
	}
	return rows, numbers
}

// ReplaceDirectory swaps the internal contacts of one source (profile,
// ldap, import) for cs, in one transaction: on any error nothing changes.
func (db *DB) ReplaceDirectory(ctx context.Context, source string, cs []selfcare.Contact) error {
	return db.writeTx(ctx, "replace directory", func(tx *sql.Tx) error {
		return replaceDirectory(ctx, tx, source, cs)
	})
}

func replaceDirectory(ctx context.Context, tx *sql.Tx, source string, cs []selfcare.Contact) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM contacts WHERE kind = 'internal' AND source = ?`, source); err != nil {
		return err
	}
	batch := make([]selfcare.Contact, len(cs))
	for i, c := range cs {
		c.Kind, c.Source = selfcare.ContactInternal, source
		batch[i] = c
	}
	return insertContacts(ctx, tx, batch)
}

// ImportContacts adds external contacts in one transaction, skipping those
// the user already has (same name and a number in common, so that
// importing an export again adds nothing). It returns the contacts added
// and the indexes of cs skipped as duplicates. Each contact is validated
// first: an invalid one fails the whole import and nothing is saved.
func (db *DB) ImportContacts(ctx context.Context, cs []selfcare.Contact) ([]selfcare.Contact, []int, error) {
	norm := make([]selfcare.Contact, len(cs))
	for i, c := range cs {
		c.Kind = selfcare.ContactExternal
		n, err := selfcare.NormalizeContact(c)
		if err != nil {
			return nil, nil, fmt.Errorf("import contact %d: %w", i+1, err)
		}
		if n.Source == "" {
			n.Source = "import"
		}
		norm[i] = n
	}
	var added []selfcare.Contact
	var dups []int
	err := db.writeTx(ctx, "import contacts", func(tx *sql.Tx) error {
		var err error
		added, dups, err = importContacts(ctx, tx, norm)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return added, dups, nil
}

func importContacts(ctx context.Context, tx *sql.Tx, cs []selfcare.Contact) ([]selfcare.Contact, []int, error) {
	if err := externalAllowed(ctx, tx); err != nil {
		return nil, nil, err
	}
	known, err := externalKeys(ctx, tx)
	if err != nil {
		return nil, nil, err
	}
	next, err := nextExternalID(ctx, tx)
	if err != nil {
		return nil, nil, err
	}
	var added []selfcare.Contact
	var dups []int
	for i, c := range cs {
		if known.has(c) {
			dups = append(dups, i)
			continue
		}
		c.ID = fmt.Sprintf("ext:%d", next)
		next++
		known.add(c)
		added = append(added, c)
	}
	return added, dups, insertContacts(ctx, tx, added)
}

// contactKeys remembers contacts by folded name and number, to spot a
// contact imported twice.
type contactKeys map[string]bool

func (k contactKeys) has(c selfcare.Contact) bool {
	for _, n := range c.Numbers {
		if k[fold(c.Name)+"\x00"+n.Number] {
			return true
		}
	}
	return false
}

func (k contactKeys) add(c selfcare.Contact) {
	for _, n := range c.Numbers {
		k[fold(c.Name)+"\x00"+n.Number] = true
	}
}

// externalKeys returns the keys of the user's external contacts.
func externalKeys(ctx context.Context, tx *sql.Tx) (contactKeys, error) {
	rows, err := tx.QueryContext(ctx, `SELECT c.name, n.number FROM contacts c
		JOIN contact_numbers n ON n.contact_id = c.id WHERE c.kind = 'external'`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	k := contactKeys{}
	for rows.Next() {
		var name, number string
		if err := rows.Scan(&name, &number); err != nil {
			return nil, err
		}
		k.add(selfcare.Contact{Name: name, Numbers: []selfcare.TypedNumber{{Number: number}}})
	}
	return k, rows.Err()
}

// AddContactKey gives a contact a function key of kind at the first free
// position: supervision for colleagues, shortcut for external contacts,
// within the rights of the profile and the capacity of the user's phones
// (SetKeys checks those). A colleague the administrator did not make
// supervisable, or a contact that already has such a key, is refused.
func (db *DB) AddContactKey(ctx context.Context, contactID string, kind selfcare.KeyKind) (selfcare.FunctionKey, error) {
	c, err := db.ContactByID(ctx, contactID)
	if err != nil {
		return selfcare.FunctionKey{}, err
	}
	if err := db.checkSupervisable(ctx, c, kind); err != nil {
		return selfcare.FunctionKey{}, err
	}
	keys, err := db.Keys(ctx)
	if err != nil {
		return selfcare.FunctionKey{}, err
	}
	for _, k := range keys {
		if k.ContactID == contactID && k.Kind == kind {
			return selfcare.FunctionKey{}, selfcare.Errorf(selfcare.CodeKeyExists, "", c.Name, k.Position)
		}
	}
	k := selfcare.FunctionKey{Position: freePosition(keys), Kind: kind, ContactID: contactID, Number: c.FirstNumber()}
	if err := db.SetKeys(ctx, append(keys, k)); err != nil {
		return selfcare.FunctionKey{}, err
	}
	return k, nil
}

// checkSupervisable refuses a supervision key on a directory entry the
// profile marks as not supervisable.
func (db *DB) checkSupervisable(ctx context.Context, c selfcare.Contact, kind selfcare.KeyKind) error {
	if kind != selfcare.KeySupervision || c.Kind != selfcare.ContactInternal || c.Source != "profile" {
		return nil
	}
	p, err := db.Profile(ctx)
	if err != nil {
		return err
	}
	for _, d := range p.Directory {
		if "dir:"+d.ID == c.ID && !d.Supervisable {
			return selfcare.Errorf(selfcare.CodeNotSupervisable, "", c.Name)
		}
	}
	return nil
}

// freePosition returns the lowest key position not in use.
func freePosition(keys []selfcare.FunctionKey) int {
	used := map[int]bool{}
	for _, k := range keys {
		used[k.Position] = true
	}
	p := 1
	for used[p] {
		p++
	}
	return p
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
