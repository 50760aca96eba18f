package packaging

import (
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestMacInfoPlist renders the Info.plist that dist-macos.sh puts into
// Ligne.app (the only part of the macOS recipe that runs on Linux) and
// checks what macOS reads from it: the tel:, sip: and callto: URL types,
// the microphone prompt, identity and versions.
func TestMacInfoPlist(t *testing.T) {
	path := filepath.Join(t.TempDir(), "Info.plist")
	if _, err := runScript(nil, "scripts/dist-macos.sh", "--info-plist", path); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	v, err := decodePlist(xml.NewDecoder(f))
	if err != nil {
		t.Fatalf("%s is not a property list: %v", path, err)
	}
	d, _ := v.(map[string]any)
	for k, want := range map[string]string{"CFBundleIdentifier": appID, "CFBundleExecutable": "ligne",
		"CFBundleName": "Ligne", "CFBundleShortVersionString": testAppVersion, "CFBundlePackageType": "APPL"} {
		if d[k] != want {
			t.Errorf("%s = %v, want %q", k, d[k], want)
		}
	}
	if n, err := strconv.Atoi(fmt.Sprint(d["CFBundleVersion"])); err != nil || n < 1 {
		t.Errorf("CFBundleVersion = %v, want a build number >= 1", d["CFBundleVersion"])
	}
	if s, _ := d["NSMicrophoneUsageDescription"].(string); len(s) < 20 {
		t.Errorf("NSMicrophoneUsageDescription = %q: macOS refuses the microphone without it", s)
	}
	var got []string
	types, _ := d["CFBundleURLTypes"].([]any)
	for _, ty := range types {
		ut, _ := ty.(map[string]any)
		list, _ := ut["CFBundleURLSchemes"].([]any)
		for _, s := range list {
			got = append(got, fmt.Sprint(s))
		}
	}
	for _, sc := range schemes {
		if !contains(got, sc) {
			t.Errorf("CFBundleURLTypes schemes %v lack %s", got, sc)
		}
	}
}

// TestMacMicrophoneTexts: the microphone prompt has a French and an English text.
func TestMacMicrophoneTexts(t *testing.T) {
	for _, lang := range []string{"fr", "en"} {
		b, err := os.ReadFile(filepath.Join("macos", lang+".lproj", "InfoPlist.strings"))
		if err != nil || !strings.Contains(string(b), `"NSMicrophoneUsageDescription" = "`) {
			t.Errorf("%s.lproj/InfoPlist.strings: no NSMicrophoneUsageDescription (%v)", lang, err)
		}
	}
}

// decodePlist decodes an XML property list into Go values: map[string]any
// for dict, []any for array, string for string/integer/date, bool.
func decodePlist(d *xml.Decoder) (any, error) {
	for {
		tok, err := d.Token()
		if err != nil {
			return nil, err
		}
		if se, ok := tok.(xml.StartElement); ok {
			if se.Name.Local == "plist" {
				continue
			}
			return plistValue(d, se)
		}
	}
}

// plistValue decodes the element opened by se.
func plistValue(d *xml.Decoder, se xml.StartElement) (any, error) {
	switch se.Name.Local {
	case "dict":
		return plistDict(d)
	case "array":
		return plistArray(d)
	case "true", "false":
		return se.Name.Local == "true", d.Skip()
	default:
		var s string
		err := d.DecodeElement(&s, &se)
		return s, err
	}
}

func plistDict(d *xml.Decoder) (map[string]any, error) {
	m := map[string]any{}
	key := ""
	for {
		tok, err := d.Token()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.EndElement:
			return m, nil
		case xml.StartElement:
			if t.Name.Local == "key" {
				if err := d.DecodeElement(&key, &t); err != nil {
					return nil, err
				}
				continue
			}
			v, err := plistValue(d, t)
			if err != nil {
				return nil, err
			}
			m[key] = v
		}
	}
}

func plistArray(d *xml.Decoder) ([]any, error) {
	var a []any
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return nil, io.ErrUnexpectedEOF
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.EndElement:
			return a, nil
		case xml.StartElement:
			v, err := plistValue(d, t)
			if err != nil {
				return nil, err
			}
			a = append(a, v)
		}
	}
}
