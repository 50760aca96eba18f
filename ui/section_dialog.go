package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ligne-app/ligne/selfcare"
)

// buildDialog is "Dialog": the options of the unified communications offer.
func buildDialog(u *App) fyne.CanvasObject {
	holder := container.NewStack(widget.NewActivity())
	load(u, func() (selfcare.Profile, error) {
		p, err := u.deps.Services.Profile(u.ctx)
		return p, ignoreNotFound(err)
	}, func(p selfcare.Profile) {
		holder.Objects = []fyne.CanvasObject{u.dialogView(p)}
		holder.Refresh()
	}, func(err error) { holder.Objects = []fyne.CanvasObject{emptyState(u.errText(err))}; holder.Refresh() })
	return holder
}

// dialogView is the overview: the options enabled for the user first,
// then the others of the offer, and the guide's word that options change
// through the administrator.
func (u *App) dialogView(p selfcare.Profile) fyne.CanvasObject {
	note := wrapped(u.T("dialog.admin"))
	note.Importance = widget.WarningImportance
	if len(p.DialogOptions) == 0 {
		return scroll(muted(u.T("dialog.intro")), muted(u.T("dialog.none")), note)
	}
	var on, off []fyne.CanvasObject
	for _, o := range p.DialogOptions {
		if o.Enabled {
			on = append(on, u.dialogOption(o))
		} else {
			off = append(off, u.dialogOption(o))
		}
	}
	objs := []fyne.CanvasObject{muted(u.T("dialog.intro")), bold(u.T("dialog.summary", len(on), len(p.DialogOptions))), note}
	if len(on) > 0 {
		objs = append(objs, heading(u.T("dialog.enabled.title")), grid(3, on...))
	}
	if len(off) > 0 {
		objs = append(objs, heading(u.T("dialog.disabled.title")), grid(3, off...))
	}
	return scroll(objs...)
}

func (u *App) dialogOption(o selfcare.DialogOption) fyne.CanvasObject {
	name, desc := o.Name, o.Description
	if u.Lang() == selfcare.LangEnglish && o.NameEN != "" {
		name, desc = o.NameEN, o.DescriptionEN
	}
	icon, state := theme.CancelIcon(), u.T("dialog.disabled")
	if o.Enabled {
		icon, state = theme.ConfirmIcon(), u.T("dialog.enabled")
	}
	return widget.NewCard(name, state, container.NewBorder(nil, nil, widget.NewIcon(icon), nil, wrapped(desc)))
}
