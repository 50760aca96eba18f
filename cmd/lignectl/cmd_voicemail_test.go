package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ligne-app/ligne/internal/peers"
	"github.com/ligne-app/ligne/internal/testkeyring"
	"github.com/ligne-app/ligne/selfcare"
	"github.com/ligne-app/ligne/store"
)

// TestGreetingCommands: greeting add refuses a bad file in one clear line
// and changes nothing; a WAV is added and used; list --json shows it.
func TestGreetingCommands(t *testing.T) {
	dir, files := t.TempDir(), t.TempDir()
	bad := filepath.Join(files, "annonce.mp3")
	if err := os.WriteFile(bad, []byte("texte\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := ctl(t, "", "--data", dir, "--lang", "fr", "greeting", "add", bad, "--name", "Texte")
	if code != 1 || strings.TrimSpace(errOut) != "lignectl: Ce fichier n'est pas un MP3 / WAV lisible." {
		t.Fatalf("bad file: %d %q", code, errOut)
	}
	wav := filepath.Join(files, "bureau.wav")
	if err := peers.WriteWAV(wav, 16000, peers.Sine(16000, 440, 0.3, 2)); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := ctl(t, "", "--data", dir, "--lang", "en", "greeting", "add", wav, "--name", "Bureau"); code != 0 || !strings.Contains(out, "“Bureau” added (0:02)") {
		t.Fatalf("add: %d %q %q", code, out, errOut)
	}
	if code, out, errOut := ctl(t, "", "--data", dir, "--lang", "en", "greeting", "use", "bureau"); code != 0 || !strings.Contains(out, "“Bureau” is now the greeting") {
		t.Fatalf("use: %d %q %q", code, out, errOut)
	}
	code, out, _ := ctl(t, "", "--data", dir, "greeting", "list", "--json")
	var gs []greetingJSON
	if err := json.Unmarshal([]byte(out), &gs); code != 0 || err != nil || len(gs) != 1 || !gs[0].InUse || gs[0].DurationS != 2 {
		t.Fatalf("list: %d %q %v", code, out, err)
	}
	if _, err := os.Stat(gs[0].Path); err != nil {
		t.Fatalf("greeting file: %v", err)
	}
}

// TestVoicemailCommands: list --json, play --out (marks read), delete
// and restore.
func TestVoicemailCommands(t *testing.T) {
	dir := t.TempDir()
	db, err := store.Open(context.Background(), dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "voicemail"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := peers.WriteWAV(filepath.Join(dir, "voicemail", "m.wav"), 8000, peers.Sine(8000, 440, 0.3, 3)); err != nil {
		t.Fatal(err)
	}
	m, err := db.AddMessage(context.Background(), selfcare.VoicemailMessage{Line: selfcare.LineFixed, Caller: "+33472104021",
		At: time.Now(), Duration: 3 * time.Second, Path: "voicemail/m.wav", Transcription: "rappelez-moi", TranscriptionState: selfcare.TranscriptionDone})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	code, out, _ := ctl(t, "", "--data", dir, "voicemail", "list", "--json")
	var ms []messageJSON
	if err := json.Unmarshal([]byte(out), &ms); code != 0 || err != nil || len(ms) != 1 || ms[0].Read || ms[0].Transcription != "rappelez-moi" {
		t.Fatalf("list: %d %q %v", code, out, err)
	}
	copyTo := filepath.Join(t.TempDir(), "copie.wav")
	id := itoa(m.ID)
	if code, _, errOut := ctl(t, "", "--data", dir, "voicemail", "play", id, "--out", copyTo); code != 0 {
		t.Fatalf("play: %d %q", code, errOut)
	}
	if w, err := peers.ReadWAV(copyTo); err != nil || len(w.Samples) != 3*8000 {
		t.Fatalf("copied message: %d samples, %v", len(w.Samples), err)
	}
	if _, out, _ := ctl(t, "", "--data", dir, "--lang", "en", "voicemail", "list"); !strings.Contains(out, "0 new messages of 1.") {
		t.Fatalf("after play: %q", out)
	}
	if code, out, _ := ctl(t, "", "--data", dir, "--lang", "en", "voicemail", "delete", id); code != 0 || !strings.Contains(out, "bin") {
		t.Fatalf("delete: %d %q", code, out)
	}
	if _, out, _ := ctl(t, "", "--data", dir, "voicemail", "list", "--json"); strings.TrimSpace(out) != "[]" {
		t.Fatalf("after delete: %q", out)
	}
	if code, _, _ := ctl(t, "", "--data", dir, "voicemail", "restore", id); code != 0 {
		t.Fatalf("restore: %d", code)
	}
	if code, _, errOut := ctl(t, "", "--data", dir, "--lang", "en", "voicemail", "delete", "999"); code != 1 || !strings.Contains(errOut, "lignectl: ") {
		t.Fatalf("unknown message: %d %q", code, errOut)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestRunLightsTheDeskPhonesLamp: `lignectl run` shows Ligne's own
// voicemail count on the line's desk phone (sipp acting as the phone
// checks the message-summary NOTIFY), as the window does.
func TestRunLightsTheDeskPhonesLamp(t *testing.T) {
	testkeyring.Start(t)
	k := peers.StartKamailio(t, peers.KamailioOptions{Users: map[string]string{"4021": "pw-4021"}})
	dir := forwardWorkspace(t, k)
	db, err := store.Open(context.Background(), dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.AddMessage(context.Background(), selfcare.VoicemailMessage{Line: selfcare.LineFixed, Caller: "+33472104021",
		At: time.Now(), Duration: 3 * time.Second, Path: "voicemail/m.wav"})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	phone := peers.StartSipp(t, "../../provision/testdata/mwi-phone.xml", "-m", "1")
	const mac = "80:5E:C0:A1:B2:C3"
	for _, args := range [][]string{{"device", "add", "--model", "T46U", "--mac", mac, "--line", "fixed"}, {"device", "address", mac, phone.Addr()}} {
		if code, _, errOut := ctl(t, "", append([]string{"--data", dir}, args...)...); code != 0 {
			t.Fatalf("%v: %s", args, errOut)
		}
	}
	serve(t, dir)
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	r := phone.Wait(ctx)
	if r.ExitCode != 0 || r.Successful != 1 || !strings.Contains(r.Log, "Voice-Message: 1/0") {
		t.Fatalf("the desk phone was not told of 1 new message: exit %d\n%s", r.ExitCode, r.Log)
	}
}
