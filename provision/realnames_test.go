package provision_test

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ligne-app/ligne/provision"
	"github.com/ligne-app/ligne/selfcare"
)

// referenceDir is the team's shared reference folder beside the
// repository; CI has only the copies in testdata.
const referenceDir = "../../shared/reference"

// readNames reads a reference list: one normalized name a line, # comments.
func readNames(t *testing.T, file string) map[string]bool {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); l != "" && !strings.HasPrefix(l, "#") {
			names[l] = true
		}
	}
	if len(names) < 100 {
		t.Fatalf("%s holds only %d names", file, len(names))
	}
	return names
}

// index matches a numeric segment of a parameter name.
var index = regexp.MustCompile(`(^|\.)[0-9]+(\.|$)`)

// normalize writes every numeric index as X: linekey.12.type -> linekey.X.type.
func normalize(key string) string {
	for index.MatchString(key) {
		key = index.ReplaceAllString(key, "${1}X${2}")
	}
	return key
}

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{
		"linekey.12.type": "linekey.X.type", "expansion_module.1.key.60.label": "expansion_module.X.key.X.label",
		"account.1.codec.g722.enable": "account.X.codec.g722.enable", "voice_mail.number.1": "voice_mail.number.X",
		"reg.1.server.2.address": "reg.X.server.X.address", "se.rt.custom1.ringer": "se.rt.custom1.ringer",
	} {
		if got := normalize(in); got != want {
			t.Errorf("normalize(%s) = %s, want %s", in, got, want)
		}
	}
}

// variants are inputs that together switch every optional block on and off.
func variants(t *testing.T, m selfcare.Model) []provision.Input {
	return []provision.Input{fixture(t, m.Name, m.FunctionKeyCapacity()), rich(fixture(t, m.Name, 3)), noServer(fixture(t, m.Name, 0))}
}

// TestRealParameterNames: every parameter Ligne writes is one the phones
// know, as listed in the reference lists (numeric indices written X).
func TestRealParameterNames(t *testing.T) {
	yealink, polycom := readNames(t, "yealink-params.txt"), readNames(t, "polycom-params.txt")
	written := 0
	for _, m := range selfcare.Models() {
		for _, in := range variants(t, m) {
			for name, data := range render(t, in) {
				params := parseParams(t, m, name, data)
				known := yealink
				if m.Vendor == selfcare.VendorPolycom {
					known = polycom
				}
				for key := range params {
					written++
					if !known[normalize(key)] {
						t.Errorf("%s %s writes %s (%s), not in the %s reference list", m.Name, name, key, normalize(key), m.Vendor)
					}
				}
			}
		}
	}
	if written < 1000 {
		t.Fatalf("only %d parameters checked: the test is not looking at the files", written)
	}
}

// parseParams returns the parameters of a rendered file. Poly's master
// file and directory are not parameter files: their fixed element and
// attribute names are checked here instead.
func parseParams(t *testing.T, m selfcare.Model, name string, data []byte) map[string]string {
	t.Helper()
	switch {
	case m.Vendor == selfcare.VendorYealink:
		p, err := provision.ParseYealink(data)
		if err != nil {
			t.Fatalf("%s %s: %v", m.Name, name, err)
		}
		return p
	case name == provision.PolycomMasterFile:
		checkMaster(t, data)
		return nil
	case strings.HasSuffix(name, "-directory.xml"):
		if _, err := provision.ParsePolycomDirectory(data); err != nil {
			t.Fatal(err)
		}
		return nil
	}
	p, err := provision.ParsePolycom(data)
	if err != nil {
		t.Fatalf("%s %s: %v", m.Name, name, err)
	}
	return p
}

// masterAttributes are the attributes of Poly's APPLICATION element.
var masterAttributes = map[string]bool{"APP_FILE_PATH": true, "CONFIG_FILES": true, "MISC_FILES": true, "LOG_FILE_DIRECTORY": true,
	"OVERRIDES_DIRECTORY": true, "CONTACTS_DIRECTORY": true, "LICENSE_DIRECTORY": true, "USER_PROFILES_DIRECTORY": true, "CALL_LISTS_DIRECTORY": true}

func checkMaster(t *testing.T, data []byte) {
	t.Helper()
	p, err := provision.ParsePolycom(data)
	if err != nil {
		t.Fatal(err)
	}
	for k := range p {
		if !masterAttributes[k] {
			t.Errorf("master file writes %s, not an APPLICATION attribute", k)
		}
	}
}

// TestReferenceCopiesMatch: the copies in testdata are the team's
// reference lists (checked when the shared folder is beside the checkout).
func TestReferenceCopiesMatch(t *testing.T) {
	for _, f := range []string{"yealink-params.txt", "polycom-params.txt"} {
		shared, err := os.ReadFile(filepath.Join(referenceDir, f))
		if os.IsNotExist(err) {
			t.Logf("%s not beside the checkout: checking against testdata only", referenceDir)
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		local, err := os.ReadFile(filepath.Join("testdata", f))
		if err != nil || !bytes.Equal(local, shared) {
			t.Errorf("testdata/%s differs from %s: copy it again", f, filepath.Join(referenceDir, f))
		}
	}
}
