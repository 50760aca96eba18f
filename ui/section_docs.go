package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ligne-app/ligne/selfcare"
)

// buildDocs is "Documentation": the personal library of the guide, by
// kind (user guides, product sheets, documents about the solution,
// videos).
func buildDocs(u *App) fyne.CanvasObject {
	holder := container.NewStack(widget.NewActivity())
	load(u, u.fetchDocs, func(l docsLibrary) {
		holder.Objects = []fyne.CanvasObject{u.docsView(l)}
		holder.Refresh()
	}, func(err error) { holder.Objects = []fyne.CanvasObject{emptyState(u.errText(err))}; holder.Refresh() })
	return holder
}

// docsLibrary is the profile's documents and which are already at hand.
type docsLibrary struct {
	docs   []selfcare.Document
	cached map[string]bool
}

// fetchDocs reads the documents and looks them up in the cache.
func (u *App) fetchDocs() (docsLibrary, error) {
	p, err := u.deps.Services.Profile(u.ctx)
	l := docsLibrary{docs: p.Documents, cached: map[string]bool{}}
	cache := u.docCache()
	for _, d := range l.docs {
		_, l.cached[d.ID] = cache.Path(d)
	}
	return l, ignoreNotFound(err)
}

func (u *App) docsView(l docsLibrary) fyne.CanvasObject {
	docs := l.docs
	if len(docs) == 0 {
		return emptyState(u.T("docs.none"))
	}
	objs := []fyne.CanvasObject{muted(u.T("docs.intro"))}
	for _, kind := range []selfcare.DocumentKind{selfcare.DocUserGuide, selfcare.DocProductSheet, selfcare.DocSolution, selfcare.DocVideo} {
		var rows []fyne.CanvasObject
		for _, d := range docs {
			if d.Kind == kind {
				rows = append(rows, u.docRow(d, l.cached[d.ID]))
			}
		}
		if len(rows) > 0 {
			objs = append(objs, heading(u.T("docs.kind."+string(kind))), container.NewVBox(rows...))
		}
	}
	return scroll(objs...)
}

// docRow is one document: its title, what it is, and a button that opens
// it (downloading it first, with a progress bar) or plays the video.
func (u *App) docRow(d selfcare.Document, cached bool) fyne.CanvasObject {
	icon := theme.DocumentIcon()
	if d.Kind == selfcare.DocVideo {
		icon = theme.MediaVideoIcon()
	}
	o := u.newDocOpener(d, cached)
	title := container.NewVBox(bold(d.Title), o.info)
	return container.NewVBox(container.NewBorder(nil, nil, widget.NewIcon(icon), container.NewCenter(o.button), title), o.progress, o.err)
}
