package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ligne-app/ligne/selfcare"
)

// contactsPage is how many contacts a search shows at most.
const contactsPage = 100

// contactsView is the "Contacts" screen: the search field, the list of
// internal (red) and external (green) contacts, the selected contact's
// card, and the + button at the bottom right that adds an external one.
type contactsView struct {
	u        *App
	contacts []selfcare.Contact
	info     contactsInfo
	list     *widget.List
	count    *widget.Label
	query    string
	detail   *fyne.Container
	selected string       // id of the contact on the card
	card     *contactCard // the card shown, nil when none
	add      *widget.Button
	gen      int
	root     *contactsScreen
}

// contactsInfo is what the rules of the screen depend on: the rights of
// the profile, the function keys and the directory's supervisable flags.
type contactsInfo struct {
	rights          selfcare.Rights
	hasProfile      bool
	keys            []selfcare.FunctionKey
	notSupervisable map[string]bool // contact ids
}

// buildContacts is "Contacts", as in the guide.
func buildContacts(u *App) fyne.CanvasObject {
	v := &contactsView{u: u, count: note(""), detail: container.NewStack()}
	v.list = widget.NewList(func() int { return len(v.contacts) }, v.createRow, v.updateRow)
	v.list.OnSelected = func(i widget.ListItemID) { v.show(v.contacts[i]) }
	search := widget.NewEntry()
	search.SetPlaceHolder(u.T("contacts.search"))
	search.OnChanged = v.search
	legend := container.NewHBox(chip(colorInternal, u.T("contacts.internal")), chip(colorExternal, u.T("contacts.external")))
	v.add = widget.NewButtonWithIcon(u.T("contacts.add"), theme.ContentAddIcon(), v.addContact)
	v.add.Importance = widget.HighImportance
	top := container.NewVBox(search, container.NewBorder(nil, nil, legend, v.count))
	bottom := container.NewBorder(nil, nil, v.sourcesBar(), v.add)
	split := container.NewHSplit(v.list, container.NewVScroll(v.detail))
	split.Offset = 0.55
	v.showEmptyCard()
	v.reload()
	v.watchLine()
	v.root = newContactsScreen(v, container.NewBorder(top, bottom, nil, nil, split))
	return v.root
}

// reload reads the rules' data, then searches again.
func (v *contactsView) reload() {
	load(v.u, v.fetchInfo, func(info contactsInfo) {
		v.info = info
		v.add.Enable()
		if info.hasProfile && !info.rights.ExternalContact {
			v.add.Disable()
		}
		v.search(v.query)
	}, func(err error) { v.count.SetText(v.u.errText(err)) })
}

// fetchInfo reads the profile's rights and the function keys.
func (v *contactsView) fetchInfo() (contactsInfo, error) {
	info := contactsInfo{notSupervisable: map[string]bool{}}
	p, err := v.u.deps.Services.Profile(v.u.ctx)
	switch selfcare.ErrorCode(err) {
	case "":
		info.rights, info.hasProfile = p.Rights, true
		for _, d := range p.Directory {
			if !d.Supervisable {
				info.notSupervisable["dir:"+d.ID] = true
			}
		}
	case selfcare.CodeNotFound:
	default:
		return info, err
	}
	info.keys, err = v.u.deps.Services.Keys(v.u.ctx)
	return info, err
}

// search reloads the list for query q; an answer to an older keystroke is
// dropped.
func (v *contactsView) search(q string) {
	v.query = q
	v.gen++
	gen := v.gen
	load(v.u, func() ([]selfcare.Contact, error) {
		return v.u.deps.Services.Contacts(v.u.ctx, selfcare.ContactQuery{Search: q, Limit: contactsPage})
	}, func(cs []selfcare.Contact) {
		if gen != v.gen {
			return
		}
		v.contacts = cs
		v.showCount()
		v.list.UnselectAll()
		v.list.Refresh()
		v.refreshCard(cs)
	}, func(err error) { v.count.SetText(v.u.errText(err)) })
}

// showCount says how many contacts match, or that there are more.
func (v *contactsView) showCount() {
	if len(v.contacts) >= contactsPage {
		v.count.SetText(v.u.T("contacts.count.more", contactsPage))
		return
	}
	v.count.SetText(v.u.Tn("contacts.count", len(v.contacts)))
}

// refreshCard shows the selected contact again from fresh data, or the
// empty card when it went away.
func (v *contactsView) refreshCard(cs []selfcare.Contact) {
	for _, c := range cs {
		if c.ID == v.selected {
			v.show(c)
			return
		}
	}
	if v.selected != "" {
		load(v.u, func() (selfcare.Contact, error) {
			return v.u.deps.Services.ContactByID(v.u.ctx, v.selected)
		}, v.show, func(error) { v.showEmptyCard() })
	}
}

// createRow builds a list row: kind dot, name and company, supervision
// state, first number and a call button.
func (v *contactsView) createRow() fyne.CanvasObject {
	dot := canvas.NewCircle(colorMuted)
	call := widget.NewButtonWithIcon("", callIcon(), nil)
	right := container.NewHBox(note(""), muted("00 00 00 00 00"), call)
	return container.NewBorder(nil, nil, container.NewCenter(container.NewGridWrap(fyne.NewSize(10, 10), dot)), right,
		container.NewGridWithColumns(2, bold("Name"), muted("Company")))
}

// updateRow fills row i: red for colleagues, green for external contacts.
func (v *contactsView) updateRow(i widget.ListItemID, o fyne.CanvasObject) {
	c := v.contacts[i]
	row := o.(*fyne.Container)
	cols := row.Objects[0].(*fyne.Container)
	name := cols.Objects[0].(*widget.Label)
	name.Importance = widget.DangerImportance
	if c.Kind == selfcare.ContactExternal {
		name.Importance = widget.SuccessImportance
	}
	name.SetText(c.Name)
	cols.Objects[1].(*widget.Label).SetText(subtitle(c))
	dot := row.Objects[1].(*fyne.Container).Objects[0].(*fyne.Container).Objects[0].(*canvas.Circle)
	dot.FillColor = kindColor(c)
	dot.Refresh()
	right := row.Objects[2].(*fyne.Container)
	right.Objects[0].(*widget.Label).SetText(v.stateText(c))
	right.Objects[1].(*widget.Label).SetText(numberLabel(c.FirstNumber()))
	number := c.FirstNumber()
	right.Objects[2].(*widget.Button).OnTapped = func() { v.u.CallNumber(number) }
}

// kindColor is red for colleagues, green for external contacts.
func kindColor(c selfcare.Contact) color.Color {
	if c.Kind == selfcare.ContactExternal {
		return colorExternal
	}
	return colorInternal
}

// subtitle is the company, and the department when there is one.
func subtitle(c selfcare.Contact) string {
	switch {
	case c.Department != "" && c.Company != "":
		return c.Company + " · " + c.Department
	case c.Department != "":
		return c.Department
	}
	return c.Company
}

// addContact opens the form for a new external contact.
func (v *contactsView) addContact() {
	v.u.showContactForm(selfcare.Contact{Kind: selfcare.ContactExternal}, v.saved)
}

// saved shows a contact just added or edited, and refreshes the list.
func (v *contactsView) saved(c selfcare.Contact) {
	v.selected = c.ID
	v.reload()
}

// showEmptyCard invites to pick a contact.
func (v *contactsView) showEmptyCard() {
	v.selected, v.card = "", nil
	v.detail.Objects = []fyne.CanvasObject{emptyState(v.u.T("contacts.pick"))}
	v.detail.Refresh()
}

// watchLine keeps the supervision states live while the screen is shown.
func (v *contactsView) watchLine() {
	if v.u.line == nil {
		return
	}
	v.u.line.watch(func() {
		if !v.onScreen() {
			return
		}
		v.list.Refresh()
		v.refreshState()
	})
}

// onScreen reports whether this view is the Contacts screen shown now.
func (v *contactsView) onScreen() bool {
	s := v.u.shell
	return s != nil && s.current == SectionContacts && len(s.content.Objects) == 1 && s.content.Objects[0] == fyne.CanvasObject(v.root)
}
