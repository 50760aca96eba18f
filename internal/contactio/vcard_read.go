package contactio

import (
	"errors"
	"io"
	"mime/quotedprintable"
	"strings"
	"unicode/utf8"

	"github.com/emersion/go-vcard"
	"github.com/ligne-app/ligne/selfcare"
	"golang.org/x/text/encoding/charmap"
)

// logicalLine is a vCard line once unfolded, with the file line it starts on.
type logicalLine struct {
	no   int
	text string
}

// cardLines is the lines of one BEGIN:VCARD ... END:VCARD block.
type cardLines struct {
	start int
	lines []string
	ended bool
}

// readVCard reads every card of a vCard file.
func readVCard(data []byte) (Report, error) {
	rep := Report{Format: FormatVCard}
	cards := splitCards(unfold(string(data)))
	if len(cards) == 0 {
		return rep, selfcare.Errorf(selfcare.CodeImportFormat, "")
	}
	for _, c := range cards {
		readCard(c, &rep)
	}
	return rep, nil
}

// unfold joins folded lines (a line starting with a space or a tab goes on
// the previous one) and vCard 2.1 quoted-printable soft breaks (a
// quoted-printable value ending with "=" goes on on the next line).
func unfold(text string) []logicalLine {
	raw := strings.Split(strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n"), "\n")
	var out []logicalLine
	for i := 0; i < len(raw); i++ {
		line := raw[i]
		if len(out) > 0 && line != "" && (line[0] == ' ' || line[0] == '\t') {
			out[len(out)-1].text += line[1:]
			continue
		}
		out = append(out, logicalLine{no: i + 1, text: line})
		for isQuotedPrintable(out[len(out)-1].text) && strings.HasSuffix(out[len(out)-1].text, "=") && i+1 < len(raw) {
			i++
			out[len(out)-1].text += "\n" + raw[i]
		}
	}
	return out
}

// isQuotedPrintable reports a property line whose value is quoted-printable.
func isQuotedPrintable(line string) bool {
	head, _, ok := strings.Cut(line, ":")
	return ok && strings.Contains(strings.ToUpper(head), "QUOTED-PRINTABLE")
}

// splitCards cuts the lines into cards. A card whose END is missing ends
// where the next one begins (or at the end of the file).
func splitCards(lines []logicalLine) []cardLines {
	var cards []cardLines
	var cur *cardLines
	for _, l := range lines {
		t := strings.TrimSpace(l.text)
		switch {
		case strings.EqualFold(t, "BEGIN:VCARD"):
			cards = append(cards, cardLines{start: l.no})
			cur = &cards[len(cards)-1]
		case cur == nil || t == "":
		case strings.EqualFold(t, "END:VCARD"):
			cur.ended, cur = true, nil
		default:
			cur.lines = append(cur.lines, l.text)
		}
	}
	return cards
}

// readCard decodes one card with go-vcard, once its lines are in the shape
// of vCard 3.0/4.0, and adds it to rep.
func readCard(c cardLines, rep *Report) {
	var sb strings.Builder
	sb.WriteString("BEGIN:VCARD\r\n")
	for _, l := range c.lines {
		if n, ok := normalizeLine(l); ok {
			sb.WriteString(n + "\r\n")
		}
	}
	sb.WriteString("END:VCARD\r\n")
	card, err := vcard.NewDecoder(strings.NewReader(sb.String())).Decode()
	if err != nil && !errors.Is(err, io.EOF) {
		rep.Problems = append(rep.Problems, Problem{Line: c.start, Refused: true, Err: selfcare.Errorf(selfcare.CodeFileCorrupt, "", err.Error())})
		return
	}
	b := newEntry(c.start)
	fillFromCard(b, card)
	switch {
	case !c.ended:
		rep.Problems = append(rep.Problems, Problem{Line: c.start, Name: b.contact.Name, Refused: true,
			Err: selfcare.Errorf(selfcare.CodeFileCorrupt, "", "END:VCARD")})
	case strings.EqualFold(card.Value(vcard.FieldKind), string(vcard.KindGroup)):
		rep.Problems = append(rep.Problems, Problem{Line: c.start, Name: b.contact.Name, Refused: true,
			Err: selfcare.Errorf(selfcare.CodeChoiceInvalid, "", "KIND:group")})
	default:
		b.finish(rep)
	}
}

// binaryProperties carry pictures, sounds and keys: Ligne has no use for
// them, and vCard 2.1 writes them in a shape go-vcard does not read.
var binaryProperties = map[string]bool{"PHOTO": true, "LOGO": true, "SOUND": true, "KEY": true}

// normalizeLine turns a vCard 2.1 line into the 3.0/4.0 shape: bare
// parameters (TEL;WORK;VOICE) become TYPE=..., quoted-printable values and
// CHARSET parameters are decoded. It reports false for a line to leave out.
func normalizeLine(line string) (string, bool) {
	head, value, ok := splitProperty(line)
	if !ok {
		return "", false
	}
	name, params := splitParams(head)
	base := strings.ToUpper(name[strings.LastIndex(name, ".")+1:])
	if binaryProperties[base] {
		return "", false
	}
	var out []string
	qp, charset := false, ""
	for _, p := range params {
		k, v, hasValue := strings.Cut(p, "=")
		k = strings.ToUpper(strings.TrimSpace(k))
		switch {
		case !hasValue:
			out = append(out, "TYPE="+p)
		case k == "ENCODING" && strings.EqualFold(v, "QUOTED-PRINTABLE"):
			qp = true
		case k == "ENCODING" && (strings.EqualFold(v, "B") || strings.EqualFold(v, "BASE64")):
			return "", false
		case k == "CHARSET":
			charset = strings.ToLower(strings.Trim(v, `"`))
		default:
			out = append(out, p)
		}
	}
	if qp {
		value = escapeText(decodeQP(value, charset))
	}
	return strings.Join(append([]string{name}, out...), ";") + ":" + value, true
}

// splitProperty cuts a line at the colon that ends its name and
// parameters (a colon inside a quoted parameter value does not count).
func splitProperty(line string) (head, value string, ok bool) {
	quoted := false
	for i, r := range line {
		switch {
		case r == '"':
			quoted = !quoted
		case r == ':' && !quoted:
			return line[:i], line[i+1:], i > 0
		}
	}
	return "", "", false
}

// splitParams cuts "NAME;P1;P2=V" at the semicolons outside quotes.
func splitParams(head string) (string, []string) {
	var parts []string
	quoted, start := false, 0
	for i, r := range head {
		switch {
		case r == '"':
			quoted = !quoted
		case r == ';' && !quoted:
			parts = append(parts, head[start:i])
			start = i + 1
		}
	}
	parts = append(parts, head[start:])
	var params []string
	for _, p := range parts[1:] {
		if p = strings.TrimSpace(p); p != "" {
			params = append(params, p)
		}
	}
	return parts[0], params
}

// decodeQP decodes a quoted-printable value written in charset (UTF-8 when
// empty or unknown).
func decodeQP(value, charset string) string {
	value = strings.ReplaceAll(value, "=\n", "")
	b, err := io.ReadAll(quotedprintable.NewReader(strings.NewReader(value)))
	if err != nil {
		return value
	}
	switch charset {
	case "windows-1252", "cp1252", "iso-8859-1", "iso-8859-15", "latin1":
		b = fromWindows1252(b)
	default:
		if !utf8.Valid(b) { // no or a wrong CHARSET: as the file itself, Windows-1252
			b = fromWindows1252(b)
		}
	}
	return strings.ReplaceAll(string(b), "\r\n", "\n")
}

// fromWindows1252 decodes Windows-1252 bytes (kept as they are if that fails).
func fromWindows1252(b []byte) []byte {
	if d, err := charmap.Windows1252.NewDecoder().Bytes(b); err == nil {
		return d
	}
	return b
}

// escapeText escapes a decoded value for go-vcard's parser.
func escapeText(s string) string {
	return strings.NewReplacer(`\`, `\\`, "\n", `\n`).Replace(s)
}

// textValue undoes the escapes go-vcard leaves (\; \: \N).
func textValue(s string) string {
	return strings.TrimSpace(strings.NewReplacer(`\;`, ";", `\:`, ":", `\N`, "\n").Replace(s))
}

// structured splits a compound value (N, ORG) at unescaped semicolons.
func structured(s string) []string {
	var out []string
	var cur strings.Builder
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\\' && i+1 < len(s):
			cur.WriteByte(s[i])
			cur.WriteByte(s[i+1])
			i++
		case s[i] == ';':
			out = append(out, textValue(cur.String()))
			cur.Reset()
		default:
			cur.WriteByte(s[i])
		}
	}
	return append(out, textValue(cur.String()))
}
