package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ligne-app/ligne/internal/engine"
	"github.com/ligne-app/ligne/internal/voicemail"
	"github.com/ligne-app/ligne/media"
	"github.com/ligne-app/ligne/provision"
	"github.com/ligne-app/ligne/selfcare"
	"github.com/ligne-app/ligne/softphone"
	"github.com/ligne-app/ligne/store"
)

func runCommand() *command {
	return &command{
		name:  "run",
		help:  "register and serve calls, one JSON event a line on stdout",
		usage: "run [--listen 127.0.0.1:PORT] [--auto-answer] [--play FILE] [--record DIR] [--trace FILE]",
		run:   runRun,
	}
}

// phoneFlags are the options run and dial share.
type phoneFlags struct {
	listen, trace string
	sound         bool // calls use the sound card (run)
}

func (f *phoneFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.listen, "listen", "", "local SIP address for UDP (default: any address, a free port)")
	fs.StringVar(&f.trace, "trace", "", "write a SIP trace (credentials redacted) to FILE")
}

// startPhone builds the stored account's phone and starts it.
func (f *phoneFlags) startPhone(ctx context.Context, e *env, noRegister bool, policy softphone.IncomingPolicy) (*softphone.Phone, func(), error) {
	db, err := e.store(ctx)
	if err != nil {
		return nil, nil, err
	}
	acct, err := engine.Account(ctx, db, e.keyring())
	if err != nil {
		return nil, nil, err
	}
	acct.NoRegister = noRegister
	opts := softphone.Options{ListenAddr: f.listen, Logger: e.logger(), Incoming: policy}
	closeTrace := func() {}
	if f.trace != "" {
		tf, err := os.OpenFile(f.trace, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
		if err != nil {
			return nil, nil, fmt.Errorf("trace: %w", err)
		}
		opts.Trace, closeTrace = tf, func() { tf.Close() }
	}
	p, err := softphone.New(acct, opts)
	if err == nil {
		err = p.Start(ctx)
	}
	if err != nil {
		closeTrace()
		return nil, nil, err
	}
	stop := func() {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = p.Shutdown(sctx)
		closeTrace()
	}
	return p, stop, nil
}

// startEngine runs the stored account's line with the engine: the stored
// forwarding rules decide incoming calls unless policy is set.
func (f *phoneFlags) startEngine(ctx context.Context, e *env, policy softphone.IncomingPolicy) (*engine.Engine, func(), error) {
	db, err := e.store(ctx)
	if err != nil {
		return nil, nil, err
	}
	opts := softphone.Options{ListenAddr: f.listen, Incoming: policy}
	cfg := engine.Config{Store: db, Secrets: e.keyring(), Options: opts, Logger: e.logger()}
	var phone atomic.Pointer[softphone.Phone]
	vm := f.startVoicemail(ctx, e, db, &phone)
	cfg.Voicemail = vm
	if f.sound {
		backend, err := media.NewSystemAudioBackend(e.logger())
		if err != nil {
			return nil, nil, fmt.Errorf("sound card: %w", err)
		}
		cfg.Audio = backend
	}
	closeTrace := func() {}
	if f.trace != "" {
		tf, err := os.OpenFile(f.trace, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
		if err != nil {
			return nil, nil, fmt.Errorf("trace: %w", err)
		}
		cfg.Options.Trace, closeTrace = tf, func() { tf.Close() }
	}
	eng, err := engine.Start(ctx, cfg)
	if err != nil {
		vm.Close()
		closeTrace()
		return nil, nil, err
	}
	phone.Store(eng.Phone)
	stop := func() {
		_ = eng.Close(context.WithoutCancel(ctx))
		vm.Close()
		if closer, ok := cfg.Audio.(interface{ Close() error }); ok {
			closer.Close()
		}
		closeTrace()
	}
	return eng, stop, nil
}

// parseRun reads run's flags into the incoming-call policy.
func parseRun(e *env, pf *phoneFlags, args []string) (softphone.IncomingPolicy, error) {
	var autoAnswer bool
	var play, record string
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	pf.register(fs)
	fs.BoolVar(&autoAnswer, "auto-answer", false, "answer every call")
	fs.StringVar(&play, "play", "", "WAV or MP3 file played to answered calls")
	fs.StringVar(&record, "record", "", "folder where each answered call is recorded (CALL-ID.wav)")
	fs.BoolVar(&pf.sound, "sound", false, "calls use the sound card (microphone and speaker), as in the window")
	if err := fs.Parse(args); err != nil {
		return nil, errUsage
	}
	if (play != "" || record != "") && !autoAnswer {
		return nil, e.usagef("--play and --record need --auto-answer")
	}
	if !autoAnswer {
		return nil, nil
	}
	return softphone.AnswerWithFiles(play, record), nil
}

// runRun serves under the stored settings (forwarding rules, DND, call
// log, supervised colleagues) until interrupted (SIGINT/SIGTERM end ctx),
// then unregisters. --auto-answer replaces the rules for headless use.
func runRun(ctx context.Context, e *env, args []string) error {
	var pf phoneFlags
	policy, err := parseRun(e, &pf, args)
	if err != nil {
		return err
	}
	sctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	defer cancel()
	eng, stop, err := pf.startEngine(ctx, e, policy)
	if err != nil {
		return err
	}
	streamed := make(chan error, 1)
	go func() { streamed <- softphone.StreamEvents(sctx, eng.Phone, lockedStdout{e}) }()
	<-ctx.Done()
	stop()
	cancel()
	if err := <-streamed; err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}

// startVoicemail runs Ligne's own answering machine for the rules that
// send calls to voicemail; each message stored is printed as a
// voicemail.deposited event, and the desk phones' message-waiting lamps
// follow the counts, as with the window.
func (f *phoneFlags) startVoicemail(ctx context.Context, e *env, db *store.DB, phone *atomic.Pointer[softphone.Phone]) *voicemail.Machine {
	vm := voicemail.New(voicemail.Config{Store: db, Dir: db.Dir(), Secrets: e.keyring(), Logger: e.logger(),
		Events: func(ctx context.Context) <-chan softphone.Event {
			if p := phone.Load(); p != nil {
				return p.Subscribe(ctx)
			}
			return nil
		},
		OnDeposit: func(m selfcare.VoicemailMessage) { e.printEvent(depositedEvent(m)) }})
	if prov, err := provision.NewService(provision.ServiceOptions{Store: db, Secrets: e.keyring(), DataDir: db.Dir(), Logger: e.logger()}); err != nil {
		e.logger().Error("desk phone lamps", "err", err)
	} else {
		lamps := provision.NewLampPusher(ctx, prov, e.logger())
		vm.OnCount(func(line selfcare.LineKind, c voicemail.Count) { lamps.Set(line, c.New, c.Old) })
	}
	if err := vm.Start(ctx); err != nil {
		e.logger().Error("voicemail", "err", err)
	}
	return vm
}

// depositedEvent is the JSON line of a message left in the voicemail.
func depositedEvent(m selfcare.VoicemailMessage) map[string]any {
	return map[string]any{"type": "voicemail.deposited", "id": m.ID, "line": m.Line, "caller": m.Caller,
		"caller_name": m.CallerName, "at": m.At.UTC().Format(time.RFC3339), "seconds": m.Duration.Seconds(), "path": m.Path}
}

var stdoutMu sync.Mutex // event lines from the phone and the voicemail never interleave

// printEvent writes one JSON event line on stdout.
func (e *env) printEvent(ev any) {
	b, err := json.Marshal(ev)
	if err != nil {
		return
	}
	stdoutMu.Lock()
	defer stdoutMu.Unlock()
	e.stdout.Write(append(b, '\n'))
}

// lockedStdout is stdout shared with printEvent, one line at a time.
type lockedStdout struct{ e *env }

func (l lockedStdout) Write(p []byte) (int, error) {
	stdoutMu.Lock()
	defer stdoutMu.Unlock()
	return l.e.stdout.Write(p)
}
