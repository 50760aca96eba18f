// Command ligne is Ligne's window: the selfcare of the user's hosted
// telephony and a softphone. It wires the store, the secrets, the engine
// and the UI; everything else lives in the packages.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync/atomic"
	"time"
	_ "time/tzdata" // time zones on systems without a zoneinfo database (Windows)

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"github.com/ligne-app/ligne/internal/demo"
	"github.com/ligne-app/ligne/internal/directory"
	"github.com/ligne-app/ligne/internal/engine"
	"github.com/ligne-app/ligne/internal/instance"
	"github.com/ligne-app/ligne/internal/version"
	"github.com/ligne-app/ligne/internal/voicemail"
	"github.com/ligne-app/ligne/provision"
	"github.com/ligne-app/ligne/secrets"
	"github.com/ligne-app/ligne/selfcare"
	"github.com/ligne-app/ligne/store"
	"github.com/ligne-app/ligne/ui"
)

// options are the command line of the window program.
type options struct {
	dataDir     string
	demo        bool
	screenshots string
	shotCall    string // in screenshot mode: a number to call for the in-call pictures
	version     bool
	verbose     bool
	link        string // a tel:, sip: or callto: link to dial
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("ligne", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.dataDir, "data", "", "data folder (default: the user config folder + Ligne)")
	fs.BoolVar(&o.demo, "demo", false, "start on the demo workspace when no account exists yet")
	fs.StringVar(&o.screenshots, "screenshots", "", "write a PNG of each section to this folder, then quit")
	fs.StringVar(&o.shotCall, "screenshot-call", "", "with --screenshots: also call this number, and wait for an incoming call")
	fs.BoolVar(&o.version, "version", false, "print the version and quit")
	fs.BoolVar(&o.verbose, "v", false, "log debug messages to stderr")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 1 {
		return o, fmt.Errorf("one link at most, got %v", fs.Args())
	}
	o.link = fs.Arg(0)
	return o, nil
}

func main() {
	o, err := parseFlags(os.Args[1:], os.Stderr)
	if err != nil {
		os.Exit(2)
	}
	if o.version {
		fmt.Println("ligne", version.String())
		return
	}
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "ligne:", err)
		os.Exit(1)
	}
}

// run opens the data folder and shows the window until it is closed.
func run(o options) error {
	log := newLogger(o.verbose)
	ctx := context.Background()
	dir := o.dataDir
	if dir == "" {
		d, err := store.DefaultDir()
		if err != nil {
			return err
		}
		dir = d
	}
	srv, err := instance.Listen(dir)
	if errors.Is(err, instance.ErrRunning) {
		log.Info("Ligne is already running: handing the link over", "link", o.link)
		return instance.Send(dir, o.link)
	}
	if err != nil {
		log.Warn("single instance", "err", err)
	} else {
		defer srv.Close()
	}
	db, err := store.Open(ctx, dir, store.Options{Logger: log})
	if err != nil {
		return fmt.Errorf("open %s: %w", dir, err)
	}
	defer db.Close()
	// the OS keyring, or the private file the user agreed to (asked by the
	// window before a password is kept)
	sec, err := secrets.Open(ctx, secrets.Options{Settings: db, Dir: dir, Logger: log})
	if err != nil {
		return fmt.Errorf("open secrets: %w", err)
	}
	a := app.NewWithID("app.ligne.desktop")
	a.SetIcon(ui.AppIcon())
	if o.demo {
		seedIfEmpty(ctx, db, log)
	}
	lineRunner := &lineRunner{db: db, sec: sec, log: log}
	defer lineRunner.close()
	prov, err := provision.NewService(provision.ServiceOptions{Store: db, Secrets: sec, DataDir: dir, Logger: log})
	if err != nil {
		return fmt.Errorf("provisioning: %w", err)
	}
	if err := prov.Start(ctx); err != nil {
		log.Error("provisioning server", "err", err)
	}
	defer prov.Close()
	var window atomic.Pointer[ui.App]
	lamps := provision.NewLampPusher(ctx, prov, log) // the desk phones' message-waiting lamps
	lineRunner.startVoicemail(ctx, func(line selfcare.LineKind, c voicemail.Count) {
		if w := window.Load(); w != nil {
			fyne.Do(func() { w.SetVoicemailCount(line, c.New) })
		}
		lamps.Set(line, c.New, c.Old)
	})
	ldapCtx, stopLDAP := context.WithCancel(ctx)
	defer stopLDAP()
	go directory.NewRefresher(&directory.Syncer{Store: db, Secrets: sec, Log: log}, nil, nil).Run(ldapCtx)
	w := ui.New(a, ui.Deps{
		Services: services{db, prov}, Secrets: sec, Logger: log, DataDir: dir, Version: version.String(),
		Engine:      lineRunner.start(ctx),
		StartEngine: func(ctx context.Context) (*engine.Engine, error) { return lineRunner.startErr(ctx) },
		SeedDemo:    func(ctx context.Context) error { return demo.Seed(ctx, db, time.Now()) },
		OpenURL:     func(s string) error { return openURL(a, s) },
	})
	defer w.Close()
	window.Store(w)
	w.Start()
	if srv != nil {
		go srv.Serve(func(link string) {
			log.Info("link received", "link", link)
			fyne.Do(func() { w.HandleLink(link) })
		})
	}
	if o.link != "" {
		w.HandleLink(o.link)
	}
	if o.screenshots != "" {
		go captureAndQuit(a, w, o.screenshots, o.shotCall, log)
	}
	a.Run()
	return nil
}

// services is what the window reads and writes: the store, and the
// provisioning service (push, server) beside it. Both are embedded so the
// screens can look for the store's extra interfaces.
type services struct {
	*store.DB
	*provision.Service
}

// seedIfEmpty makes a workspace without account the demo workspace.
func seedIfEmpty(ctx context.Context, db *store.DB, log *slog.Logger) {
	if _, err := db.Account(ctx); err == nil {
		return
	}
	if err := demo.Seed(ctx, db, time.Now()); err != nil {
		log.Error("seed demo", "err", err)
	}
}

func newLogger(verbose bool) *slog.Logger {
	level := slog.LevelInfo
	if verbose {
		level = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
}

// openURL hands a URL to the OS browser or viewer.
func openURL(a fyne.App, s string) error {
	u, err := parseURL(s)
	if err != nil {
		return err
	}
	return a.OpenURL(u)
}
