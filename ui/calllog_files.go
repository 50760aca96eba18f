package ui

import (
	"errors"
	"fmt"
	"io"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ligne-app/ligne/assets"
	"github.com/ligne-app/ligne/internal/cdr"
)

// callIcon is a telephone handset that follows the theme's colors.
func callIcon() fyne.Resource {
	data, _ := assets.Read("icons/call.svg")
	return theme.NewThemedResource(fyne.NewStaticResource("call.svg", data))
}

// actions are the call log's export and import buttons.
func (c *callLog) actions() fyne.CanvasObject {
	export := widget.NewButtonWithIcon(c.u.T("calllog.export"), theme.DocumentSaveIcon(), c.askExport)
	imp := widget.NewButtonWithIcon(c.u.T("calllog.import"), theme.UploadIcon(), c.askImport)
	return container.NewHBox(imp, export)
}

// askExport saves the records of the current filter as CSV.
func (c *callLog) askExport() {
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			return
		}
		defer w.Close()
		c.u.showResult(c.exportTo(w))
	}, c.u.win)
	d.SetFileName(fmt.Sprintf("journal-%s.csv", c.filter.Month.Format("2006-01")))
	d.SetFilter(storage.NewExtensionFileFilter([]string{".csv"}))
	d.Show()
}

// exportTo writes every record of the current filter.
func (c *callLog) exportTo(w io.Writer) (string, error) {
	f := c.filter
	f.Offset, f.Limit = 0, 1<<30
	recs, _, err := c.u.deps.Services.Calls(c.u.ctx, f)
	if err != nil {
		return "", err
	}
	if err := cdr.WriteCalls(w, recs); err != nil {
		return "", err
	}
	return c.u.Tn("calllog.exported", len(recs)), nil
}

// askImport reads an operator CDR file into the call log.
func (c *callLog) askImport() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		defer r.Close()
		msg, err := c.importFrom(r)
		c.u.showResult(msg, err)
		if err == nil {
			c.reload()
		}
	}, c.u.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".csv", ".txt"}))
	d.Show()
}

// importFrom imports a CDR file; a file with errors imports nothing and
// the message lists its bad lines.
func (c *callLog) importFrom(r io.Reader) (string, error) {
	res, err := cdr.ImportCalls(c.u.ctx, r, c.u.location(), c.u.deps.Services)
	var rep *cdr.Report
	if errors.As(err, &rep) {
		return "", &reportError{text: c.u.Tn("calllog.import.refused", len(rep.Errors)) + "\n" + rep.Message(c.u.Lang(), 12)}
	}
	if err != nil {
		return "", err
	}
	return c.u.T("calllog.imported", res.Added, res.Skipped), nil
}

// reportError carries a message already in the user's words.
type reportError struct{ text string }

func (e *reportError) Error() string { return e.text }

// showResult shows the outcome of an action in a dialog.
func (u *App) showResult(msg string, err error) {
	var re *reportError
	switch {
	case errors.As(err, &re):
		msg = re.text
	case err != nil:
		u.showDialogError(err)
		return
	}
	d := dialog.NewInformation(u.T("nav.calllog"), msg, u.win)
	d.SetDismissText(u.T("common.ok"))
	d.Show()
}

// location is the organization's time zone (Paris when unknown).
func (u *App) location() *time.Location {
	tz := "Europe/Paris"
	if p, err := u.deps.Services.Profile(u.ctx); err == nil && p.Company.TimeZone != "" {
		tz = p.Company.TimeZone
	}
	if loc, err := time.LoadLocation(tz); err == nil {
		return loc
	}
	return time.Local
}
