package provision_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/ligne-app/ligne/provision"
	"github.com/ligne-app/ligne/selfcare"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// goldenCases are one per vendor family with every setting on, and one
// per distinct key capacity with the keys filled to the model's limit.
func goldenCases(t *testing.T) map[string]provision.Input {
	cases := map[string]provision.Input{
		"t4xs-T46S-settings":  rich(fixture(t, "T46S", 4)),
		"t4xu-T46U-settings":  rich(fixture(t, "T46U", 4)),
		"t5x-T54W-settings":   rich(fixture(t, "T54W", 4)),
		"vvx-VVX450-settings": rich(fixture(t, "VVX 450", 4)),
		"t4xu-T46U-plain":     fixture(t, "T46U", 0),
		"vvx-VVX250-plain":    fixture(t, "VVX 250", 0),
		"t4xs-T42S-no-server": noServer(fixture(t, "T42S", 1)),
	}
	seen := map[string]bool{}
	for _, m := range selfcare.Models() {
		shape := fmt.Sprintf("%d+%dx%d", m.LineKeys, m.Expansions, m.ExpansionKeys)
		if seen[shape] {
			continue
		}
		seen[shape] = true
		name := fmt.Sprintf("%s-%s-full-%s", strings.ToLower(m.Family), strings.ReplaceAll(m.Name, " ", ""), shape)
		cases[name] = fixture(t, m.Name, m.FunctionKeyCapacity())
	}
	return cases
}

// noServer is a phone rendered for files copied by hand: no server URL.
func noServer(in provision.Input) provision.Input {
	in.Server = provision.Endpoint{}
	in.Password = ""
	return in
}

func TestGoldenFiles(t *testing.T) {
	for name, in := range goldenCases(t) {
		t.Run(name, func(t *testing.T) {
			for file, data := range render(t, in) {
				golden := filepath.Join("testdata", "golden", name, file)
				if *update {
					writeGolden(t, golden, data)
					continue
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%v (run go test ./provision -update to create it)", err)
				}
				if !bytes.Equal(data, want) {
					t.Errorf("%s differs from its golden file; run go test ./provision -update and review the diff:\n%s", golden, firstDiff(want, data))
				}
			}
		})
	}
}

func writeGolden(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// firstDiff shows the first differing line of two files.
func firstDiff(want, got []byte) string {
	w, g := strings.Split(string(want), "\n"), strings.Split(string(got), "\n")
	for i := range max(len(w), len(g)) {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			return fmt.Sprintf("line %d: want %q, got %q", i+1, a, b)
		}
	}
	return ""
}

func TestEveryModelRefusesOneKeyTooMany(t *testing.T) {
	r, err := provision.NewRenderer()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range selfcare.Models() {
		in := fixture(t, m.Name, m.FunctionKeyCapacity()+1)
		_, err := r.Render(in)
		if selfcare.ErrorCode(err) != selfcare.CodeKeysOverCapacity {
			t.Fatalf("%s with %d keys: %v", m.Name, len(in.Keys), err)
		}
		want := fmt.Sprintf("The %s holds at most %d function keys.", m.Name, m.FunctionKeyCapacity())
		if got := selfcare.ErrorMessage(err, selfcare.LangEnglish); got != want {
			t.Errorf("%s: %q, want %q", m.Name, got, want)
		}
		if fr := selfcare.ErrorMessage(err, selfcare.LangFrench); !strings.Contains(fr, m.Name) || !strings.Contains(fr, fmt.Sprint(m.FunctionKeyCapacity())) {
			t.Errorf("%s: French message %q does not name the limit", m.Name, fr)
		}
		if _, err := r.Render(fixture(t, m.Name, m.FunctionKeyCapacity())); err != nil {
			t.Errorf("%s refuses exactly its capacity: %v", m.Name, err)
		}
	}
}

// sortedKeys lists a map's keys in order, for stable messages.
func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
