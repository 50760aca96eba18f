// Package ui is Ligne's window: the selfcare sections of the user guide in a
// navigation column, the softphone panel that is always visible, and the
// first-run flow. It talks to the selfcare service interfaces and to the
// softphone through the Phone interface; widgets are touched only on the
// Fyne goroutine (data is fetched in goroutines and applied with fyne.Do).
package ui

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"fyne.io/fyne/v2"

	"github.com/ligne-app/ligne/internal/engine"
	"github.com/ligne-app/ligne/internal/i18n"
	"github.com/ligne-app/ligne/selfcare"
)

// Deps are what the window needs from the rest of Ligne.
type Deps struct {
	Services selfcare.Services
	Secrets  selfcare.Secrets
	// Engine is the running line; nil for the demo workspace or before an
	// account exists.
	Engine *engine.Engine
	// StartEngine starts the line once the first-run account is saved.
	StartEngine func(ctx context.Context) (*engine.Engine, error)
	// SeedDemo fills an empty workspace with the demo data.
	SeedDemo func(ctx context.Context) error
	// OpenURL opens a document or video in the OS viewer or browser.
	OpenURL func(u string) error
	// DataDir is where bundled documents are copied before opening.
	DataDir string
	Now     func() time.Time
	Logger  *slog.Logger
	Version string
	// Dispatch runs a function on the UI goroutine and returns when it ran.
	// Nil means fyne.DoAndWait; tests queue the functions and run them on
	// the test goroutine.
	Dispatch func(func())
}

// App is Ligne's window and its state.
type App struct {
	fyneApp fyne.App
	win     fyne.Window
	deps    Deps
	tr      *i18n.Translator
	ctx     context.Context
	cancel  context.CancelFunc
	loads   sync.WaitGroup

	shell      *shell            // the main layout once shown
	line       *line             // the running line (engine view), shared by the views
	lastDialed string            // for redial
	region     string            // ISO region numbers are typed in
	names      map[string]string // contact names of the parties the engine reported, by number
}

// New creates the window. Call Start to show the first screen.
func New(a fyne.App, d Deps) *App {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	ctx, cancel := context.WithCancel(context.Background())
	u := &App{fyneApp: a, deps: d, ctx: ctx, cancel: cancel, names: map[string]string{}}
	u.tr = i18n.New(u.savedLanguage())
	u.loadRegion()
	a.Settings().SetTheme(newTheme())
	u.win = a.NewWindow("Ligne")
	u.win.Resize(fyne.NewSize(WindowWidth, WindowHeight))
	u.win.SetMaster()
	u.win.SetOnClosed(cancel)
	return u
}

// Default window size, in Fyne units.
const (
	WindowWidth  = 1280
	WindowHeight = 800
)

// Window returns the main window.
func (u *App) Window() fyne.Window { return u.win }

// T translates a key in the current language.
func (u *App) T(key string, args ...any) string { return u.tr.T(key, args...) }

// Tn translates a counted text (see i18n.Translator.Tn).
func (u *App) Tn(key string, n int, args ...any) string { return u.tr.Tn(key, n, args...) }

// Lang returns the current language code.
func (u *App) Lang() string { return u.tr.Lang() }

// Start shows the first-run flow when no account exists, the main window
// otherwise.
func (u *App) Start() {
	_, err := u.deps.Services.Account(u.ctx)
	switch selfcare.ErrorCode(err) {
	case "":
		u.ShowMain()
	case selfcare.CodeNoAccount:
		u.ShowFirstRun()
	default:
		u.deps.Logger.Error("read account", "err", err)
		u.ShowFirstRun()
	}
	u.win.Show()
}

// savedLanguage returns the language chosen by the user, French by default.
func (u *App) savedLanguage() string {
	l, err := u.deps.Services.Setting(context.Background(), selfcare.SettingLanguage)
	if err != nil || l == "" {
		return selfcare.LangFrench
	}
	return l
}

// SetLanguage switches the window to lang, saves the choice and rebuilds
// the current screen.
func (u *App) SetLanguage(lang string) {
	if lang == u.tr.Lang() {
		return
	}
	u.tr = i18n.New(lang)
	if err := u.deps.Services.SetSetting(u.ctx, selfcare.SettingLanguage, lang); err != nil {
		u.deps.Logger.Error("save language", "err", err)
	}
	if u.shell != nil {
		current := u.shell.current
		u.ShowMain()
		u.shell.open(current)
		return
	}
	u.ShowFirstRun()
}

// Close stops background work.
func (u *App) Close() { u.cancel() }
