package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"

	"github.com/ligne-app/ligne/internal/i18n"
	"github.com/ligne-app/ligne/secrets"
	"github.com/ligne-app/ligne/selfcare"
	"github.com/ligne-app/ligne/store"
)

// env is what commands share: streams, the data folder, the store (opened
// on first use), the keyring and the language.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	dataDir        string
	lang           string
	verbose        bool
	db             *store.DB
	secrets        selfcare.Secrets
	translator     *i18n.Translator
}

// parseGlobal reads the flags before the command.
func (e *env) parseGlobal(args []string) ([]string, error) {
	fs := flag.NewFlagSet("lignectl", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.StringVar(&e.dataDir, "data", "", "data folder (default: the user config folder + Ligne)")
	fs.StringVar(&e.lang, "lang", "", "language of messages: fr or en (default: the one chosen in Ligne)")
	fs.BoolVar(&e.verbose, "v", false, "log details to stderr")
	fs.Usage = func() { printHelp(e.stderr) }
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	return fs.Args(), nil
}

// store opens the data folder's database once.
func (e *env) store(ctx context.Context) (*store.DB, error) {
	if e.db != nil {
		return e.db, nil
	}
	dir := e.dataDir
	if dir == "" {
		d, err := store.DefaultDir()
		if err != nil {
			return nil, err
		}
		dir = d
	}
	db, err := store.Open(ctx, dir, store.Options{Logger: e.logger()})
	if err != nil {
		return nil, err
	}
	e.db, e.dataDir = db, dir
	return db, nil
}

// keyring returns the secret store: the OS keyring, or the private file
// the user agreed to when no keyring answers (unless a test set one).
func (e *env) keyring() selfcare.Secrets {
	if e.secrets == nil {
		e.secrets = secrets.Keyring{}
		if st, err := e.secretStore(context.Background()); err == nil {
			e.secrets = st
		}
	}
	return e.secrets
}

// secretStore opens the secret store of the data folder (see secrets.Open).
func (e *env) secretStore(ctx context.Context) (*secrets.Store, error) {
	db, err := e.store(ctx)
	if err != nil {
		return nil, err
	}
	return secrets.Open(ctx, secrets.Options{Settings: db, Dir: db.Dir(), Logger: e.logger()})
}

// tr returns the translator for messages: --lang, else the language saved
// in the store when it is already open, else French.
func (e *env) tr() *i18n.Translator {
	if e.translator != nil {
		return e.translator
	}
	lang := e.lang
	if lang == "" && e.db != nil {
		lang, _ = e.db.Setting(context.Background(), selfcare.SettingLanguage)
	}
	e.translator = i18n.New(lang)
	return e.translator
}

func (e *env) logger() *slog.Logger {
	if !e.verbose {
		return slog.New(slog.DiscardHandler)
	}
	return slog.New(slog.NewTextHandler(e.stderr, nil))
}

// logDetail writes the internal error chain when -v is set.
func (e *env) logDetail(err error) {
	if e.verbose {
		fmt.Fprintf(e.stderr, "detail: %v\n", err)
	}
}

func (e *env) close() {
	if e.db != nil {
		e.db.Close()
	}
}

// userError is a message already in the user's words.
type userError struct{ msg string }

func (u *userError) Error() string { return u.msg }

// usagef prints a usage problem and returns errUsage.
func (e *env) usagef(format string, args ...any) error {
	fmt.Fprintf(e.stderr, "lignectl: "+format+"\n", args...)
	return errUsage
}

// stdinText reads all of stdin, for --password-stdin.
func (e *env) stdinText() (string, error) {
	b, err := io.ReadAll(io.LimitReader(e.stdin, 4096))
	if err != nil {
		return "", fmt.Errorf("read stdin: %w", err)
	}
	s := string(b)
	for len(s) > 0 && (s[len(s)-1] == '\n' || s[len(s)-1] == '\r') {
		s = s[:len(s)-1]
	}
	return s, nil
}
