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

func (u *App) dialogView(p selfcare.Profile) fyne.CanvasObject {
	var rows []fyne.CanvasObject
	for _, o := range p.DialogOptions {
		rows = append(rows, u.dialogOption(o))
	}
	note := wrapped(u.T("dialog.admin"))
	note.Importance = widget.WarningImportance
	return scroll(muted(u.T("dialog.intro")), grid(3, rows...), note)
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
