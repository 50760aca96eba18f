package ui

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ligne-app/ligne/selfcare"
)

func TestPhonesRingtoneImport(t *testing.T) {
	dir := t.TempDir()
	wav := append([]byte("RIFF\x24\x00\x00\x00WAVEfmt "), make([]byte, 40)...)
	name, err := importRingtone(dir, "../../Mon carillon été.WAV", bytes.NewReader(wav))
	if err != nil || name != "Mon-carillon-ete.wav" || !selfcare.ValidRingtoneFile(name) {
		t.Fatalf("import: %q %v", name, err)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "ringtones", name)); !bytes.Equal(got, wav) {
		t.Fatal("the ringtone was not copied into ringtones/")
	}
	for _, c := range []struct {
		data []byte
		want selfcare.Code
	}{
		{nil, selfcare.CodeFileEmpty},
		{[]byte("ID3\x03 this is an mp3"), selfcare.CodeFileType},
		{append([]byte("RIFF\x00\x00\x00\x00WAVE"), make([]byte, maxRingtoneBytes)...), selfcare.CodeFileTooLarge},
	} {
		if _, err := importRingtone(dir, "refused.wav", bytes.NewReader(c.data)); selfcare.ErrorCode(err) != c.want {
			t.Errorf("%q...: %v, want %s", c.data[:min(len(c.data), 8)], err, c.want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "ringtones", "refused.wav")); !os.IsNotExist(err) {
		t.Fatal("a refused file was written")
	}
	if got := ringtoneName(strings.Repeat("?", 3) + ".wav"); got != "sonnerie.wav" {
		t.Fatalf("name of an all-accent file: %q", got)
	}
}
