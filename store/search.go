package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ligne-app/ligne/selfcare"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// fold lower-cases s and strips accents: "Émilie" -> "emilie".
func fold(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		out = s
	}
	return strings.ToLower(out)
}

// searchText is what contact search matches: the folded words (runs of
// letters and digits) of the name, company, department and email, the
// extension, and every number in E.164 digits and French national form.
// It starts with a space so that " "+term finds a word's start.
func searchText(c selfcare.Contact) string {
	parts := []string{c.Name, c.Company, c.Department, c.Email, c.Extension}
	for _, n := range c.Numbers {
		parts = append(parts, numberForms(n.Number)...)
	}
	return " " + strings.Join(words(strings.Join(parts, " ")), " ")
}

// words returns the folded runs of letters and digits of s.
func words(s string) []string {
	return strings.FieldsFunc(fold(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// numberForms returns the digit strings a user may type for n.
func numberForms(n string) []string {
	digits := strings.TrimPrefix(n, "+")
	forms := []string{digits}
	if strings.HasPrefix(n, "+33") {
		forms = append(forms, "0"+n[3:])
	}
	return forms
}

// searchTerms splits a query into folded words, as searchText does; a
// query that is a number written with separators becomes its digits.
func searchTerms(q string) []string {
	if digits := onlyDigits(q); digits != "" {
		return []string{digits}
	}
	return words(q)
}

// onlyDigits returns the digits of q when q holds nothing else than digits
// and number separators, "" otherwise.
func onlyDigits(q string) string {
	var b strings.Builder
	for _, r := range q {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case strings.ContainsRune(" .-+()", r):
		default:
			return ""
		}
	}
	return b.String()
}

// Contacts returns contacts matching q, internal first, by name. Every word
// of q.Search must appear in the name, company, department, email, the
// extension or one of the numbers (accents and case ignored; numbers in
// any written form): a word of three characters or more anywhere, a
// shorter one at the start of a word.
func (db *DB) Contacts(ctx context.Context, q selfcare.ContactQuery) ([]selfcare.Contact, error) {
	return db.searchContacts(ctx, q, defaultPlan())
}

// searchContacts runs a search with the thresholds of plan.
func (db *DB) searchContacts(ctx context.Context, q selfcare.ContactQuery, plan searchPlan) ([]selfcare.Contact, error) {
	s := contactSearch{kind: q.Kind, m: newContactMatch(q.Search), limit: q.Limit, plan: plan}
	if s.limit <= 0 {
		s.limit = 500
	}
	var out []selfcare.Contact
	err := db.readTx(ctx, "search contacts", func(tx *sql.Tx) error {
		ids, err := s.rowids(ctx, tx)
		if err != nil {
			return err
		}
		out, err = contactsByRowid(ctx, tx, ids)
		return err
	})
	return out, err
}

// contactsByRowid reads contacts with their numbers, in the order of ids.
func contactsByRowid(ctx context.Context, tx *sql.Tx, ids []int64) ([]selfcare.Contact, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	rows, err := tx.QueryContext(ctx, `SELECT rowid, `+contactColumns+` FROM contacts
		WHERE rowid IN (SELECT value FROM json_each(?))`, jsonText(ids))
	if err != nil {
		return nil, err
	}
	byRowid, err := scanRowidContacts(rows)
	if err != nil {
		return nil, err
	}
	out := make([]selfcare.Contact, 0, len(ids))
	for _, id := range ids {
		out = append(out, byRowid[id])
	}
	return out, fillNumbers(ctx, tx, out)
}

// scanRowidContacts reads rows of rowid and contactColumns.
func scanRowidContacts(rows *sql.Rows) (map[int64]selfcare.Contact, error) {
	defer rows.Close()
	out := map[int64]selfcare.Contact{}
	for rows.Next() {
		var r int64
		var c selfcare.Contact
		if err := rows.Scan(&r, &c.ID, &c.Kind, &c.Name, &c.Company, &c.Department, &c.Extension, &c.Email, &c.Notes, &c.Source); err != nil {
			return nil, err
		}
		out[r] = c
	}
	return out, rows.Err()
}

// LookupNumber finds the contact that owns number, for caller names
// everywhere (incoming call, call log, voicemail). number may be in any
// written form, a tel: or sip: URI, or E.164 digits without the plus;
// internal contacts win over external ones.
func (db *DB) LookupNumber(ctx context.Context, number string) (selfcare.Contact, bool, error) {
	keys := callerKeys(number)
	if len(keys) == 0 {
		return selfcare.Contact{}, false, nil
	}
	var c selfcare.Contact
	found := false
	err := db.readTx(ctx, "lookup number", func(tx *sql.Tx) error {
		var id string
		err := tx.QueryRowContext(ctx, `SELECT n.contact_id FROM contact_numbers n JOIN contacts c ON c.id = n.contact_id
			WHERE n.number IN (SELECT value FROM json_each(?)) ORDER BY c.kind = 'external', c.name LIMIT 1`, jsonText(keys)).Scan(&id)
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

// searchPlan holds the thresholds of contactSearch.rowids.
type searchPlan struct {
	// dense is the number of full-text candidates from which a search
	// walks the contacts in order rather than sorting candidates.
	dense int
	// budget is how many contacts a search walks in order first.
	budget int
	// maxWalk is how many contacts a search walks in order at most before
	// it turns to the full-text candidates after all.
	maxWalk int
}

// defaultPlan is the plan measured on 50,000 contacts (docs/PERFORMANCE.md).
func defaultPlan() searchPlan { return searchPlan{dense: 1000, budget: 4000, maxWalk: 16000} }

// minSubstring is the length from which a term matches anywhere in a word
// (the trigram index needs three characters); a shorter term matches the
// start of a word, like the first letters of a name.
const minSubstring = 3

// contactMatch is a query: every term must match the search text.
type contactMatch struct {
	likes    []any  // what each term must find in the search text
	trigram  string // MATCH on contacts_fts for the long terms, "" when none
	prefixes string // MATCH on contacts_words for the short terms, "" when none
}

// newContactMatch turns a query into the strings each term must find and
// full-text queries.
func newContactMatch(search string) contactMatch {
	var m contactMatch
	var long, short []string
	for _, t := range searchTerms(search) {
		if utf8.RuneCountInString(t) >= minSubstring {
			m.likes = append(m.likes, t)
			long = append(long, `"`+t+`"`)
			continue
		}
		m.likes = append(m.likes, " "+t)
		short = append(short, `"`+t+`"*`)
	}
	m.trigram, m.prefixes = strings.Join(long, " AND "), strings.Join(short, " AND ")
	return m
}

// likeSQL returns "AND instr(col, ?) > 0 ..." for column col, one per
// term (the search text and the terms are both folded to lower case).
func (m contactMatch) likeSQL(col string) string {
	return strings.Repeat(" AND instr("+col+", ?) > 0", len(m.likes))
}

// contactSearch is one search: its terms, the kind asked ("" for both)
// and the page size. Results come internal first, then by name: the order
// of the index contacts_search_order.
type contactSearch struct {
	kind  selfcare.ContactKind
	m     contactMatch
	limit int
	plan  searchPlan
}

// rowids returns the rowids of the page of matching contacts, in order.
// When a full-text index gives fewer than plan.dense contacts, those
// candidates are checked and sorted. Otherwise the terms are common, as at
// the first keystrokes, and walking the contacts in order (reading the
// index, not the table) meets a page of matches early: the first
// plan.budget contacts, then as many more as the matches met so far say
// are needed, up to plan.maxWalk. Past that, the candidates are sorted
// after all.
func (s contactSearch) rowids(ctx context.Context, tx *sql.Tx) ([]int64, error) {
	if len(s.m.likes) == 0 {
		return s.walk(ctx, tx, 0, s.limit, s.limit)
	}
	ftsTable, match, dense, err := s.m.narrowest(ctx, tx, s.plan.dense)
	if err != nil || !dense {
		return s.candidates(ctx, tx, ftsTable, match, err)
	}
	budget := s.plan.budget
	found, err := s.walk(ctx, tx, 0, budget, s.limit)
	if err == nil && len(found) > 0 && len(found) < s.limit {
		more := budget*(s.limit-len(found))/len(found) + budget/4
		if more <= s.plan.maxWalk-budget {
			next, err2 := s.walk(ctx, tx, budget, more, s.limit-len(found))
			found, err = append(found, next...), err2
			if err == nil && len(found) < s.limit {
				return s.walkedOrCandidates(ctx, tx, found, budget+more)
			}
		}
	}
	if err != nil || len(found) == s.limit {
		return found, err
	}
	return s.walkedOrCandidates(ctx, tx, found, budget)
}

// walkedOrCandidates returns found when the walk went through every
// contact (walked of them), the sorted candidates of all the full-text
// queries otherwise.
func (s contactSearch) walkedOrCandidates(ctx context.Context, tx *sql.Tx, found []int64, walked int) ([]int64, error) {
	all, err := s.fewerThan(ctx, tx, walked+1)
	if err != nil || all {
		return found, err
	}
	sub, subArgs := s.m.both()
	return s.sorted(ctx, tx, sub, subArgs)
}

// both returns the candidates of every full-text query of m, intersected
// before any row is read: for terms each common but rarely together.
func (m contactMatch) both() (string, []any) {
	switch {
	case m.trigram == "":
		return "SELECT rowid FROM contacts_words WHERE contacts_words MATCH ?", []any{m.prefixes}
	case m.prefixes == "":
		return "SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH ?", []any{m.trigram}
	}
	return `SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH ?
		INTERSECT SELECT rowid FROM contacts_words WHERE contacts_words MATCH ?`, []any{m.trigram, m.prefixes}
}

// kindSQL returns the condition on the kind asked, on the index's
// expression (or, with plus, without using the index).
func (s contactSearch) kindSQL(plus bool) (string, []any) {
	if s.kind == "" {
		return "1", nil
	}
	col := "kind"
	if plus {
		col = "+kind"
	}
	return "(" + col + " = 'external') = ?", []any{s.kind == selfcare.ContactExternal}
}

// walk returns up to limit matches among budget contacts in order, after
// the first offset ones, from the index alone.
func (s contactSearch) walk(ctx context.Context, tx *sql.Tx, offset, budget, limit int) ([]int64, error) {
	cond, args := s.kindSQL(false)
	args = append(append(append(args, budget, offset), s.m.likes...), limit)
	return queryRowids(ctx, tx, `SELECT r FROM (SELECT rowid AS r, kind = 'external' AS e, name AS n, search AS s
		FROM contacts INDEXED BY contacts_search_order WHERE `+cond+`
		ORDER BY kind = 'external', name COLLATE NOCASE LIMIT ? OFFSET ?)
		WHERE 1`+s.m.likeSQL("s")+` ORDER BY e, n COLLATE NOCASE LIMIT ?`, args...)
}

// fewerThan reports whether fewer than n contacts are of the kind asked.
func (s contactSearch) fewerThan(ctx context.Context, tx *sql.Tx, n int) (bool, error) {
	cond, args := s.kindSQL(false)
	var count int
	err := tx.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM contacts INDEXED BY contacts_search_order
		WHERE `+cond+` LIMIT ?)`, append(args, n)...).Scan(&count)
	return count < n, err
}

// candidates checks every term on the contacts a full-text query gives,
// and sorts them.
func (s contactSearch) candidates(ctx context.Context, tx *sql.Tx, ftsTable, match string, err error) ([]int64, error) {
	if err != nil {
		return nil, err
	}
	return s.sorted(ctx, tx, "SELECT rowid FROM "+ftsTable+" WHERE "+ftsTable+" MATCH ?", []any{match})
}

// sorted checks every term on the contacts whose rowids sub selects, and
// sorts them.
func (s contactSearch) sorted(ctx context.Context, tx *sql.Tx, sub string, subArgs []any) ([]int64, error) {
	cond, args := s.kindSQL(true)
	args = append(append(append(subArgs, args...), s.m.likes...), s.limit)
	return queryRowids(ctx, tx, `SELECT rowid FROM contacts WHERE rowid IN (`+sub+`)
		AND `+cond+s.m.likeSQL("search")+` ORDER BY kind = 'external', name COLLATE NOCASE LIMIT ?`, args...)
}

// narrowest returns the full-text query of m that gives the fewest
// contacts (trigram for the long terms, word prefixes for the short ones),
// and whether even that one gives dense contacts or more. Counting stops at
// dense, so it stays cheap.
func (m contactMatch) narrowest(ctx context.Context, tx *sql.Tx, dense int) (ftsTable, match string, isDense bool, err error) {
	best := dense + 1
	for _, q := range [][2]string{{"contacts_fts", m.trigram}, {"contacts_words", m.prefixes}} {
		if q[1] == "" {
			continue
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM `+q[0]+` WHERE `+q[0]+` MATCH ? LIMIT ?)`,
			q[1], dense).Scan(&n); err != nil {
			return "", "", false, err
		}
		if n < best {
			best, ftsTable, match = n, q[0], q[1]
		}
	}
	return ftsTable, match, best >= dense, nil
}

// queryRowids runs a query returning one integer column.
func queryRowids(ctx context.Context, tx *sql.Tx, query string, args ...any) ([]int64, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var r int64
		if err := rows.Scan(&r); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// escapeLike escapes LIKE wildcards (the call log's search uses it).
func escapeLike(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s)
}

// callerKeys returns the stored forms number may match: its canonical
// form, the number inside a sip: or tel: URI, and E.164 digits sent
// without their plus. Nothing when number is not a number at all.
func callerKeys(number string) []string {
	var keys []string
	add := func(s string) {
		if n, _, err := selfcare.NormalizeNumber("", s); err == nil && !slices.Contains(keys, n) {
			keys = append(keys, n)
		}
	}
	add(number)
	if user := uriUser(number); user != "" {
		add(user)
	}
	if d := onlyDigits(number); len(d) >= 8 && len(d) <= 15 && d[0] != '0' && !strings.Contains(number, "+") {
		add("+" + d)
	}
	return keys
}

// uriUser returns the user part of a sip:, sips: or tel: URI, without
// parameters; "" for anything else.
func uriUser(s string) string {
	lower := strings.ToLower(strings.TrimSpace(s))
	for _, scheme := range []string{"sip:", "sips:", "tel:"} {
		if strings.HasPrefix(lower, scheme) {
			rest := strings.TrimSpace(s)[len(scheme):]
			if i := strings.IndexAny(rest, "@;?>"); i >= 0 {
				rest = rest[:i]
			}
			return rest
		}
	}
	return ""
}
