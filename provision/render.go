package provision

import (
	"bytes"
	"embed"
	"encoding/xml"
	"fmt"
	"strings"
	"text/template"

	"github.com/ligne-app/ligne/selfcare"
)

//go:embed templates/*.tmpl
var templateFS embed.FS

// File is one rendered configuration file.
type File struct {
	Name string // as the phone asks for it: "805ec0a1b2c3.cfg"
	Data []byte
	// Shared marks a file common to several phones (a Yealink model's
	// common file, Poly's master file), served to each of them.
	Shared bool
}

// Renderer renders configuration files from the embedded templates. It is
// safe for concurrent use.
type Renderer struct {
	tmpl *template.Template
}

// NewRenderer parses the embedded templates.
func NewRenderer() (*Renderer, error) {
	t, err := template.New("provision").Option("missingkey=error").Funcs(templateFuncs()).ParseFS(templateFS, "templates/*.tmpl")
	if err != nil {
		return nil, fmt.Errorf("parse provisioning templates: %w", err)
	}
	return &Renderer{tmpl: t}, nil
}

// templateFuncs escape values for each file format and name keys.
func templateFuncs() template.FuncMap {
	return template.FuncMap{"v": yealinkValue, "x": xmlAttr, "b": boolDigit, "keyAt": newKeyAt,
		"pollSeconds": func() int { return pollSeconds }}
}

// keyAt is a Yealink key with the prefix of its parameters
// ("linekey.3", "expansion_module.1.key.7").
type keyAt struct {
	Prefix string
	Key    yealinkKey
}

func newKeyAt(prefix string, k yealinkKey) keyAt { return keyAt{Prefix: prefix, Key: k} }

// Render returns every file the phone of in fetches: for Yealink its
// <mac>.cfg and its model's common file, for Poly the master file, its
// -ligne.cfg and its -directory.xml.
func (r *Renderer) Render(in Input) ([]File, error) {
	slots, err := layout(in)
	if err != nil {
		return nil, err
	}
	switch in.Model.Family {
	case "T4xS", "T4xU", "T5x":
		return r.renderYealink(in, slots)
	case "VVX":
		return r.renderPolycom(in, slots)
	}
	return nil, errNoTemplate(in.Model.Family)
}

// execute runs one template into a file.
func (r *Renderer) execute(name, file string, shared bool, data any) (File, error) {
	var buf bytes.Buffer
	if err := r.tmpl.ExecuteTemplate(&buf, name, data); err != nil {
		return File{}, fmt.Errorf("render %s: %w", file, err)
	}
	return File{Name: file, Data: tidy(buf.Bytes()), Shared: shared}, nil
}

// tidy keeps at most one blank line in a row and ends the file with one
// line break, whatever the templates' optional blocks left.
func tidy(b []byte) []byte {
	for bytes.Contains(b, []byte("\n\n\n")) {
		b = bytes.ReplaceAll(b, []byte("\n\n\n"), []byte("\n\n"))
	}
	return append(bytes.TrimRight(b, "\n"), '\n')
}

// yealinkValue makes s safe as a Yealink value: it runs to the end of its
// line, so line breaks and other control characters would start a new
// parameter; they become spaces.
func yealinkValue(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
}

// xmlAttr escapes s for a double-quoted XML attribute.
func xmlAttr(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

func boolDigit(v bool) string {
	if v {
		return "1"
	}
	return "0"
}

// YealinkCommonFile names a Yealink model's common file: y0000000000XX.cfg
// with XX the model's id ("108" gives y000000000108.cfg).
func YealinkCommonFile(m selfcare.Model) string {
	return "y" + strings.Repeat("0", 12-len(m.CommonID)) + m.CommonID + ".cfg"
}

// Names of the Poly files.
const (
	PolycomMasterFile = "000000000000.cfg"
	polycomPhoneFile  = "-ligne.cfg"
	polycomDirectory  = "-directory.xml"
)

// DeviceFiles lists the names of the files a device fetches, in the order
// it asks for them.
func DeviceFiles(d selfcare.Device) []string {
	m, ok := selfcare.FindModel(d.Model)
	if !ok {
		return nil
	}
	if m.Vendor == selfcare.VendorPolycom {
		return []string{PolycomMasterFile, d.MAC + polycomPhoneFile, d.MAC + polycomDirectory}
	}
	return []string{YealinkCommonFile(m), d.MAC + ".cfg"}
}
