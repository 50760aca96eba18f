package peers

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// BaresipOptions configure one baresip user agent.
type BaresipOptions struct {
	// User is the SIP user (default "bob").
	User string
	// Password is the digest password; Proxy must be set to register.
	Password string
	// Domain is the account's domain (default: 127.0.0.1 for direct calls).
	Domain string
	// Proxy is the outbound proxy URI (e.g. Kamailio.URI()); with a
	// password, baresip registers through it.
	Proxy string
	// AutoAnswer answers incoming calls at once.
	AutoAnswer bool
	// ToneHz is the frequency ausine sends (default 440).
	ToneHz int
	// SourceFile, when set, is a WAV file sent with aufile instead of a tone.
	SourceFile string
	// Codecs lists the audio codecs offered (default PCMU).
	Codecs []string
	// MediaEnc, when set, loads baresip's srtp module and sets the
	// account's mediaenc: "srtp" (SDES offered in RTP/AVP, best effort) or
	// "srtp-mand" (RTP/SAVP only).
	MediaEnc string
	// Sound, when set, is the audio device for both directions instead of
	// the ausine/aufile source and a discarding player: "alsa,pulse" plays
	// and captures through PulseAudio (PULSE_SERVER), paced like a real
	// sound card (used to compare CPU with Ligne fairly).
	Sound string
}

// Baresip is a running baresip with its control connection.
type Baresip struct {
	tb   testing.TB
	opts BaresipOptions
	// SIPPort is the SIP UDP/TCP port on 127.0.0.1.
	SIPPort int
	// RecordDir holds the WAV files written by the sndfile module.
	RecordDir string
	// AOR is the account's address of record, e.g. "sip:bob@ligne.test".
	AOR  string
	proc *process
	log  *logBuffer
	ctrl *baresipCtrl
}

// StartBaresip starts baresip on free loopback ports, with its control
// connection open, and stops it at the end of the test.
func StartBaresip(tb testing.TB, opts BaresipOptions) *Baresip {
	tb.Helper()
	bin := LookPath(tb, "baresip", "baresip-core")
	b := newBaresip(tb, opts)
	dir := tb.TempDir()
	ctrlPort := FreePort(tb)
	writeFile(tb, filepath.Join(dir, "config"), b.config(ctrlPort))
	writeFile(tb, filepath.Join(dir, "accounts"), b.account()+"\n")
	proc, err := startProcess("baresip", exec.Command(bin, "-f", dir), b.log)
	if err != nil {
		tb.Fatalf("%v", err)
	}
	b.proc = proc
	attachLog(tb, "baresip "+b.opts.User, b.log)
	tb.Cleanup(b.stop)
	b.connect(ctrlPort)
	return b
}

func newBaresip(tb testing.TB, opts BaresipOptions) *Baresip {
	if opts.User == "" {
		opts.User = "bob"
	}
	if opts.Domain == "" {
		opts.Domain = Loopback
	}
	if opts.ToneHz == 0 {
		opts.ToneHz = 440
	}
	if len(opts.Codecs) == 0 {
		opts.Codecs = []string{"PCMU"}
	}
	b := &Baresip{tb: tb, opts: opts, SIPPort: freePortPair(tb), RecordDir: tb.TempDir(), log: &logBuffer{}}
	b.AOR = "sip:" + opts.User + "@" + opts.Domain
	return b
}

// freePortPair returns a port p such that p and p+1 are free (baresip
// binds its TLS listener on the SIP port + 1).
func freePortPair(tb testing.TB) int {
	tb.Helper()
	for range 100 {
		p := FreePort(tb)
		if q, ok := tryPortExact(p + 1); ok && q == p+1 {
			return p
		}
	}
	tb.Fatalf("no pair of free ports on %s", Loopback)
	return 0
}

func tryPortExact(port int) (int, bool) {
	l, err := net.Listen("tcp4", HostPort(port))
	if err != nil {
		return 0, false
	}
	l.Close()
	return port, true
}

func (b *Baresip) config(ctrlPort int) string {
	// ausine only produces 48 kHz stereo; aufile files are 48 kHz mono.
	src, channels := fmt.Sprintf("ausine,%d", b.opts.ToneHz), "2"
	if b.opts.SourceFile != "" {
		src, channels = "aufile,"+b.opts.SourceFile, "1"
	}
	player := "alsa,null"
	if b.opts.Sound != "" {
		src, player, channels = b.opts.Sound, b.opts.Sound, "1"
	}
	rtp := FreePort(b.tb)
	lines := []string{
		"sip_listen " + HostPort(b.SIPPort),
		"net_interface " + Loopback,
		"audio_player " + player,
		"audio_alert " + player,
		"audio_source " + src,
		"ausrc_srate 48000", "ausrc_channels " + channels, "auplay_srate 48000", "auplay_channels 1",
		fmt.Sprintf("rtp_ports %d-%d", rtp, rtp+40),
		"rtp_timeout 0",
		"module_path /usr/lib/baresip/modules",
		"module g711.so", "module ausine.so", "module aufile.so", "module alsa.so", "module sndfile.so",
		"module_app account.so", "module_app menu.so", "module_app ctrl_tcp.so",
		"ctrl_tcp_listen " + HostPort(ctrlPort),
		"snd_path " + b.RecordDir,
	}
	if b.opts.MediaEnc != "" {
		lines = append(lines, "module srtp.so")
	}
	return strings.Join(lines, "\n") + "\n"
}

func (b *Baresip) account() string {
	o := b.opts
	line := "<" + b.AOR + ">"
	if o.Password != "" {
		line += ";auth_pass=" + o.Password
	}
	if o.Proxy != "" {
		line += `;outbound="` + o.Proxy + `"`
	}
	if o.Proxy != "" && o.Password != "" {
		line += ";regint=600"
	} else {
		line += ";regint=0"
	}
	if o.AutoAnswer {
		line += ";answermode=auto"
	} else {
		line += ";answermode=manual"
	}
	if o.MediaEnc != "" {
		line += ";mediaenc=" + o.MediaEnc
	}
	return line + ";audio_codecs=" + strings.Join(o.Codecs, ",")
}

// URI is the address that reaches this baresip directly (no proxy).
func (b *Baresip) URI() string {
	return "sip:" + b.opts.User + "@" + HostPort(b.SIPPort)
}

// Log returns what baresip printed so far.
func (b *Baresip) Log() string { return b.log.String() }

func (b *Baresip) connect(port int) {
	tb := b.tb
	tb.Helper()
	ctx, cancel := context.WithTimeout(tb.Context(), 15*time.Second)
	defer cancel()
	err := waitUntil(ctx, func() error {
		if b.proc.exited() {
			return fmt.Errorf("baresip: %w (%v)", errExited, b.proc.err)
		}
		c, err := dialCtrl(HostPort(port))
		if err == nil {
			b.ctrl = c
		}
		return err
	})
	if err != nil {
		tb.Fatalf("baresip control port %d: %v", port, err)
	}
}

func (b *Baresip) stop() {
	if b.ctrl != nil {
		b.ctrl.close()
	}
	b.proc.stop()
}

// Recordings returns the WAV files sndfile wrote; suffix "dec" selects what
// baresip received, "enc" what it sent.
func (b *Baresip) Recordings(suffix string) []string {
	entries, _ := os.ReadDir(b.RecordDir)
	var out []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), "-"+suffix+".wav") {
			out = append(out, filepath.Join(b.RecordDir, e.Name()))
		}
	}
	return out
}

// PID is the baresip process id (to read its CPU time).
func (b *Baresip) PID() int { return b.proc.cmd.Process.Pid }
