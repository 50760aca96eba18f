package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ligne-app/ligne/selfcare"
)

// buildDocs is "Documentation": the personal library, by kind.
func buildDocs(u *App) fyne.CanvasObject {
	holder := container.NewStack(widget.NewActivity())
	load(u, func() (selfcare.Profile, error) {
		p, err := u.deps.Services.Profile(u.ctx)
		return p, ignoreNotFound(err)
	}, func(p selfcare.Profile) {
		holder.Objects = []fyne.CanvasObject{u.docsView(p.Documents)}
		holder.Refresh()
	}, func(err error) { holder.Objects = []fyne.CanvasObject{emptyState(u.errText(err))}; holder.Refresh() })
	return holder
}

func (u *App) docsView(docs []selfcare.Document) fyne.CanvasObject {
	if len(docs) == 0 {
		return emptyState(u.T("docs.none"))
	}
	objs := []fyne.CanvasObject{muted(u.T("docs.intro"))}
	for _, kind := range []selfcare.DocumentKind{selfcare.DocUserGuide, selfcare.DocProductSheet, selfcare.DocSolution, selfcare.DocVideo} {
		var rows []fyne.CanvasObject
		for _, d := range docs {
			if d.Kind == kind {
				rows = append(rows, u.docRow(d))
			}
		}
		if len(rows) > 0 {
			objs = append(objs, heading(u.T("docs.kind."+string(kind))), container.NewVBox(rows...))
		}
	}
	return scroll(objs...)
}

// docRow is one document with its open button.
func (u *App) docRow(d selfcare.Document) fyne.CanvasObject {
	icon := theme.DocumentIcon()
	action := u.T("docs.open")
	if d.Kind == selfcare.DocVideo {
		icon, action = theme.MediaVideoIcon(), u.T("docs.watch")
	}
	sub := ""
	if d.Category != "" {
		sub = u.T("docs.category." + d.Category)
	}
	errL := errorLabel()
	open := widget.NewButtonWithIcon(action, theme.NavigateNextIcon(), func() { u.showError(errL, u.openDocument(d)) })
	title := container.NewVBox(bold(d.Title), muted(sub))
	return container.NewVBox(container.NewBorder(nil, nil, widget.NewIcon(icon), open, title), errL)
}

// openDocument opens a document's URL in the browser. Bundled documents
// and downloads with progress come with the documentation issue.
func (u *App) openDocument(d selfcare.Document) error {
	if u.deps.OpenURL == nil || d.URL == "" {
		return selfcare.Errorf(selfcare.CodeNotFound, "document")
	}
	return u.deps.OpenURL(d.URL)
}
