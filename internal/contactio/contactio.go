// Package contactio reads and writes contact files: vCard 2.1, 3.0 and 4.0
// (what Thunderbird, Google Contacts and Outlook export, decoded with
// github.com/emersion/go-vcard) and CSV exports with a header row (Google,
// Outlook in English or French, Thunderbird, or simple name/number
// columns). It writes vCard 3.0 or 4.0.
//
// Reading never stops at a bad entry: every contact that can be read is
// returned, and every entry refused is reported with its line and the
// reason (a *selfcare.Error), so that the user sees what was left out and
// why. Only a file that is not a contacts file at all is refused whole.
package contactio

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/ligne-app/ligne/selfcare"
	"golang.org/x/text/encoding/charmap"
)

// MaxFileSize bounds a contacts file.
const MaxFileSize = 20 << 20

// Formats of contact files.
const (
	FormatVCard = "vcard"
	FormatCSV   = "csv"
)

// Entry is one contact read from a file. Its Kind is external; Line is
// where the entry starts in the file (1 for the first line).
type Entry struct {
	Contact selfcare.Contact
	Line    int
}

// Problem is an entry refused (Refused) or read with a part left out (a
// number that is not a number, notes cut): its line, the name as far as it
// could be read, and the reason.
type Problem struct {
	Line    int
	Name    string
	Refused bool
	Err     error
}

// Report is what reading a file gave: the contacts, and the problems in
// file order.
type Report struct {
	Format   string
	Entries  []Entry
	Problems []Problem
}

// Contacts returns the contacts of the report's entries.
func (r Report) Contacts() []selfcare.Contact {
	out := make([]selfcare.Contact, len(r.Entries))
	for i, e := range r.Entries {
		out[i] = e.Contact
	}
	return out
}

// Refused returns how many entries were refused.
func (r Report) Refused() int {
	n := 0
	for _, p := range r.Problems {
		if p.Refused {
			n++
		}
	}
	return n
}

// Read reads a vCard or CSV contacts file, telling them apart by content.
// It fails only when the file is too large, empty or not a contacts file.
func Read(r io.Reader) (Report, error) {
	data, err := readAll(r)
	if err != nil {
		return Report{}, err
	}
	if looksLikeVCard(data) {
		return readVCard(data)
	}
	return readCSV(data)
}

// readAll reads the file as UTF-8 text: a byte order mark is dropped, and a
// file that is not UTF-8 is taken as Windows-1252 (what Outlook writes in
// French).
func readAll(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("read contacts file: %w", err)
	}
	if len(data) > MaxFileSize {
		return nil, selfcare.Errorf(selfcare.CodeImportTooLarge, "", MaxFileSize>>20)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, selfcare.Errorf(selfcare.CodeFileEmpty, "")
	}
	if !utf8.Valid(data) {
		if data, err = charmap.Windows1252.NewDecoder().Bytes(data); err != nil {
			return nil, selfcare.Errorf(selfcare.CodeImportFormat, "")
		}
	}
	return data, nil
}

// looksLikeVCard reports whether the first non-blank line opens a vCard.
func looksLikeVCard(data []byte) bool {
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), MaxFileSize)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" {
			return strings.EqualFold(line, "BEGIN:VCARD")
		}
	}
	return false
}

// entryBuilder collects one entry's fields and problems, then validates it.
type entryBuilder struct {
	line     int
	contact  selfcare.Contact
	problems []Problem
}

func newEntry(line int) *entryBuilder {
	return &entryBuilder{line: line, contact: selfcare.Contact{Kind: selfcare.ContactExternal}}
}

// warn records a part of the entry left out.
func (b *entryBuilder) warn(err error) {
	b.problems = append(b.problems, Problem{Line: b.line, Err: err})
}

// addNumber keeps a number that reads as one, and warns about others.
func (b *entryBuilder) addNumber(t selfcare.NumberType, raw string) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return
	}
	n, _, err := selfcare.NormalizeNumber("number", raw)
	if err != nil {
		b.warn(err)
		return
	}
	for _, have := range b.contact.Numbers {
		if have.Number == n {
			return
		}
	}
	b.contact.Numbers = append(b.contact.Numbers, selfcare.TypedNumber{Type: t, Number: n})
}

// maxNotes is the longest note a contact keeps.
const maxNotes = 4000

// finish validates the entry: it is refused without a name or a number;
// long notes are cut with a warning.
func (b *entryBuilder) finish(rep *Report) {
	c := &b.contact
	c.Name, c.Company, c.Department = clip(c.Name, 100), clip(c.Company, 100), clip(c.Department, 100)
	if len(c.Notes) > maxNotes {
		c.Notes = clipBytes(c.Notes, maxNotes)
		b.warn(selfcare.Errorf(selfcare.CodeTooLong, "notes", maxNotes))
	}
	err := b.validate()
	for i := range b.problems {
		b.problems[i].Name = c.Name
	}
	if err != nil {
		b.problems = append(b.problems, Problem{Line: b.line, Name: c.Name, Refused: true, Err: err})
	} else {
		rep.Entries = append(rep.Entries, Entry{Contact: *c, Line: b.line})
	}
	rep.Problems = append(rep.Problems, b.problems...)
}

// validate checks the entry as the contact form would, and keeps it in
// its normal form. An email address that is not one is left out.
func (b *entryBuilder) validate() error {
	c := b.contact
	if strings.TrimSpace(c.Name) == "" {
		return selfcare.Errorf(selfcare.CodeRequired, "name")
	}
	if len(c.Numbers) == 0 {
		return selfcare.Errorf(selfcare.CodeImportNoNumber, "")
	}
	if c.Email = strings.TrimSpace(c.Email); c.Email != "" && selfcare.ValidateEmail("email", c.Email) != nil {
		b.warn(selfcare.Errorf(selfcare.CodeEmailInvalid, "email", c.Email))
		c.Email = ""
	}
	n, err := selfcare.NormalizeContact(c)
	if err == nil {
		b.contact = n
	}
	return err
}

// clip cuts s to n characters.
func clip(s string, n int) string {
	s = strings.TrimSpace(s)
	if r := []rune(s); len(r) > n {
		return strings.TrimSpace(string(r[:n]))
	}
	return s
}

// clipBytes cuts s to at most n bytes on a character boundary.
func clipBytes(s string, n int) string {
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// DirectorySource is the source of a company directory imported from a
// file: store.ReplaceDirectory(ctx, DirectorySource, AsDirectory(...)).
const DirectorySource = "import"

// AsDirectory turns contacts read from a file into colleagues of the
// company directory: ids "imp:1", "imp:2"..., internal, read-only, and a
// short internal number among the numbers becomes the extension.
func AsDirectory(cs []selfcare.Contact) []selfcare.Contact {
	out := make([]selfcare.Contact, len(cs))
	for i, c := range cs {
		c.ID, c.Kind, c.Source = fmt.Sprintf("imp:%d", i+1), selfcare.ContactInternal, DirectorySource
		c.Numbers = append([]selfcare.TypedNumber(nil), c.Numbers...)
		for j, n := range c.Numbers {
			if _, kind, err := selfcare.NormalizeNumber("", n.Number); err == nil && kind == selfcare.NumberExtension && c.Extension == "" {
				c.Extension, c.Numbers = n.Number, append(c.Numbers[:j], c.Numbers[j+1:]...)
				break
			}
		}
		out[i] = c
	}
	return out
}
