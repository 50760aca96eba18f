// Package cdr imports the operator's call detail records and mobile usage
// (CSV files, documented in docs/cdr.md) into the call log, for calls that
// did not go through Ligne (desk phone, mobile). A file is checked whole:
// every bad line is reported with its number, and a file with any bad line
// imports nothing. Records already imported (same operator id) are skipped.
package cdr

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/ligne-app/ligne/selfcare"
)

// MaxFileSize bounds an imported file.
const MaxFileSize = 64 << 20

// LineError is one problem of one line of a file.
type LineError struct {
	Line   int    // 1-based line number in the file (the header is line 1)
	Column string // column name, empty when the line itself is at fault
	Err    error  // a *selfcare.Error
}

// Error describes the problem in English, for logs.
func (e LineError) Error() string { return e.Message(selfcare.LangEnglish) }

// Message describes the problem in lang.
func (e LineError) Message(lang string) string {
	where := fmt.Sprintf("line %d", e.Line)
	if lang == selfcare.LangFrench {
		where = fmt.Sprintf("ligne %d", e.Line)
	}
	if e.Column != "" {
		where += " (" + e.Column + ")"
	}
	return where + " : " + selfcare.ErrorMessage(e.Err, lang)
}

// Report is the outcome of checking a file.
type Report struct {
	Errors []LineError
}

// Error joins the first problems, for logs.
func (r *Report) Error() string { return r.Message(selfcare.LangEnglish, 10) }

// Message lists up to max problems in lang, one per line.
func (r *Report) Message(lang string, max int) string {
	var b strings.Builder
	for i, e := range r.Errors {
		if i == max {
			fmt.Fprintf(&b, "… (+%d)\n", len(r.Errors)-max)
			break
		}
		b.WriteString(e.Message(lang) + "\n")
	}
	return strings.TrimSpace(b.String())
}

// table is a decoded CSV file: header columns and data rows.
type table struct {
	cols map[string]int // canonical column name -> index
	rows [][]string
}

// readTable decodes a CSV file in UTF-8 (with or without BOM) or
// Windows-1252, separated by ';' or ','. aliases maps accepted header names
// to canonical ones.
func readTable(r io.Reader, aliases map[string]string) (*table, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("read csv: %w", err)
	}
	if len(data) > MaxFileSize {
		return nil, selfcare.Errorf(selfcare.CodeFileTooLarge, "file", MaxFileSize>>20)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, selfcare.Errorf(selfcare.CodeFileEmpty, "file")
	}
	text, err := toUTF8(data)
	if err != nil {
		return nil, err
	}
	rd := csv.NewReader(strings.NewReader(text))
	rd.Comma = separator(text)
	rd.FieldsPerRecord = -1
	rd.TrimLeadingSpace = true
	records, err := rd.ReadAll()
	if err != nil {
		return nil, selfcare.Errorf(selfcare.CodeFileCorrupt, "file", err.Error())
	}
	return buildTable(records, aliases)
}

// toUTF8 returns data as text, decoding Windows-1252 when it is not UTF-8.
func toUTF8(data []byte) (string, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if utf8.Valid(data) {
		return string(data), nil
	}
	out, err := charmap.Windows1252.NewDecoder().Bytes(data)
	if err != nil {
		return "", selfcare.Errorf(selfcare.CodeFileCorrupt, "file", err.Error())
	}
	return string(out), nil
}

// separator picks ';' (French spreadsheets) or ',' from the header line.
func separator(text string) rune {
	head, _, _ := strings.Cut(text, "\n")
	if strings.Count(head, ";") >= strings.Count(head, ",") {
		return ';'
	}
	return ','
}

// buildTable maps the header to canonical columns.
func buildTable(records [][]string, aliases map[string]string) (*table, error) {
	t := &table{cols: map[string]int{}}
	for i, h := range records[0] {
		key := strings.ToLower(strings.TrimSpace(h))
		if canon, ok := aliases[key]; ok {
			t.cols[canon] = i
		}
	}
	t.rows = records[1:]
	return t, nil
}

// get returns the trimmed value of column col in row, "" when absent.
func (t *table) get(row []string, col string) string {
	i, ok := t.cols[col]
	if !ok || i >= len(row) {
		return ""
	}
	return strings.TrimSpace(row[i])
}

// missing lists required columns the header lacks.
func (t *table) missing(required []string) []string {
	var out []string
	for _, c := range required {
		if _, ok := t.cols[c]; !ok {
			out = append(out, c)
		}
	}
	return out
}

// timeLayouts are the date-time forms operators export.
var timeLayouts = []string{
	time.RFC3339, "2006-01-02 15:04:05", "2006-01-02T15:04:05", "02/01/2006 15:04:05", "02/01/2006 15:04", "2006-01-02 15:04",
}

// parseTime reads a date-time; times without a zone are in loc.
func parseTime(s string, loc *time.Location) (time.Time, bool) {
	for _, l := range timeLayouts {
		if t, err := time.ParseInLocation(l, s, loc); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
