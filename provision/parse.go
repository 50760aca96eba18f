package provision

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// yealinkVersionLine must open every Yealink configuration file.
const yealinkVersionLine = "#!version:1.0.0.1"

// ParseYealink reads a Yealink configuration file back into its
// parameters. It refuses a file without the version line, a line that is
// not "key = value", and a key given twice (a phone keeps the last one,
// which hides mistakes).
func ParseYealink(data []byte) (map[string]string, error) {
	sc := bufio.NewScanner(bytes.NewReader(data))
	out := map[string]string{}
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if n == 1 && line != yealinkVersionLine {
			return nil, fmt.Errorf("parse yealink: line 1 is %q, want %q", line, yealinkVersionLine)
		}
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, value, ok := strings.Cut(line, "=")
		key, value = strings.TrimSpace(key), strings.TrimSpace(value)
		if !ok || key == "" || strings.ContainsAny(key, " \t") {
			return nil, fmt.Errorf("parse yealink: line %d is not key = value: %q", n, line)
		}
		if _, dup := out[key]; dup {
			return nil, fmt.Errorf("parse yealink: line %d repeats %s", n, key)
		}
		out[key] = value
	}
	return out, sc.Err()
}

// ParsePolycom reads a Poly configuration file back into its parameters:
// the attributes of every element, a parameter given twice being an error.
func ParsePolycom(data []byte) (map[string]string, error) {
	out := map[string]string{}
	err := walkXML(data, func(e xml.StartElement) error {
		for _, a := range e.Attr {
			if _, dup := out[a.Name.Local]; dup {
				return fmt.Errorf("parse polycom: %s given twice", a.Name.Local)
			}
			out[a.Name.Local] = a.Value
		}
		return nil
	})
	return out, err
}

// PolycomSpeedDial is one entry of a Poly -directory.xml.
type PolycomSpeedDial struct {
	Label   string `xml:"lb"`
	First   string `xml:"fn"`
	Contact string `xml:"ct"`
	Index   int    `xml:"sd"`
}

// ParsePolycomDirectory reads the speed dials of a -directory.xml.
func ParsePolycomDirectory(data []byte) ([]PolycomSpeedDial, error) {
	var d struct {
		Items []PolycomSpeedDial `xml:"item_list>item"`
	}
	if err := xml.Unmarshal(data, &d); err != nil {
		return nil, fmt.Errorf("parse polycom directory: %w", err)
	}
	return d.Items, nil
}

// walkXML calls fn for each start element of a well-formed document.
func walkXML(data []byte, fn func(xml.StartElement) error) error {
	dec := xml.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("parse xml: %w", err)
		}
		if e, ok := tok.(xml.StartElement); ok {
			if err := fn(e); err != nil {
				return err
			}
		}
	}
}
