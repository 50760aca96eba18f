package voicemail

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ligne-app/ligne/selfcare"
)

const transcribeSentence = "please call me back tomorrow morning about the delivery of the new printer"

// festivalSpeech says sentence with festival's HTS voice into a WAV.
func festivalSpeech(t *testing.T, sentence string) string {
	t.Helper()
	if _, err := exec.LookPath("text2wave"); err != nil {
		t.Fatal("text2wave is missing: scripts/deps.sh test installs festival and festvox-us-slt-hts")
	}
	out := filepath.Join(t.TempDir(), "festival.wav")
	cmd := exec.Command("text2wave", "-eval", "(voice_cmu_us_slt_arctic_hts)", "-o", out)
	cmd.Stdin = strings.NewReader(sentence)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("text2wave: %v\n%s", err, b)
	}
	return out
}

// wordErrorRate is the word-level edit distance over the reference length.
func wordErrorRate(ref, hyp string) float64 {
	r, h := strings.Fields(strings.ToLower(ref)), strings.Fields(strings.ToLower(hyp))
	prev := make([]int, len(h)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(r); i++ {
		cur := make([]int, len(h)+1)
		cur[0] = i
		for j := 1; j <= len(h); j++ {
			sub := prev[j-1]
			if r[i-1] != h[j-1] {
				sub++
			}
			cur[j] = min(sub, prev[j]+1, cur[j-1]+1)
		}
		prev = cur
	}
	return float64(prev[len(h)]) / float64(len(r))
}

// TestTranscriptionPocketsphinx runs the default command (Debian's
// pocketsphinx, US English model) on wideband messages: a sentence from
// festival's HTS voice must come out nearly whole; espeak-ng's far more
// synthetic voice is measured too and its word error rate reported.
func TestTranscriptionPocketsphinx(t *testing.T) {
	if _, err := exec.LookPath("pocketsphinx_continuous"); err != nil {
		t.Fatal("pocketsphinx_continuous is missing: scripts/deps.sh test installs pocketsphinx and pocketsphinx-en-us")
	}
	tr := CommandTranscriber{Command: DefaultTranscribeCommand}
	festival := wideMessage(t, festivalSpeech(t, transcribeSentence))
	text, err := tr.Transcribe(gctx(t), festival)
	if err != nil {
		t.Fatal(err)
	}
	wer := wordErrorRate(transcribeSentence, text)
	t.Logf("festival voice, 16 kHz: word error rate %.0f %% (%q)", 100*wer, text)
	if wer > 0.3 {
		t.Fatalf("transcription %q misses most words of %q (WER %.0f %%)", text, transcribeSentence, 100*wer)
	}
	espeak := wideMessage(t, speech(t, transcribeSentence, 22050, 0.3, 0.3))
	if text, err = tr.Transcribe(gctx(t), espeak); err != nil {
		t.Fatal(err)
	}
	t.Logf("espeak-ng voice, 16 kHz: word error rate %.0f %% (%q)", 100*wordErrorRate(transcribeSentence, text), text)
}

// wideMessage converts a WAV to a 16 kHz mono message file (what a G.722
// call records).
func wideMessage(t *testing.T, src string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "message.wav")
	run(t, "sox", src, "-r", "16000", "-c", "1", "-b", "16", out)
	return out
}

// TestTranscriptionRunsInBackground: a new message is listed at once as
// pending, then done with its text; a failing engine marks it
// unavailable, and the message and its notification are kept.
func TestTranscriptionRunsInBackground(t *testing.T) {
	dir := t.TempDir()
	db := openStore(t, dir)
	ok := New(Config{Store: db, Dir: dir, Logger: testLogger(t), Transcriber: CommandTranscriber{Command: DefaultTranscribeCommand}})
	t.Cleanup(ok.Close)
	msg := storedMessage(t, ok, selfcare.LineFixed)
	run(t, "sox", festivalSpeech(t, transcribeSentence), "-r", "16000", "-c", "1", "-b", "16", "-t", "wav", ok.Path(msg.Path)+".new")
	if err := os.Rename(ok.Path(msg.Path)+".new", ok.Path(msg.Path)); err != nil {
		t.Fatal(err)
	}
	if listed, _ := db.Messages(gctx(t), msg.Line); len(listed) != 1 || listed[0].TranscriptionState != selfcare.TranscriptionPending {
		t.Fatalf("before the engine ran: %+v", listed)
	}
	ok.afterDeposit(msg)
	ok.wg.Wait()
	got, _ := db.Message(gctx(t), msg.ID)
	if got.TranscriptionState != selfcare.TranscriptionDone || wordErrorRate(transcribeSentence, got.Transcription) > 0.3 {
		t.Fatalf("after the engine: %q %q", got.TranscriptionState, got.Transcription)
	}

	bad := New(Config{Store: db, Dir: dir, Logger: testLogger(t), Transcriber: CommandTranscriber{Command: "false {wav}", Timeout: 10 * time.Second}})
	t.Cleanup(bad.Close)
	second := storedMessage(t, bad, selfcare.LineFixed)
	bad.afterDeposit(second)
	bad.wg.Wait()
	got, _ = db.Message(gctx(t), second.ID)
	if got.TranscriptionState != selfcare.TranscriptionUnavailable || got.Deleted || got.Duration == 0 {
		t.Fatalf("after a failed transcription: %+v", got)
	}
	if listed, _ := db.Messages(gctx(t), selfcare.LineFixed); len(listed) != 2 {
		t.Fatalf("%d messages listed after a failed transcription, want 2", len(listed))
	}
}
