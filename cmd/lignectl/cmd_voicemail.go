package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"github.com/ligne-app/ligne/internal/voicemail"
	"github.com/ligne-app/ligne/media"
	"github.com/ligne-app/ligne/selfcare"
)

func voicemailCommand() *command {
	return &command{
		name:  "voicemail",
		help:  "list, play, delete and restore voicemail messages",
		usage: "voicemail list [--line fixed|mobile] [--json] | play ID [--out FILE] | delete ID | restore ID",
		run: func(ctx context.Context, e *env, args []string) error {
			if len(args) == 0 {
				return e.usagef("voicemail list|play|delete|restore")
			}
			switch args[0] {
			case "list":
				return listMessages(ctx, e, args[1:])
			case "play":
				return playMessage(ctx, e, args[1:])
			case "delete", "restore":
				return binMessage(ctx, e, args[0], args[1:])
			}
			return e.usagef("voicemail list|play|delete|restore")
		},
	}
}

func greetingCommand() *command {
	return &command{
		name:  "greeting",
		help:  "add (MP3 or WAV, 2 min at most), choose and list voicemail greetings",
		usage: "greeting add FILE --name NAME [--use] [--line L] | use NAME [--line L] | list [--line L] [--json]",
		run: func(ctx context.Context, e *env, args []string) error {
			if len(args) == 0 {
				return e.usagef("greeting add|use|list")
			}
			switch args[0] {
			case "add":
				return addGreeting(ctx, e, args[1:])
			case "use":
				return useGreeting(ctx, e, args[1:])
			case "list":
				return listGreetings(ctx, e, args[1:])
			}
			return e.usagef("greeting add|use|list")
		},
	}
}

// mailbox opens the data folder's mailbox.
func (e *env) mailbox(ctx context.Context) (*voicemail.Mailbox, error) {
	db, err := e.store(ctx)
	if err != nil {
		return nil, err
	}
	return voicemail.NewMailbox(voicemail.MailboxConfig{Store: db, Dir: db.Dir(), Secrets: e.keyring(), Logger: e.logger()}), nil
}

// vmFlags parses the flags shared by the voicemail verbs.
type vmFlags struct {
	line      string
	json, use bool
	name, out string
	args      []string
	fs        *flag.FlagSet
}

func parseVM(e *env, verb string, args []string) (*vmFlags, error) {
	f := &vmFlags{fs: flag.NewFlagSet(verb, flag.ContinueOnError)}
	f.fs.SetOutput(e.stderr)
	f.fs.StringVar(&f.line, "line", string(selfcare.LineFixed), "fixed or mobile")
	f.fs.BoolVar(&f.json, "json", false, "one JSON array on stdout")
	f.fs.BoolVar(&f.use, "use", false, "use it as the greeting")
	f.fs.StringVar(&f.name, "name", "", "greeting name")
	f.fs.StringVar(&f.out, "out", "", "write the message's WAV to FILE instead of playing it")
	if err := f.fs.Parse(interleaved(args)); err != nil {
		return nil, errUsage
	}
	if !selfcare.LineKind(f.line).Valid() {
		return nil, selfcare.Errorf(selfcare.CodeLineInvalid, "line", f.line)
	}
	f.args = f.fs.Args()
	return f, nil
}

// interleaved moves flags before positional arguments (flag stops at the
// first positional one).
func interleaved(args []string) []string {
	var flags, pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if len(a) > 1 && a[0] == '-' {
			flags = append(flags, a)
			if (a == "--name" || a == "--out" || a == "--line" || a == "-name" || a == "-out" || a == "-line") && i+1 < len(args) {
				flags = append(flags, args[i+1])
				i++
			}
			continue
		}
		pos = append(pos, a)
	}
	return append(flags, pos...)
}

// messageJSON is one message in `voicemail list --json`.
type messageJSON struct {
	ID            int64  `json:"id"`
	Line          string `json:"line"`
	Caller        string `json:"caller"`
	CallerName    string `json:"caller_name,omitempty"`
	At            string `json:"at"`
	DurationS     int    `json:"duration_s"`
	Read          bool   `json:"read"`
	Transcription string `json:"transcription,omitempty"`
	State         string `json:"transcription_state,omitempty"`
	Path          string `json:"path"`
}

func listMessages(ctx context.Context, e *env, args []string) error {
	f, err := parseVM(e, "voicemail list", args)
	if err != nil {
		return err
	}
	mb, err := e.mailbox(ctx)
	if err != nil {
		return err
	}
	msgs, err := mb.Messages(ctx, selfcare.LineKind(f.line))
	if err != nil {
		return err
	}
	if f.json {
		return writeMessagesJSON(ctx, e.stdout, mb, msgs)
	}
	for _, m := range msgs {
		printMessage(ctx, e, mb, m)
	}
	c, _ := mb.Count(ctx, selfcare.LineKind(f.line))
	fmt.Fprintln(e.stdout, e.tr().Tn("vm.cli.count", c.New, c.Total()))
	return nil
}

func writeMessagesJSON(ctx context.Context, w io.Writer, mb *voicemail.Mailbox, msgs []selfcare.VoicemailMessage) error {
	out := make([]messageJSON, 0, len(msgs))
	for _, m := range msgs {
		out = append(out, messageJSON{ID: m.ID, Line: string(m.Line), Caller: m.Caller, CallerName: callerName(ctx, mb, m),
			At: m.At.Format(time.RFC3339), DurationS: int(m.Duration.Round(time.Second).Seconds()), Read: m.Read,
			Transcription: m.Transcription, State: string(m.TranscriptionState), Path: mb.Path(m.Path)})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// callerName is the contact's name, else the name the call announced.
func callerName(ctx context.Context, mb *voicemail.Mailbox, m selfcare.VoicemailMessage) string {
	if n := mb.CallerName(ctx, m.Caller); n != "" {
		return n
	}
	return m.CallerName
}

func printMessage(ctx context.Context, e *env, mb *voicemail.Mailbox, m selfcare.VoicemailMessage) {
	state := e.tr().T("vm.cli.read")
	if !m.Read {
		state = e.tr().T("vm.cli.new")
	}
	who := selfcare.FormatNumber(m.Caller)
	if n := callerName(ctx, mb, m); n != "" {
		who = n + " (" + who + ")"
	}
	fmt.Fprintf(e.stdout, "%d\t%s\t%s\t%s\t%s\n", m.ID, m.At.Local().Format("2006-01-02 15:04"), clockText(m.Duration), state, who)
	if m.Transcription != "" {
		fmt.Fprintf(e.stdout, "\t« %s »\n", m.Transcription)
	}
}

func clockText(d time.Duration) string {
	s := int(d.Round(time.Second).Seconds())
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// messageArg reads the ID argument.
func messageArg(ctx context.Context, e *env, f *vmFlags) (*voicemail.Mailbox, selfcare.VoicemailMessage, error) {
	if len(f.args) != 1 {
		return nil, selfcare.VoicemailMessage{}, e.usagef("ID expected")
	}
	id, err := strconv.ParseInt(f.args[0], 10, 64)
	if err != nil {
		return nil, selfcare.VoicemailMessage{}, e.usagef("ID expected")
	}
	mb, err := e.mailbox(ctx)
	if err != nil {
		return nil, selfcare.VoicemailMessage{}, err
	}
	m, err := mb.Message(ctx, id)
	return mb, m, err
}

// playMessage plays a message on the default output device (or copies
// its WAV with --out) and marks it read.
func playMessage(ctx context.Context, e *env, args []string) error {
	f, err := parseVM(e, "voicemail play", args)
	if err != nil {
		return err
	}
	mb, m, err := messageArg(ctx, e, f)
	if err != nil {
		return err
	}
	if f.out != "" {
		err = copyFile(mb.Path(m.Path), f.out)
	} else {
		err = playOnDevice(ctx, e, mb.Path(m.Path))
	}
	if err != nil {
		return err
	}
	return mb.MarkRead(ctx, m.ID, true)
}

func copyFile(from, to string) error {
	b, err := os.ReadFile(from)
	if err != nil {
		return fmt.Errorf("read message: %w", err)
	}
	if err := os.WriteFile(to, b, 0o600); err != nil {
		return &userError{msg: err.Error()}
	}
	return nil
}

// playOnDevice plays a file on the system's default output until its end.
func playOnDevice(ctx context.Context, e *env, path string) error {
	backend, err := media.NewSystemAudioBackend(e.logger())
	if err != nil {
		return fmt.Errorf("play: %w", err)
	}
	const rate = 48000
	p, err := voicemail.LoadPlayback(path, rate)
	if err != nil {
		return err
	}
	ep := media.OpenEndpoint(ctx, backend, media.EndpointConfig{Kind: media.Playback, Rate: rate, Logger: e.logger()})
	defer ep.Close()
	if err := ep.Status(); err != nil {
		return fmt.Errorf("play: %w", err)
	}
	ep.SetSource(p)
	fmt.Fprintln(e.stdout, e.tr().T("vm.cli.playing", clockText(p.Duration())))
	select {
	case <-p.Done():
		time.Sleep(200 * time.Millisecond) // let the device drain its buffer
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// binMessage deletes a message (to the bin) or restores it.
func binMessage(ctx context.Context, e *env, verb string, args []string) error {
	f, err := parseVM(e, "voicemail "+verb, args)
	if err != nil {
		return err
	}
	mb, m, err := messageArg(ctx, e, f)
	if err != nil {
		return err
	}
	if verb == "delete" {
		err = mb.Delete(ctx, m.ID)
	} else {
		err = mb.Restore(ctx, m.ID)
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, e.tr().T("vm.cli."+verb+"d", m.ID))
	return nil
}

func addGreeting(ctx context.Context, e *env, args []string) error {
	f, err := parseVM(e, "greeting add", args)
	if err != nil {
		return err
	}
	if len(f.args) != 1 || f.name == "" {
		return e.usagef("greeting add FILE --name NAME [--use]")
	}
	mb, err := e.mailbox(ctx)
	if err != nil {
		return err
	}
	g, err := mb.ImportGreeting(ctx, selfcare.LineKind(f.line), f.name, f.args[0], f.use)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, e.tr().T("vm.cli.greeting.added", g.Name, clockText(g.Duration)))
	return nil
}

func useGreeting(ctx context.Context, e *env, args []string) error {
	f, err := parseVM(e, "greeting use", args)
	if err != nil {
		return err
	}
	if len(f.args) != 1 {
		return e.usagef("greeting use NAME")
	}
	mb, err := e.mailbox(ctx)
	if err != nil {
		return err
	}
	g, err := mb.GreetingByName(ctx, selfcare.LineKind(f.line), f.args[0])
	if err != nil {
		return err
	}
	if err := mb.Store().UseGreeting(ctx, g.ID); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, e.tr().T("vm.cli.greeting.used", g.Name))
	return nil
}

// greetingJSON is one greeting in `greeting list --json`.
type greetingJSON struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	DurationS int    `json:"duration_s"`
	InUse     bool   `json:"in_use"`
	Path      string `json:"path"`
}

func listGreetings(ctx context.Context, e *env, args []string) error {
	f, err := parseVM(e, "greeting list", args)
	if err != nil {
		return err
	}
	mb, err := e.mailbox(ctx)
	if err != nil {
		return err
	}
	gs, err := mb.Store().Greetings(ctx, selfcare.LineKind(f.line))
	if err != nil {
		return err
	}
	if f.json {
		out := make([]greetingJSON, 0, len(gs))
		for _, g := range gs {
			out = append(out, greetingJSON{g.ID, g.Name, int(g.Duration.Round(time.Second).Seconds()), g.InUse, mb.Path(g.Path)})
		}
		return json.NewEncoder(e.stdout).Encode(out)
	}
	for _, g := range gs {
		mark := " "
		if g.InUse {
			mark = "*"
		}
		fmt.Fprintf(e.stdout, "%s %s\t%s\n", mark, g.Name, clockText(g.Duration))
	}
	if !anyInUse(gs) {
		fmt.Fprintln(e.stdout, e.tr().T("vm.cli.greeting.default"))
	}
	return nil
}

func anyInUse(gs []selfcare.Greeting) bool {
	for _, g := range gs {
		if g.InUse {
			return true
		}
	}
	return false
}
