package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ligne-app/ligne/selfcare"
)

// deviceGuideButton is the guide's "Télécharger le guide utilisateur
// (PDF)" under a desk phone in Mes téléphones: it finds the user guide of
// model among the profile's documents, downloads it (or copies the one
// bundled with Ligne) with a progress bar, and opens it in the OS viewer.
// Without a guide for the model, the button is disabled and says so.
func (u *App) deviceGuideButton(model string) fyne.CanvasObject {
	o := &docOpener{u: u, progress: widget.NewProgressBar(), info: muted(""), err: errorLabel(),
		label: u.T("docs.guide.download")}
	o.progress.Hide()
	o.button = widget.NewButtonWithIcon(o.label, theme.DownloadIcon(), o.tap)
	o.button.Disable()
	load(u, func() (guideLookup, error) { return u.findGuide(model) }, func(g guideLookup) {
		if !g.found {
			o.u.showError(o.info, selfcare.Errorf(selfcare.CodeDocumentNoGuide, "", model))
			return
		}
		o.d, o.cached = g.doc, g.cached
		o.button.Enable()
	}, func(err error) { u.showError(o.err, err) })
	return container.NewVBox(o.button, o.progress, o.info, o.err)
}

// openDeviceGuide opens the user guide of model as the button does, for
// callers with a button of their own; errors show in errLabel.
func (u *App) openDeviceGuide(model string, errLabel *widget.Label) {
	load(u, func() (guideLookup, error) { return u.findGuide(model) }, func(g guideLookup) {
		if !g.found {
			u.showError(errLabel, selfcare.Errorf(selfcare.CodeDocumentNoGuide, "", model))
			return
		}
		o := &docOpener{u: u, d: g.doc, cached: g.cached, button: widget.NewButton("", nil),
			progress: widget.NewProgressBar(), info: muted(""), err: errLabel}
		o.fetchAndOpen()
	}, func(err error) { u.showError(errLabel, err) })
}

// guideLookup is a model's user guide, if the profile has one.
type guideLookup struct {
	doc    selfcare.Document
	found  bool
	cached bool
}

// findGuide looks the user guide of model up in the profile's documents.
func (u *App) findGuide(model string) (guideLookup, error) {
	p, err := u.deps.Services.Profile(u.ctx)
	if err != nil {
		return guideLookup{}, ignoreNotFound(err)
	}
	d, ok := selfcare.GuideFor(p.Documents, model)
	if !ok {
		return guideLookup{}, nil
	}
	_, cached := u.docCache().Path(d)
	return guideLookup{doc: d, found: true, cached: cached}, nil
}
