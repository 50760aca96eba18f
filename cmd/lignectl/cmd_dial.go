package main

import (
	"context"
	"flag"
	"fmt"
	"time"

	"github.com/ligne-app/ligne/softphone"
)

func dialCommand() *command {
	return &command{
		name:  "dial",
		help:  "call a number, play and record files, send digits, hang up",
		usage: "dial NUMBER|URI [--play FILE] [--record FILE] [--dtmf DIGITS] [--hangup-after DURATION] [--listen ADDR] [--trace FILE]",
		run:   runDial,
	}
}

// runDial places one call with the stored account and prints its events
// as JSON lines; a call that does not end normally is an error.
func runDial(ctx context.Context, e *env, args []string) error {
	var pf phoneFlags
	s, err := parseDial(e, &pf, args)
	if err != nil {
		return err
	}
	p, stop, err := pf.startPhone(ctx, e, true, nil)
	if err != nil {
		return err
	}
	defer stop()
	sctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	defer cancel()
	streamed := make(chan error, 1)
	go func() { streamed <- softphone.StreamEvents(sctx, p, e.stdout) }()
	end, err := p.RunDial(ctx, s)
	stop() // closes the event stream once every event is out (call.ended included)
	<-streamed
	if err != nil {
		return err
	}
	return dialOutcome(end)
}

// parseDial reads dial's target and flags.
func parseDial(e *env, pf *phoneFlags, args []string) (softphone.DialScript, error) {
	var s softphone.DialScript
	fs := flag.NewFlagSet("dial", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	pf.register(fs)
	fs.StringVar(&s.Play, "play", "", "WAV or MP3 file played once answered")
	fs.StringVar(&s.Record, "record", "", "WAV file recording what the other side says")
	fs.StringVar(&s.DTMF, "dtmf", "", "digits sent once answered (RFC 4733)")
	fs.DurationVar(&s.DTMFDelay, "dtmf-delay", 500*time.Millisecond, "pause between the answer and the digits")
	fs.DurationVar(&s.HangupAfter, "hangup-after", 0, "hang up this long after the answer (default: when the other side does)")
	target, rest := splitTarget(args)
	if err := fs.Parse(rest); err != nil {
		return s, errUsage
	}
	if target == "" && fs.NArg() == 1 {
		target = fs.Arg(0)
	}
	if target == "" {
		return s, e.usagef("dial NUMBER|URI [flags]")
	}
	s.Target = target
	return s, nil
}

// splitTarget takes the number when it comes before the flags.
func splitTarget(args []string) (string, []string) {
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		return args[0], args[1:]
	}
	return "", args
}

// dialOutcome turns how the call ended into an exit status.
func dialOutcome(end softphone.CallEndedEvent) error {
	switch end.Reason {
	case softphone.EndLocalHangup, softphone.EndRemoteHangup:
		return nil
	}
	msg := end.Message
	if msg == "" {
		msg = string(end.Reason)
	}
	return &userError{msg: fmt.Sprintf("call failed: %s", msg)}
}
