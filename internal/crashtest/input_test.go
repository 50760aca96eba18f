package crashtest

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// inputCase is one bad input typed or picked by a user, and the command
// that shows what is saved.
type inputCase struct {
	name  string
	args  []string
	state []string
}

// TestBadInputIsExplainedAndChangesNothing gives lignectl bad numbers,
// e-mails, MACs, URLs, delays, and files of the wrong type or too large.
// Each must be refused with one clear line in the user's language
// (French by default, English with --lang en; never the generic "something
// unexpected" text), and what was saved before must be exactly as it was.
func TestBadInputIsExplainedAndChangesNothing(t *testing.T) {
	dir := t.TempDir()
	files := badFiles(t)
	run(t, dir, "profile", "load", filepath.Join("..", "..", "assets", "demo", "profile.json"))
	run(t, dir, "forward", "set", "immediate", "--to", "0612345678")
	run(t, dir, "contacts", "add", "--name", "Jeanne Martin", "--number", "0472000000")
	forwards := []string{"forward", "list", "--json"}
	contacts := []string{"contacts", "list", "--kind", "external", "--json"}
	devices := []string{"device", "list", "--json"}
	greetings := []string{"greeting", "list", "--json"}
	for _, c := range []inputCase{
		{"number with letters", []string{"forward", "set", "immediate", "--to", "06-ABC-12"}, forwards},
		{"number too long", []string{"forward", "set", "busy", "--to", "061234567890123456789"}, forwards},
		{"delay out of range", []string{"forward", "set", "no-answer", "--to", "voicemail", "--delay", "999s"}, forwards},
		{"e-mail", []string{"contacts", "add", "--name", "Paul", "--number", "0612345679", "--email", "paul@@example"}, contacts},
		{"contact number", []string{"contacts", "add", "--name", "Paul", "--number", "n/a"}, contacts},
		{"MAC with letters", []string{"device", "add", "--model", "T46U", "--mac", "80:5e:c0:zz:bb:cc"}, devices},
		{"MAC too short", []string{"device", "add", "--model", "T46U", "--mac", "805ec0"}, devices},
		{"unknown model", []string{"device", "add", "--model", "T99Z", "--mac", "805ec0aabbcc"}, devices},
		{"profile URL in clear", []string{"profile", "load", "http://example.com/profile.json"}, contacts},
		{"provisioning URL", []string{"provision", "render", "--out", t.TempDir(), "--url", "ftp://127.0.0.1/"}, devices},
		{"greeting of the wrong type", []string{"greeting", "add", files["notes.txt"], "--name", "x"}, greetings},
		{"greeting named .wav but text", []string{"greeting", "add", files["fake.wav"], "--name", "x"}, greetings},
		{"greeting too long", []string{"greeting", "add", files["long.wav"], "--name", "x"}, greetings},
		{"contacts file is an image", []string{"contacts", "import", files["photo.png"]}, contacts},
		{"contacts file too large", []string{"contacts", "import", files["big.vcf"]}, contacts},
		{"profile not JSON", []string{"profile", "load", files["photo.png"]}, contacts},
		{"profile too large", []string{"profile", "load", files["big.json"]}, contacts},
		{"call records not CSV", []string{"calllog", "import", files["photo.png"]}, []string{"calllog", "export", "-"}},
	} {
		t.Run(c.name, func(t *testing.T) { refusedUnchanged(t, dir, c) })
	}
}

// refusedUnchanged runs the bad command in French and in English.
func refusedUnchanged(t *testing.T, dir string, c inputCase) {
	before := run(t, dir, c.state...)
	fr := refused(t, dir, "fr", c.args)
	en := refused(t, dir, "en", c.args)
	if fr == en {
		t.Errorf("the same message in French and English: %q", fr)
	}
	if after := run(t, dir, c.state...); !bytes.Equal(before, after) {
		t.Errorf("a refused input changed what was saved:\n%s\n---\n%s", before, after)
	}
	t.Logf("fr: %s | en: %s", fr, en)
}

// refused runs a command that must fail with one clear line.
func refused(t *testing.T, dir, lang string, args []string) string {
	t.Helper()
	cmd := exec.Command(lignectlBin, append([]string{"--data", dir, "--lang", lang}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	msg := strings.TrimSpace(stderr.String())
	if err == nil {
		t.Fatalf("%v was accepted", args)
	}
	if msg == "" || strings.Count(msg, "\n") > 0 && !strings.HasPrefix(msg, "lignectl: ") {
		t.Fatalf("%v: message %q", args, msg)
	}
	for _, generic := range []string{"inattendue", "unexpected", "constraint", "sql"} {
		if strings.Contains(strings.ToLower(msg), generic) {
			t.Fatalf("%v (%s): a message the user cannot act on: %q", args, lang, msg)
		}
	}
	return msg
}

// run runs a command that must succeed and returns its output.
func run(t *testing.T, dir string, args ...string) []byte {
	t.Helper()
	out, err := exec.Command(lignectlBin, append([]string{"--data", dir}, args...)...).Output()
	if err != nil {
		t.Fatalf("lignectl %v: %v", args, err)
	}
	return out
}

// badFiles writes the files a user might pick by mistake.
func badFiles(t *testing.T) map[string]string {
	t.Helper()
	dir := t.TempDir()
	text := []byte("Bonjour, ceci est un texte, pas un son.\n")
	files := map[string][]byte{
		"notes.txt": text,
		"fake.wav":  text,
		"photo.png": append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), make([]byte, 200)...),
		"long.wav":  wavOfSeconds(150),
		"big.vcf":   bytes.Repeat([]byte("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:X\r\nTEL:0612345678\r\nEND:VCARD\r\n"), 21<<20/60),
		"big.json":  append([]byte(`{"schema":"ligne.profile/1","company":{"name":"`), append(bytes.Repeat([]byte("x"), 9<<20), `"}}`...)...),
	}
	out := map[string]string{}
	for name, b := range files {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		out[name] = p
	}
	return out
}

// wavOfSeconds is a silent-free 8 kHz mono WAV of the given length.
func wavOfSeconds(s int) []byte {
	n := s * 8000 * 2
	h := []byte("RIFF\x00\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00\x40\x1f\x00\x00\x80\x3e\x00\x00\x02\x00\x10\x00data\x00\x00\x00\x00")
	le := func(b []byte, v int) { b[0], b[1], b[2], b[3] = byte(v), byte(v>>8), byte(v>>16), byte(v>>24) }
	le(h[4:8], n+36)
	le(h[40:44], n)
	data := make([]byte, n)
	for i := 0; i < n; i += 2 {
		data[i+1] = byte(i / 2 % 40) // a sawtooth, far from silence
	}
	return append(h, data...)
}
