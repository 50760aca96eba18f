// Command lignectl drives Ligne's engine and store without a window: for
// scripts, support, tests and benchmarks. Every error is a non-zero exit
// with one clear line on stderr, in the user's language.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/pprof"
	"strings"
	"syscall"
)

// command is one verb of lignectl.
type command struct {
	name  string
	usage string // arguments, shown by help
	help  string // one line
	run   func(ctx context.Context, e *env, args []string) error
}

// commands lists the verbs in the order help shows them. To add one, write
// a func returning *command in its own file and list it here.
func commands() []*command {
	return []*command{
		helpCommand(), versionCommand(), accountCommand(), profileCommand(), demoCommand(),
		runCommand(), dialCommand(),
		calllogCommand(), usageCommand(),
		forwardCommand(), dndCommand(),
		deviceCommand(),
		provisionCommand(),
		contactsCommand(), docsCommand(),
		secretsCommand(),
		voicemailCommand(), greetingCommand(),
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	stopProfile := startProfile()
	code := Main(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stopProfile()
	stop()
	os.Exit(code)
}

// startProfile writes a CPU profile to $LIGNE_CPUPROFILE when it is set
// (for measuring the engine: go tool pprof lignectl FILE).
func startProfile() func() {
	path := os.Getenv("LIGNE_CPUPROFILE")
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, "lignectl: cpu profile:", err)
		return func() {}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return func() {}
	}
	return func() { pprof.StopCPUProfile(); f.Close() }
}

// Main runs lignectl with args and returns the exit code: 0 on success, 1
// on a failure, 2 on a usage error.
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr}
	defer e.close()
	rest, err := e.parseGlobal(args)
	if err != nil {
		return 2
	}
	if len(rest) == 0 {
		printHelp(e.stdout)
		return 2
	}
	cmd := findCommand(rest[0])
	if cmd == nil {
		fmt.Fprintf(stderr, "lignectl: %s\n", e.tr().T("cli.unknown", rest[0]))
		return 2
	}
	if err := cmd.run(ctx, e, rest[1:]); err != nil {
		return e.fail(err)
	}
	return 0
}

func findCommand(name string) *command {
	for _, c := range commands() {
		if c.name == name {
			return c
		}
	}
	return nil
}

// errUsage marks a usage error: the message was already printed.
var errUsage = errors.New("usage")

// fail prints err as one line and returns the exit code.
func (e *env) fail(err error) int {
	if errors.Is(err, errUsage) || errors.Is(err, flag.ErrHelp) {
		return 2
	}
	msg := e.tr().Err(err)
	if ue, ok := err.(*userError); ok {
		msg = ue.msg
	}
	fmt.Fprintf(e.stderr, "lignectl: %s\n", strings.TrimSpace(msg))
	e.logDetail(err)
	return 1
}

func helpCommand() *command {
	return &command{name: "help", help: "show this help", run: func(_ context.Context, e *env, _ []string) error {
		printHelp(e.stdout)
		return nil
	}}
}

// printHelp lists global flags and commands.
func printHelp(w io.Writer) {
	fmt.Fprintln(w, "lignectl drives Ligne without its window.")
	fmt.Fprintln(w, "")
	fmt.Fprintln(w, "usage: lignectl [--data DIR] [--lang fr|en] COMMAND [ARGS]")
	fmt.Fprintln(w, "")
	fmt.Fprintln(w, "commands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.help)
		if c.usage != "" {
			for _, line := range strings.Split(c.usage, "\n") {
				fmt.Fprintf(w, "             %s\n", line)
			}
		}
	}
}
