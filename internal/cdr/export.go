package cdr

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"

	"github.com/ligne-app/ligne/selfcare"
)

// exportHeader is the header of an exported call log, in the same columns
// the importer reads (so an export can be imported elsewhere).
var exportHeader = []string{"id", "ligne", "sens", "debut", "sonnerie", "duree", "correspondant", "nom", "statut", "renvoi_vers", "motif"}

// outcomeWords are the French status words of the export.
var outcomeWords = map[selfcare.Outcome]string{
	selfcare.OutcomeAnswered: "répondu", selfcare.OutcomeMissed: "manqué", selfcare.OutcomeVoicemail: "messagerie",
	selfcare.OutcomeForwarded: "renvoyé", selfcare.OutcomeRejected: "rejeté", selfcare.OutcomeFailed: "échec",
}

// WriteCalls writes records as a CSV file that spreadsheets open directly:
// UTF-8 with a byte order mark, ';' separated, local times.
func WriteCalls(w io.Writer, recs []selfcare.CallRecord) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return fmt.Errorf("export calls: %w", err)
	}
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	if err := cw.Write(exportHeader); err != nil {
		return fmt.Errorf("export calls: %w", err)
	}
	for _, r := range recs {
		if err := cw.Write(exportRow(r)); err != nil {
			return fmt.Errorf("export calls: %w", err)
		}
	}
	cw.Flush()
	return cw.Error()
}

// exportRow is one record in the export's columns.
func exportRow(r selfcare.CallRecord) []string {
	id := r.ExternalID
	if id == "" {
		id = "ligne-" + strconv.FormatInt(r.ID, 10)
	}
	line, dir := "fixe", "sortant"
	if r.Line == selfcare.LineMobile {
		line = "mobile"
	}
	if r.Direction == selfcare.DirectionIn {
		dir = "entrant"
	}
	ring := r.End.Sub(r.Start) - r.Duration()
	if !r.Answer.IsZero() {
		ring = r.Answer.Sub(r.Start)
	}
	return []string{id, line, dir, r.Start.Format("2006-01-02 15:04:05"), strconv.Itoa(int(ring.Seconds())),
		strconv.Itoa(int(r.Duration().Seconds())), r.Remote, r.RemoteName, outcomeWords[r.Outcome], r.ForwardedTo, r.Reason}
}
