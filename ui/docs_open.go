package ui

import (
	"context"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2/widget"

	"github.com/ligne-app/ligne/assets"
	"github.com/ligne-app/ligne/internal/docs"
	"github.com/ligne-app/ligne/selfcare"
)

// docsFolder is the cache of documents inside the data folder.
const docsFolder = "docs"

// docCache is the documents' cache in the data folder (no folder, no
// cache: documents are then unavailable).
func (u *App) docCache() *docs.Cache {
	dir := ""
	if u.deps.DataDir != "" {
		dir = filepath.Join(u.deps.DataDir, docsFolder)
	}
	client := &http.Client{Transport: &http.Transport{Proxy: http.ProxyFromEnvironment, ResponseHeaderTimeout: 30 * time.Second,
		TLSHandshakeTimeout: 15 * time.Second}}
	return docs.New(dir, client, assets.Document)
}

// docOpener is a document's button, progress bar and error line.
type docOpener struct {
	u        *App
	d        selfcare.Document
	cached   bool
	button   *widget.Button
	progress *widget.ProgressBar
	info     *widget.Label
	err      *widget.Label
	cancel   context.CancelFunc // set while downloading
	label    string             // the button's text when not the usual one
}

// newDocOpener makes the widgets of a document's row.
func (u *App) newDocOpener(d selfcare.Document, cached bool) *docOpener {
	o := &docOpener{u: u, d: d, cached: cached, progress: widget.NewProgressBar(), info: muted(""), err: errorLabel()}
	o.progress.Hide()
	o.button = widget.NewButton("", o.tap)
	o.idle()
	return o
}

// idle shows the button's action and what the document is.
func (o *docOpener) idle() {
	u, d := o.u, o.d
	o.cancel = nil
	o.progress.Hide()
	switch {
	case d.Kind == selfcare.DocVideo:
		o.button.SetText(u.T("docs.watch"))
		o.button.SetIcon(nil)
	case d.URL != "" && !o.cached:
		o.button.SetText(u.T("docs.download"))
	default:
		o.button.SetText(u.T("docs.open"))
	}
	if o.label != "" {
		o.button.SetText(o.label)
	}
	var parts []string
	if d.Category != "" {
		parts = append(parts, u.T("docs.category."+d.Category))
	}
	if d.Kind != selfcare.DocVideo && o.cached {
		parts = append(parts, u.T("docs.cached"))
	} else if d.Size > 0 {
		parts = append(parts, u.T("docs.size", float64(d.Size)/(1<<20)))
	}
	o.info.SetText(strings.Join(parts, " · "))
	if len(parts) == 0 {
		o.info.Hide()
	} else {
		o.info.Show()
	}
}

// tap opens the document, or cancels its download.
func (o *docOpener) tap() {
	if o.cancel != nil {
		o.cancel()
		return
	}
	o.u.showError(o.err, nil)
	if o.d.Kind == selfcare.DocVideo {
		o.u.showError(o.err, o.u.openURL(o.d.URL))
		return
	}
	o.fetchAndOpen()
}

// fetchAndOpen gets the file into the cache, showing the progress, then
// opens it in the OS viewer.
func (o *docOpener) fetchAndOpen() {
	ctx, cancel := context.WithCancel(o.u.ctx)
	canceled := false // set on the UI goroutine when the user cancels
	o.cancel = func() { canceled = true; cancel() }
	o.button.SetText(o.u.T("docs.cancel"))
	o.progress.SetValue(0)
	o.progress.Show()
	report := o.u.throttledProgress(o.progress)
	load(o.u, func() (string, error) {
		defer cancel()
		return o.u.docCache().Fetch(ctx, o.d, report)
	}, func(path string) {
		o.cached = true
		o.idle()
		o.u.showError(o.err, o.u.openURL(fileURL(path)))
	}, func(err error) {
		o.idle()
		if !canceled {
			o.u.showError(o.err, err)
		}
	})
}

// throttledProgress returns a progress callback for any goroutine that
// moves bar on the UI goroutine at most every percent (or every 256 KiB
// when the size is unknown).
func (u *App) throttledProgress(bar *widget.ProgressBar) docs.Progress {
	last := int64(-1)
	return func(done, total int64) {
		step := done >> 18
		if total > 0 {
			step = done * 100 / total
		}
		if step == last {
			return
		}
		last = step
		u.dispatch(func() {
			if total > 0 {
				bar.SetValue(float64(done) / float64(total))
			} else {
				bar.SetValue(float64(step%100) / 100)
			}
		})
	}
}

// openURL hands a URL to the OS (browser or viewer).
func (u *App) openURL(s string) error {
	if u.deps.OpenURL == nil {
		return selfcare.Errorf(selfcare.CodeDocumentUnavailable, "", s)
	}
	return u.deps.OpenURL(s)
}

// fileURL is the file: URL of a local path.
func fileURL(path string) string {
	p := filepath.ToSlash(path)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // C:/... on Windows
	}
	return (&url.URL{Scheme: "file", Path: p}).String()
}
