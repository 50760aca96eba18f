package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ligne-app/ligne/selfcare"
)

// contactsView is the "Contacts" screen state.
type contactsView struct {
	u        *App
	contacts []selfcare.Contact
	list     *widget.List
	count    *widget.Label
	gen      int
}

// buildContacts is "Contacts": internal (red) and external (green)
// contacts, with search as you type.
func buildContacts(u *App) fyne.CanvasObject {
	v := &contactsView{u: u, count: note("")}
	v.list = widget.NewList(func() int { return len(v.contacts) }, v.createRow, v.updateRow)
	search := widget.NewEntry()
	search.SetPlaceHolder(u.T("contacts.search"))
	search.OnChanged = v.search
	legend := container.NewHBox(chip(colorInternal, u.T("contacts.internal")), chip(colorExternal, u.T("contacts.external")))
	add := widget.NewButtonWithIcon(u.T("contacts.add"), theme.ContentAddIcon(), nil)
	add.Importance = widget.HighImportance
	add.Disable() // adding external contacts comes with the contacts issue
	top := container.NewVBox(search, container.NewBorder(nil, nil, legend, v.count))
	bottom := container.NewBorder(nil, nil, nil, add)
	v.search("")
	return container.NewBorder(top, bottom, nil, nil, v.list)
}

// search reloads the list for query q.
func (v *contactsView) search(q string) {
	v.gen++
	gen := v.gen
	load(v.u, func() ([]selfcare.Contact, error) {
		return v.u.deps.Services.Contacts(v.u.ctx, selfcare.ContactQuery{Search: q, Limit: 1000})
	}, func(cs []selfcare.Contact) {
		if gen != v.gen {
			return
		}
		v.contacts = cs
		v.count.SetText(v.u.Tn("contacts.count", len(cs)))
		v.list.Refresh()
	}, func(err error) { v.count.SetText(v.u.errText(err)) })
}

func (v *contactsView) createRow() fyne.CanvasObject {
	dot := widget.NewIcon(theme.AccountIcon())
	return container.NewBorder(nil, nil, dot, muted("0000"), container.NewGridWithColumns(2, bold("Name"), muted("Company")))
}

func (v *contactsView) updateRow(i widget.ListItemID, o fyne.CanvasObject) {
	c := v.contacts[i]
	row := o.(*fyne.Container)
	cols := row.Objects[0].(*fyne.Container)
	name := cols.Objects[0].(*widget.Label)
	name.SetText(c.Name)
	name.Importance = widget.DangerImportance
	if c.Kind == selfcare.ContactExternal {
		name.Importance = widget.SuccessImportance
	}
	name.Refresh()
	sub := c.Company
	if c.Department != "" {
		sub = c.Department
	}
	cols.Objects[1].(*widget.Label).SetText(sub)
	row.Objects[2].(*widget.Label).SetText(numberLabel(c.FirstNumber()))
}
