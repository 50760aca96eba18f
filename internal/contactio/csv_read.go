package contactio

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"

	"github.com/ligne-app/ligne/selfcare"
)

// readCSV reads a CSV export whose first row names the columns. The
// delimiter is the one of comma, semicolon and tab the header uses most.
func readCSV(data []byte) (Report, error) {
	rep := Report{Format: FormatCSV}
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = delimiter(data)
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	header, err := r.Read()
	if err != nil {
		return rep, selfcare.Errorf(selfcare.CodeImportFormat, "")
	}
	cols := mapColumns(header)
	if !cols.usable() {
		return rep, selfcare.Errorf(selfcare.CodeImportFormat, "")
	}
	for {
		record, err := r.Read()
		if errors.Is(err, io.EOF) {
			return rep, nil
		}
		line, _ := r.FieldPos(0)
		if err != nil {
			rep.Problems = append(rep.Problems, Problem{Line: line, Refused: true, Err: selfcare.Errorf(selfcare.CodeFileCorrupt, "", csvReason(err))})
			continue
		}
		if blankRecord(record) {
			continue
		}
		b := newEntry(line)
		cols.fill(b, record)
		b.finish(&rep)
	}
}

// delimiter picks the separator the header line uses most.
func delimiter(data []byte) rune {
	first, _, _ := bytes.Cut(data, []byte("\n"))
	best, count := ',', bytes.Count(first, []byte(","))
	for _, d := range []rune{';', '\t'} {
		if n := bytes.Count(first, []byte(string(d))); n > count {
			best, count = d, n
		}
	}
	return best
}

// csvReason is the cause of a CSV error without its position (the report
// gives the line).
func csvReason(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

func blankRecord(record []string) bool {
	for _, f := range record {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// columns says which column holds what.
type columns struct {
	name, first, middle, last, company, department, email, notes []int
	phones                                                       []phoneColumn
}

// phoneColumn is a column of numbers, with its type or the column that
// labels it (Google's "Phone 1 - Label").
type phoneColumn struct {
	col, labelCol int
	kind          selfcare.NumberType
}

// usable reports whether the header names at least a name and a number.
func (c columns) usable() bool {
	named := len(c.name)+len(c.first)+len(c.last)+len(c.company) > 0
	return named && len(c.phones) > 0
}

// fill reads one record into the entry.
func (c columns) fill(b *entryBuilder, rec []string) {
	get := func(idx []int) string { return joinCells(rec, idx, " ") }
	ct := &b.contact
	ct.Name = get(c.name)
	if ct.Name == "" {
		ct.Name = strings.Join(nonEmpty([]string{get(c.first), get(c.middle), get(c.last)}), " ")
	}
	ct.Company, ct.Department = get(c.company), joinCells(rec, c.department, ", ")
	if ct.Name == "" {
		ct.Name = ct.Company
	}
	ct.Email, ct.Notes = firstCell(rec, c.email), joinCells(rec, c.notes, "\n")
	for _, p := range c.phones {
		kind, ok := p.kind, true
		if p.labelCol >= 0 {
			kind, ok = labelType(cell(rec, p.labelCol))
		}
		if !ok {
			continue
		}
		for _, n := range strings.Split(cell(rec, p.col), ":::") {
			b.addNumber(kind, n)
		}
	}
}

// labelType maps a Google phone label ("Mobile", "Work", "Home"...).
func labelType(label string) (selfcare.NumberType, bool) {
	return numberType(strings.Fields(strings.NewReplacer("*", " ", "/", " ").Replace(label)))
}

func cell(rec []string, i int) string {
	if i < 0 || i >= len(rec) {
		return ""
	}
	return strings.TrimSpace(rec[i])
}

func joinCells(rec []string, idx []int, sep string) string {
	var parts []string
	for _, i := range idx {
		if v := cell(rec, i); v != "" {
			parts = append(parts, v)
		}
	}
	return strings.Join(parts, sep)
}

func firstCell(rec []string, idx []int) string {
	for _, i := range idx {
		if v := cell(rec, i); v != "" {
			return v
		}
	}
	return ""
}
