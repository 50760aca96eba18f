package voicemail

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ligne-app/ligne/internal/peers"
)

const killedSentence = "This message is long on purpose. I am calling about the invoice for March, " +
	"which still has not been paid, and about the meeting we planned for next Tuesday at ten."

// TestKilledMidMessage runs Ligne's voicemail in a child process, has
// baresip leave a message, kills the child with SIGKILL while the caller
// speaks, and checks that the next start keeps what was recorded: a valid
// WAV with the caller's words, listed unread.
func TestKilledMidMessage(t *testing.T) {
	if dir := os.Getenv("LIGNE_VM_CHILD"); dir != "" {
		childMachine(t, dir)
		return
	}
	dir, port := t.TempDir(), peers.FreePort(t)
	child := startChild(t, dir, port)
	src := speech(t, killedSentence, 48000, 9, 0)
	b := peers.StartBaresip(t, peers.BaresipOptions{SourceFile: src})
	if err := b.Dial(gctx(t), "sip:alice@"+peers.HostPort(port)); err != nil {
		t.Fatal(err)
	}
	partial := waitRecording(t, dir, 3*time.Second)
	if err := child.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = child.Wait()
	t.Logf("killed the child while it recorded %s", partial)
	if left := readPCM(t, partial); float64(len(left.Samples))/float64(left.Rate) < 2 {
		t.Fatalf("the file left by the kill announces %d samples, want at least 2 s", len(left.Samples))
	}

	db := openStore(t, dir)
	m := New(Config{Store: db, Dir: dir, Logger: testLogger(t), Transcriber: failing{}})
	if err := m.Recover(gctx(t)); err != nil {
		t.Fatal(err)
	}
	msgs := waitMessages(t, db, "fixed", 1)
	if msgs[0].Read || msgs[0].Duration < 2*time.Second {
		t.Fatalf("kept message %+v", msgs[0])
	}
	got := readPCM(t, filepath.Join(dir, msgs[0].Path))
	t.Logf("kept %v of the message (%d samples at %d Hz)", msgs[0].Duration, len(got.Samples), got.Rate)
	ref := trimSilence(resampleTo(readPCM(t, src), got.Rate))
	ref = ref[:min(len(ref), len(got.Samples)/2)] // the caller was cut mid-sentence
	if c := wordsCorrelation(ref, got.Samples, got.Rate); c < 0.6 {
		t.Fatalf("the kept audio does not hold the caller's words (correlation %.2f)", c)
	} else {
		t.Logf("correlation of the kept audio with what baresip said: %.2f", c)
	}
	m.Close()
}

// startChild re-runs this test binary as the voicemail process.
func startChild(t *testing.T, dir string, port int) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestKilledMidMessage$", "-test.v")
	cmd.Env = append(os.Environ(), "LIGNE_VM_CHILD="+dir, "LIGNE_VM_PORT="+strconv.Itoa(port))
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if strings.Contains(sc.Text(), "voicemail child ready") {
			go func() {
				for sc.Scan() {
				}
			}()
			return cmd
		}
	}
	t.Fatalf("the voicemail child never got ready")
	return nil
}

// childMachine answers every call with the voicemail until killed.
func childMachine(t *testing.T, dir string) {
	port, _ := strconv.Atoi(os.Getenv("LIGNE_VM_PORT"))
	startRigAt(t, dir, port, Config{Transcriber: failing{}})
	os.Stdout.WriteString("voicemail child ready\n")
	select {}
}

// waitRecording waits until a message file holds at least d of audio
// (its header counts what is announced; the file size what is written).
func waitRecording(t *testing.T, dir string, d time.Duration) string {
	t.Helper()
	ctx := gctx(t)
	for {
		files, _ := filepath.Glob(filepath.Join(dir, MessagesDir, "*.wav"))
		for _, f := range files {
			if st, err := os.Stat(f); err == nil && st.Size() > wavHeaderSize+int64(d.Seconds()*Rate*2) {
				return f
			}
		}
		select {
		case <-ctx.Done():
			t.Fatalf("no message recording grew to %v", d)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// TestStopMidMessageKeepsIt: Ligne closing its voicemail while a caller
// speaks finishes the message and lists it; its transcription waits for
// the next start.
func TestStopMidMessageKeepsIt(t *testing.T) {
	dir := t.TempDir()
	r := startRig(t, dir, Config{Transcriber: fixedText("bonjour")})
	b := peers.StartBaresip(t, peers.BaresipOptions{SourceFile: speech(t, killedSentence, 48000, 9, 0)})
	if err := b.Dial(gctx(t), r.uri()); err != nil {
		t.Fatal(err)
	}
	waitRecording(t, dir, 2*time.Second)
	r.m.Close()
	msgs, err := r.db.Messages(gctx(t), r.line)
	if err != nil || len(msgs) != 1 || msgs[0].Duration < 2*time.Second || msgs[0].Read {
		t.Fatalf("after a stop mid-message: %+v %v", msgs, err)
	}
	if msgs[0].TranscriptionState != "pending" {
		t.Fatalf("transcription state %q, want pending until the next start", msgs[0].TranscriptionState)
	}
}
