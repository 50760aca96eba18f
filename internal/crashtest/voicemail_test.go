package crashtest

import (
	"bufio"
	"context"
	"encoding/binary"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/ligne-app/ligne/internal/peers"
	"github.com/ligne-app/ligne/internal/voicemail"
	"github.com/ligne-app/ligne/media"
	"github.com/ligne-app/ligne/secrets"
	"github.com/ligne-app/ligne/selfcare"
	"github.com/ligne-app/ligne/softphone"
)

// guard bounds every wait (a failure guard, not a speed assertion).
const guard = 30 * time.Second

// voicemailWorkload calls `lignectl run` (its forwarding sends every call
// to Ligne's own voicemail) with a tone, kills it at a random point of the
// message (or of the greeting before it), then checks the data folder as
// the next start finds it.
func voicemailWorkload(t *testing.T, quota int) *figures {
	dir := t.TempDir()
	listen := voicemailLine(t, dir)
	shortGreeting(t, dir)
	caller := callerPhone(t)
	f := &figures{name: "voicemail recording (lignectl run, killed)"}
	kept := 0
	for i := 0; f.kills < quota && i < quota*3; i++ {
		child, lines := startChild(t, dir, listen)
		call := dialTone(t, caller, listen)
		waitLine(t, lines, `"type":"call.answered"`)
		time.Sleep(time.Duration(rand.Int64N(int64(2200 * time.Millisecond))))
		_ = child.Process.Kill()
		_ = child.Wait()
		f.iterations++
		f.kills++
		hangup(call)
		kept = checkMailbox(t, f, dir, kept)
	}
	return f
}

// shortGreeting records a 0.3 s greeting in use, so that recording
// starts soon after the answer.
func shortGreeting(t *testing.T, dir string) {
	t.Helper()
	ctx := context.Background()
	db := openStore(t, dir)
	defer db.Close()
	pcm := make([]int16, 2400)
	for i := range pcm {
		pcm[i] = int16(8000 * math.Sin(2*math.Pi*440*float64(i)/8000))
	}
	mb := voicemail.NewMailbox(voicemail.MailboxConfig{Store: db, Dir: dir, Secrets: &secrets.Memory{}})
	if _, err := mb.SaveRecordedGreeting(ctx, selfcare.LineFixed, "court", pcm, 8000, true); err != nil {
		t.Fatalf("greeting: %v", err)
	}
}

// callerPhone is the phone leaving the messages.
func callerPhone(t *testing.T) *softphone.Phone {
	t.Helper()
	p, err := softphone.New(softphone.Account{User: "0612345678", Domain: "127.0.0.1", NoRegister: true},
		softphone.Options{ListenAddr: "127.0.0.1:0", Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = p.Shutdown(ctx)
	})
	return p
}

// noKeyring makes lignectl keep passwords in the data folder's private
// file (agreed with `secrets allow-file`): no session bus.
const noKeyring = "DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/ligne-crashtest-bus"

// voicemailLine prepares dir as a user would: the account (its registrar
// answers nothing: calls come straight to the listening address), the
// password in the private file, immediate forwarding to the voicemail. It
// returns the SIP address lignectl run listens on.
func voicemailLine(t *testing.T, dir string) string {
	t.Helper()
	registrar := peers.HostPort(peers.FreePort(t))
	for _, args := range [][]string{
		{"secrets", "allow-file"},
		{"account", "set", "--user", "4021", "--domain", "127.0.0.1", "--registrar", registrar, "--password-stdin"},
		{"forward", "set", "immediate", "--to", "voicemail"},
	} {
		cmd := exec.Command(lignectlBin, append([]string{"--data", dir, "--lang", "en"}, args...)...)
		cmd.Env = append(os.Environ(), noKeyring)
		cmd.Stdin = strings.NewReader("Crash-pw\n")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("lignectl %v: %v\n%s", args, err, out)
		}
	}
	return peers.HostPort(peers.FreePort(t))
}

// startChild runs `lignectl run` on dir, listening on listen, and returns
// it with its output lines once it has started.
func startChild(t *testing.T, dir, listen string) (*exec.Cmd, <-chan string) {
	t.Helper()
	cmd := exec.Command(lignectlBin, "--data", dir, "run", "--listen", listen)
	cmd.Env = append(os.Environ(), noKeyring)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 16)
	go readLines(out, lines)
	waitLine(t, lines, `"type":"registration"`) // the line runs: its SIP socket is bound
	return cmd, lines
}

func readLines(r io.Reader, lines chan<- string) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		lines <- sc.Text()
	}
	close(lines)
}

// waitLine waits for a line containing want.
func waitLine(t *testing.T, lines <-chan string, want string) string {
	t.Helper()
	deadline := time.After(guard)
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("lignectl run ended before %q", want)
			}
			if strings.Contains(l, want) {
				return l
			}
		case <-deadline:
			t.Fatalf("no %q from lignectl run within %v", want, guard)
		}
	}
}

// dialTone calls the child and sends a tone (a voice level, so that the
// silence detector never ends the message).
func dialTone(t *testing.T, p *softphone.Phone, addr string) *softphone.Call {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), guard)
	defer cancel()
	c, err := p.Dial(ctx, "sip:4021@"+addr, softphone.DialOptions{})
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-c.Answered():
	case <-ctx.Done():
		t.Fatal("the voicemail did not answer")
	}
	c.Media().SetSource(media.NewToneReader(media.Tone{Freqs: []float64{523}, Level: 0.3}, 8000), 8000)
	return c
}

// hangup ends the caller's side; the child is gone, so its BYE may find
// nobody.
func hangup(c *softphone.Call) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_ = c.Hangup(ctx)
}

// checkMailbox checks what a kill left: the database opens and is intact,
// the interrupted message's WAV header lags its audio by at most one
// second, the next start keeps it (when it holds half a second or more)
// and no earlier message is lost. It returns the messages kept now.
func checkMailbox(t *testing.T, f *figures, dir string, kept int) int {
	t.Helper()
	db, took := reopen(t, dir)
	defer db.Close()
	f.recovery = max(f.recovery, took)
	ctx := context.Background()
	partial, err := db.PartialMessages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range partial {
		f.audioLag = max(f.audioLag, checkHeaderLag(t, dir, m.Path))
	}
	mb := voicemail.New(voicemail.Config{Store: db, Dir: dir, Secrets: &secrets.Memory{}})
	if err := mb.Recover(ctx); err != nil {
		t.Fatalf("recover after a kill: %v", err)
	}
	msgs, err := mb.Messages(ctx, selfcare.LineFixed)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) < kept {
		f.lost += kept - len(msgs)
		t.Fatalf("%d messages after a kill, %d before", len(msgs), kept)
	}
	f.committed += len(msgs) - kept
	return len(msgs)
}

// checkHeaderLag reads an interrupted WAV as the crash left it: the size
// its header announces may lag the samples on disk by one second at most
// (plus one 20 ms frame); it returns the lag.
func checkHeaderLag(t *testing.T, dir, rel string) time.Duration {
	t.Helper()
	b, err := os.ReadFile(dir + "/" + rel)
	if err != nil || len(b) < 44 {
		return 0 // killed before the first header: nothing recorded
	}
	rate := int(binary.LittleEndian.Uint32(b[24:]))
	announced := int(binary.LittleEndian.Uint32(b[40:]))
	lag := (len(b) - 44) - announced
	if string(b[:4]) != "RIFF" || rate <= 0 || lag < 0 || lag > 2*rate+640 {
		t.Fatalf("interrupted message %s: header announces %d bytes for %d on disk at %d Hz", rel, announced, len(b)-44, rate)
	}
	return time.Duration(lag/2) * time.Second / time.Duration(rate)
}
