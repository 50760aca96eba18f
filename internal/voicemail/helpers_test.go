package voicemail

import (
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"log/slog"
	"math"
	"math/cmplx"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ligne-app/ligne/assets"
	"github.com/ligne-app/ligne/internal/engine"
	"github.com/ligne-app/ligne/internal/peers"
	"github.com/ligne-app/ligne/selfcare"
	"github.com/ligne-app/ligne/softphone"
	"github.com/ligne-app/ligne/store"
)

// guard bounds every wait of these tests: it only turns a hang into a
// failure, it is not a speed assertion.
const guard = 60 * time.Second

func gctx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), guard)
	t.Cleanup(cancel)
	return ctx
}

// openStore opens a fresh data folder.
func openStore(t *testing.T, dir string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(string(p))
	return len(p), nil
}

// rig is Ligne's side of a voicemail test: a store, a phone answering
// every call with the machine, and the machine itself.
type rig struct {
	db    *store.DB
	m     *Machine
	phone *softphone.Phone
	port  int
	line  selfcare.LineKind
}

// uri is the address baresip dials to reach Ligne.
func (r *rig) uri() string { return "sip:alice@" + peers.HostPort(r.port) }

// startRig starts a phone whose incoming calls are decided by the
// engine's forwarding policy (internal/engine) over a store holding the
// demo organization profile (voicemail number 8500) and an immediate
// forwarding to voicemail: calls to alice go to Deposit, calls to 8500 to
// the voice menu, as in the running program.
func startRig(t *testing.T, dir string, cfg Config) *rig {
	t.Helper()
	return startRigAt(t, dir, peers.FreePort(t), cfg)
}

// startRigAt is startRig on a given SIP port.
func startRigAt(t *testing.T, dir string, port int, cfg Config) *rig {
	t.Helper()
	r := &rig{db: openStore(t, dir), port: port, line: selfcare.LineFixed}
	r.prepareStore(t)
	cfg.Store, cfg.Dir = r.db, dir
	if cfg.Logger == nil {
		cfg.Logger = testLogger(t)
	}
	cfg.Events = func(ctx context.Context) <-chan softphone.Event { return r.phone.Subscribe(ctx) }
	r.m = New(cfg)
	policy := &engine.Policy{Store: r.db, Voicemail: r.m, Line: r.line, Logger: cfg.Logger}
	p, err := softphone.New(softphone.Account{User: "alice", Domain: peers.Loopback, NoRegister: true},
		softphone.Options{ListenAddr: peers.HostPort(r.port), MediaIP: peers.Loopback, Incoming: policy.Decide, Logger: cfg.Logger})
	if err != nil {
		t.Fatal(err)
	}
	r.phone = p
	if err := p.Start(gctx(t)); err != nil {
		t.Fatal(err)
	}
	if err := r.m.Start(gctx(t)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = p.Shutdown(ctx)
		r.m.Close()
	})
	return r
}

// prepareStore applies the demo profile (skipped when the data folder
// already has one: the killed-child test reopens it) and forwards every
// call to voicemail.
func (r *rig) prepareStore(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	if lines, _ := r.db.Lines(ctx); len(lines) > 0 {
		return
	}
	p, err := selfcare.ParseProfile(bytes.NewReader(assets.DemoProfile()))
	if err != nil {
		t.Fatal(err)
	}
	if err := r.db.ApplyProfile(ctx, p); err != nil {
		t.Fatal(err)
	}
	rule := selfcare.ForwardRule{Line: r.line, Kind: selfcare.ForwardImmediate, Active: true, Target: selfcare.TargetVoicemail}
	if _, err := r.db.SetForwardRule(ctx, rule); err != nil {
		t.Fatal(err)
	}
}

// menuURI reaches the voice menu: the company's voicemail number.
func (r *rig) menuURI() string { return "sip:8500@" + peers.HostPort(r.port) }

// setSettings saves voicemail settings for the rig's line.
func (r *rig) setSettings(t *testing.T, f func(*selfcare.VoicemailSettings)) {
	t.Helper()
	s := selfcare.DefaultVoicemailSettings(r.line)
	s.PIN = "1234"
	f(&s)
	if _, err := r.db.SetVoicemailSettings(context.Background(), s); err != nil {
		t.Fatal(err)
	}
}

// waitMessages polls until line holds n listed messages.
func waitMessages(t *testing.T, db *store.DB, line selfcare.LineKind, n int) []selfcare.VoicemailMessage {
	t.Helper()
	ctx := gctx(t)
	for {
		ms, err := db.Messages(ctx, line)
		if err != nil {
			t.Fatal(err)
		}
		if len(ms) >= n {
			return ms
		}
		select {
		case <-ctx.Done():
			t.Fatalf("%d messages listed, want %d", len(ms), n)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// run runs a command or fails with its output.
func run(t *testing.T, name string, args ...string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Fatalf("%s is missing: scripts/deps.sh test installs it", name)
	}
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
}

// speech writes an espeak-ng English sentence as a WAV at rate (mono),
// with lead seconds of silence before and tail after.
func speech(t *testing.T, sentence string, rate int, lead, tail float64) string {
	t.Helper()
	dir := t.TempDir()
	raw, out := filepath.Join(dir, "espeak.wav"), filepath.Join(dir, "speech.wav")
	run(t, "espeak-ng", "-v", "en-us", "-s", "150", "-w", raw, sentence)
	run(t, "sox", raw, "-r", strconv.Itoa(rate), "-c", "1", "-b", "16", out, "pad",
		strconv.FormatFloat(lead, 'f', 2, 64), strconv.FormatFloat(tail, 'f', 2, 64))
	return out
}

// readPCM reads a WAV as samples at its rate.
func readPCM(t *testing.T, path string) peers.WAV {
	t.Helper()
	w, err := peers.ReadWAV(path)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// resampleTo converts w with sox-free linear interpolation (enough for a
// correlation check).
func resampleTo(w peers.WAV, rate int) []float64 {
	if w.Rate == rate {
		return w.Samples
	}
	n := len(w.Samples) * rate / w.Rate
	out := make([]float64, n)
	for i := range out {
		pos := float64(i) * float64(w.Rate) / float64(rate)
		j := int(pos)
		if j+1 >= len(w.Samples) {
			break
		}
		f := pos - float64(j)
		out[i] = w.Samples[j]*(1-f) + w.Samples[j+1]*f
	}
	return out
}

// bestCorrelation is the highest normalized cross-correlation of ref
// against got over every lag (ref slid along got), through an FFT.
func bestCorrelation(ref, got []float64) float64 {
	n := 1
	for n < len(ref)+len(got) {
		n <<= 1
	}
	a, b := make([]complex128, n), make([]complex128, n)
	for i, v := range got {
		a[i] = complex(v, 0)
	}
	for i, v := range ref {
		b[i] = complex(v, 0)
	}
	fft(a, false)
	fft(b, false)
	for i := range a {
		a[i] *= cmplx.Conj(b[i])
	}
	fft(a, true)
	refEnergy := energy(ref)
	best := 0.0
	prefix := make([]float64, len(got)+1)
	for i, v := range got {
		prefix[i+1] = prefix[i] + v*v
	}
	for lag := 0; lag+len(ref) <= len(got); lag++ {
		e := prefix[lag+len(ref)] - prefix[lag]
		if e <= 0 {
			continue
		}
		c := real(a[lag]) / float64(n) / math.Sqrt(refEnergy*e)
		best = math.Max(best, c)
	}
	return best
}

func energy(s []float64) float64 {
	var e float64
	for _, v := range s {
		e += v * v
	}
	return e
}

// fft is an in-place radix-2 transform (inverse unscaled).
func fft(a []complex128, inverse bool) {
	n := len(a)
	for i, j := 1, 0; i < n; i++ {
		bit := n >> 1
		for ; j&bit != 0; bit >>= 1 {
			j ^= bit
		}
		j ^= bit
		if i < j {
			a[i], a[j] = a[j], a[i]
		}
	}
	sign := -1.0
	if inverse {
		sign = 1
	}
	for size := 2; size <= n; size <<= 1 {
		w := cmplx.Exp(complex(0, sign*2*math.Pi/float64(size)))
		for start := 0; start < n; start += size {
			wk := complex(1, 0)
			for k := 0; k < size/2; k++ {
				u, v := a[start+k], a[start+k+size/2]*wk
				a[start+k], a[start+k+size/2] = u+v, u-v
				wk *= w
			}
		}
	}
}

// trimSilence drops the leading and trailing quiet of s.
func trimSilence(s []float64) []float64 {
	first, last := -1, -1
	for i, v := range s {
		if math.Abs(v) > 0.02 {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	if first < 0 {
		return nil
	}
	return s[first : last+1]
}

func mustWrite(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// failing is a transcription engine that always fails.
type failing struct{}

func (failing) Transcribe(context.Context, string) (string, error) {
	return "", os.ErrNotExist
}

func mkdirAll(dir string) error { return os.MkdirAll(dir, 0o700) }

func base64Reader(r io.Reader) io.Reader { return base64.NewDecoder(base64.StdEncoding, r) }

// wordsCorrelation compares speech in pieces: each 400 ms piece of ref
// that carries sound is looked for anywhere in got, and the median of the
// best correlations is returned. Unlike one correlation of the whole
// sentence, it holds when the jitter buffer stretched or cut the audio
// between pieces on a loaded machine.
func wordsCorrelation(ref, got []float64, rate int) float64 {
	seg := rate * 2 / 5
	var scores []float64
	for at := 0; at+seg <= len(ref); at += seg {
		piece := ref[at : at+seg]
		if math.Sqrt(energy(piece)/float64(seg)) < 0.02 {
			continue
		}
		scores = append(scores, bestCorrelation(piece, got))
	}
	if len(scores) == 0 {
		return 0
	}
	sort.Float64s(scores)
	return scores[len(scores)/2]
}

// benchToneFile makes a stereo 44.1 kHz tone file with ffmpeg for benchmarks.
func benchToneFile(b *testing.B, name string, seconds int) string {
	b.Helper()
	out := filepath.Join(b.TempDir(), name)
	cmd := exec.Command("ffmpeg", "-loglevel", "error", "-f", "lavfi", "-i",
		"sine=frequency=440:sample_rate=44100:duration="+strconv.Itoa(seconds), "-ac", "2", out)
	if o, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("ffmpeg: %v %s", err, o)
	}
	return out
}

// benchSpeech is a festival sentence as a 16 kHz message.
func benchSpeech(b *testing.B) string {
	b.Helper()
	dir := b.TempDir()
	raw, out := filepath.Join(dir, "f.wav"), filepath.Join(dir, "m.wav")
	cmd := exec.Command("text2wave", "-eval", "(voice_cmu_us_slt_arctic_hts)", "-o", raw)
	cmd.Stdin = strings.NewReader(transcribeSentence)
	if o, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("text2wave: %v %s", err, o)
	}
	if o, err := exec.Command("sox", raw, "-r", "16000", "-c", "1", "-b", "16", out).CombinedOutput(); err != nil {
		b.Fatalf("sox: %v %s", err, o)
	}
	return out
}
