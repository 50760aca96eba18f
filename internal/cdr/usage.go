package cdr

import (
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/ligne-app/ligne/selfcare"
)

var usageAliases = map[string]string{
	"id": "id", "ligne": "line", "line": "line", "date": "at", "at": "at",
	"type": "kind", "kind": "kind", "quantite": "amount", "quantité": "amount", "amount": "amount",
	"unite": "unit", "unité": "unit", "unit": "unit",
	"correspondant": "remote", "remote": "remote",
}

var usageRequired = []string{"id", "line", "at", "kind", "amount"}

// units converts a data unit to bytes.
var units = map[string]int64{"": 1, "o": 1, "b": 1, "octets": 1, "bytes": 1, "ko": 1 << 10, "kb": 1 << 10, "mo": 1 << 20, "mb": 1 << 20, "go": 1 << 30, "gb": 1 << 30}

// ReadUsage checks a mobile usage file (data and SMS) and returns its
// records, or a *Report of every bad line.
func ReadUsage(r io.Reader, loc *time.Location) ([]selfcare.UsageRecord, error) {
	t, err := readTable(r, usageAliases)
	if err != nil {
		return nil, err
	}
	if miss := t.missing(usageRequired); len(miss) > 0 {
		return nil, &Report{Errors: []LineError{{Line: 1, Err: selfcare.Errorf(selfcare.CodeCSVColumns, "file", strings.Join(miss, ", "))}}}
	}
	rep := &Report{}
	var out []selfcare.UsageRecord
	for i, row := range t.rows {
		u, errs := t.usageRow(row, i+2, loc)
		rep.Errors = append(rep.Errors, errs...)
		out = append(out, u)
	}
	if len(rep.Errors) > 0 {
		return nil, rep
	}
	return out, nil
}

func (t *table) usageRow(row []string, n int, loc *time.Location) (selfcare.UsageRecord, []LineError) {
	var errs []LineError
	bad := func(col string, err error) { errs = append(errs, LineError{Line: n, Column: col, Err: err}) }
	u := selfcare.UsageRecord{ExternalID: t.get(row, "id"), Line: lineKind(t.get(row, "line")), Remote: t.get(row, "remote")}
	if u.ExternalID == "" {
		bad("id", selfcare.Errorf(selfcare.CodeRequired, "id"))
	}
	if !u.Line.Valid() {
		bad("ligne", selfcare.Errorf(selfcare.CodeLineInvalid, "line", t.get(row, "line")))
	}
	var ok bool
	if u.At, ok = parseTime(t.get(row, "at"), loc); !ok {
		bad("date", selfcare.Errorf(selfcare.CodeDateInvalid, "at", t.get(row, "at")))
	}
	switch strings.ToLower(t.get(row, "kind")) {
	case "data", "donnees", "données":
		u.Kind = selfcare.UsageData
	case "sms":
		u.Kind = selfcare.UsageSMS
	default:
		bad("type", selfcare.Errorf(selfcare.CodeChoiceInvalid, "kind", t.get(row, "kind")))
	}
	amount, err := quantity(t.get(row, "amount"), t.get(row, "unit"))
	if err != nil {
		bad("quantite", err)
	}
	u.Amount = amount
	return u, errs
}

// quantity reads an amount with its unit ("1,5" "Go" -> bytes).
func quantity(s, unit string) (int64, error) {
	f, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", "."), 64)
	mult, ok := units[strings.ToLower(unit)]
	if err != nil || f < 0 || !ok {
		return 0, selfcare.Errorf(selfcare.CodeOutOfRange, "amount", 0, "∞")
	}
	return int64(f * float64(mult)), nil
}
