package cdr

import (
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/ligne-app/ligne/selfcare"
)

// callAliases maps accepted header names (French and English) to columns.
var callAliases = map[string]string{
	"id": "id", "cdr_id": "id",
	"ligne": "line", "line": "line",
	"sens": "direction", "direction": "direction",
	"debut": "start", "début": "start", "date": "start", "start": "start",
	"duree": "duration", "durée": "duration", "duration": "duration",
	"sonnerie": "ring", "ring": "ring",
	"correspondant": "remote", "remote": "remote", "numero": "remote", "numéro": "remote",
	"nom": "name", "name": "name",
	"statut": "outcome", "status": "outcome", "outcome": "outcome",
	"renvoi_vers": "forwarded_to", "forwarded_to": "forwarded_to",
	"motif": "reason", "reason": "reason",
}

var callRequired = []string{"id", "line", "direction", "start", "duration", "remote", "outcome"}

// outcomes maps the operator's status words to outcomes.
var outcomes = map[string]selfcare.Outcome{
	"repondu": selfcare.OutcomeAnswered, "répondu": selfcare.OutcomeAnswered, "answered": selfcare.OutcomeAnswered,
	"manque": selfcare.OutcomeMissed, "manqué": selfcare.OutcomeMissed, "missed": selfcare.OutcomeMissed,
	"messagerie": selfcare.OutcomeVoicemail, "voicemail": selfcare.OutcomeVoicemail,
	"renvoye": selfcare.OutcomeForwarded, "renvoyé": selfcare.OutcomeForwarded, "forwarded": selfcare.OutcomeForwarded,
	"rejete": selfcare.OutcomeRejected, "rejeté": selfcare.OutcomeRejected, "rejected": selfcare.OutcomeRejected,
	"echec": selfcare.OutcomeFailed, "échec": selfcare.OutcomeFailed, "failed": selfcare.OutcomeFailed,
}

// ReadCalls checks a CDR file and returns its records, or a *Report of
// every bad line. Times without a zone are read in loc.
func ReadCalls(r io.Reader, loc *time.Location) ([]selfcare.CallRecord, error) {
	t, err := readTable(r, callAliases)
	if err != nil {
		return nil, err
	}
	if miss := t.missing(callRequired); len(miss) > 0 {
		return nil, &Report{Errors: []LineError{{Line: 1, Err: selfcare.Errorf(selfcare.CodeCSVColumns, "file", strings.Join(miss, ", "))}}}
	}
	rep := &Report{}
	var out []selfcare.CallRecord
	for i, row := range t.rows {
		rec, errs := t.callRow(row, i+2, loc)
		rep.Errors = append(rep.Errors, errs...)
		out = append(out, rec)
	}
	if len(rep.Errors) > 0 {
		return nil, rep
	}
	return out, nil
}

// callRow reads one data line (number n of the file).
func (t *table) callRow(row []string, n int, loc *time.Location) (selfcare.CallRecord, []LineError) {
	var errs []LineError
	bad := func(col string, err error) { errs = append(errs, LineError{Line: n, Column: col, Err: err}) }
	rec := selfcare.CallRecord{Source: selfcare.SourceOperator, ExternalID: t.get(row, "id"), RemoteName: t.get(row, "name")}
	if rec.ExternalID == "" {
		bad("id", selfcare.Errorf(selfcare.CodeRequired, "id"))
	}
	rec.Line = lineKind(t.get(row, "line"))
	if !rec.Line.Valid() {
		bad("ligne", selfcare.Errorf(selfcare.CodeLineInvalid, "line", t.get(row, "line")))
	}
	rec.Direction = direction(t.get(row, "direction"))
	if rec.Direction == "" {
		bad("sens", selfcare.Errorf(selfcare.CodeChoiceInvalid, "direction", t.get(row, "direction")))
	}
	start, ok := parseTime(t.get(row, "start"), loc)
	if !ok {
		bad("debut", selfcare.Errorf(selfcare.CodeDateInvalid, "start", t.get(row, "start")))
	}
	talk, ring, derr := durations(t.get(row, "duration"), t.get(row, "ring"))
	if derr != nil {
		bad("duree", derr)
	}
	remote, _, err := selfcare.NormalizeNumber("remote", t.get(row, "remote"))
	if err != nil && t.get(row, "remote") != "" {
		bad("correspondant", err)
	}
	rec.Remote = remote
	if rec.Remote == "" && err == nil {
		rec.Remote = t.get(row, "remote")
	}
	rec.Outcome = outcomes[strings.ToLower(t.get(row, "outcome"))]
	if rec.Outcome == "" {
		bad("statut", selfcare.Errorf(selfcare.CodeChoiceInvalid, "outcome", t.get(row, "outcome")))
	}
	rec.ForwardedTo, rec.Reason = t.get(row, "forwarded_to"), t.get(row, "reason")
	setTimes(&rec, start, ring, talk)
	return rec, errs
}

// setTimes fills start, answer and end from the ring and talk durations.
func setTimes(rec *selfcare.CallRecord, start time.Time, ring, talk time.Duration) {
	rec.Start = start
	if rec.Outcome == selfcare.OutcomeAnswered {
		rec.Answer = start.Add(ring)
		rec.End = rec.Answer.Add(talk)
		return
	}
	rec.End = start.Add(ring + talk)
}

// durations reads talk and ring seconds.
func durations(talk, ring string) (time.Duration, time.Duration, error) {
	t, err := seconds(talk)
	if err != nil {
		return 0, 0, selfcare.Errorf(selfcare.CodeDurationInvalid, "duration", talk)
	}
	r := time.Duration(0)
	if ring != "" {
		if r, err = seconds(ring); err != nil {
			return 0, 0, selfcare.Errorf(selfcare.CodeDurationInvalid, "ring", ring)
		}
	}
	return t, r, nil
}

// seconds reads "125" or "00:02:05".
func seconds(s string) (time.Duration, error) {
	if h, rest, ok := strings.Cut(s, ":"); ok {
		m, sec, _ := strings.Cut(rest, ":")
		hh, e1 := strconv.Atoi(h)
		mm, e2 := strconv.Atoi(m)
		ss, e3 := strconv.Atoi(sec)
		if e1 != nil || e2 != nil || e3 != nil || mm > 59 || ss > 59 || hh < 0 {
			return 0, strconv.ErrSyntax
		}
		return time.Duration(hh*3600+mm*60+ss) * time.Second, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > 7*24*3600 {
		return 0, strconv.ErrSyntax
	}
	return time.Duration(n) * time.Second, nil
}

func lineKind(s string) selfcare.LineKind {
	switch strings.ToLower(s) {
	case "fixe", "fixed":
		return selfcare.LineFixed
	case "mobile":
		return selfcare.LineMobile
	}
	return selfcare.LineKind(s)
}

func direction(s string) selfcare.Direction {
	switch strings.ToLower(s) {
	case "sortant", "emis", "émis", "out", "outgoing":
		return selfcare.DirectionOut
	case "entrant", "recu", "reçu", "in", "incoming":
		return selfcare.DirectionIn
	}
	return ""
}
