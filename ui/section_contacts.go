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

// cardWidth is the width of the selected contact's card, in Fyne units.
const cardWidth = 310

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
	callIcon fyne.Resource // one resource for every row
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
	v := &contactsView{u: u, count: note(""), detail: container.NewStack(), callIcon: callIcon()}
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
	card := container.NewVScroll(v.detail)
	v.showEmptyCard()
	v.reload()
	v.watchLine()
	v.root = newContactsScreen(v, container.NewBorder(top, bottom, nil, nil,
		container.NewBorder(nil, nil, nil, container.NewHBox(widget.NewSeparator(), cardStack(card)), v.list)))
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

// contactRow is one row of the list: kind dot, name over company,
// supervision state, first number and a call button.
type contactRow struct {
	widget.BaseWidget
	dot          *canvas.Circle
	name, sub    *widget.Label
	state, phone *widget.Label
	call         *widget.Button
	content      fyne.CanvasObject
}

func (v *contactsView) createRow() fyne.CanvasObject {
	r := &contactRow{dot: canvas.NewCircle(colorMuted), name: bold(""), sub: note(""), state: note(""), phone: note("")}
	r.name.Truncation, r.sub.Truncation, r.state.Truncation = fyne.TextTruncateEllipsis, fyne.TextTruncateEllipsis, fyne.TextTruncateEllipsis
	r.call = widget.NewButtonWithIcon("", v.callIcon, nil)
	r.call.Importance = widget.LowImportance
	left := container.NewCenter(container.NewGridWrap(fyne.NewSize(10, 10), r.dot))
	right := container.NewHBox(sized(container.NewVBox(r.phone, r.state), 120), container.NewCenter(r.call))
	r.content = container.NewBorder(nil, nil, left, right, container.NewVBox(r.name, r.sub))
	r.ExtendBaseWidget(r)
	return r
}

// CreateRenderer draws the row.
func (r *contactRow) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(r.content) }

// updateRow fills row i: red for colleagues, green for external contacts.
func (v *contactsView) updateRow(i widget.ListItemID, o fyne.CanvasObject) {
	c, r := v.contacts[i], o.(*contactRow)
	r.name.Importance = widget.DangerImportance
	if c.Kind == selfcare.ContactExternal {
		r.name.Importance = widget.SuccessImportance
	}
	r.name.SetText(c.Name)
	r.sub.SetText(subtitle(c))
	r.dot.FillColor = kindColor(c)
	r.dot.Refresh()
	r.state.SetText(v.stateText(c))
	number := c.FirstNumber()
	r.phone.SetText(numberLabel(number))
	r.call.OnTapped = func() { v.u.CallNumber(number) }
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
	v.detail.Objects = []fyne.CanvasObject{container.NewPadded(note(v.u.T("contacts.pick")))}
	v.detail.Refresh()
}

// watchLine keeps the supervision states live while the screen is shown.
func (v *contactsView) watchLine() {
	if v.u.line == nil {
		return
	}
	v.u.line.watchSection(func() {
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

// cardStack lets the card's fixed width stretch to the list's height.
func cardStack(card fyne.CanvasObject) fyne.CanvasObject {
	return container.New(&fullHeight{width: cardWidth}, card)
}

// fullHeight lays its objects out at a fixed width and the full height.
type fullHeight struct{ width float32 }

// Layout gives every object the width and the whole height.
func (l *fullHeight) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Resize(fyne.NewSize(l.width, size.Height))
		o.Move(fyne.NewPos(0, 0))
	}
}

// MinSize is the width, and no height of its own.
func (l *fullHeight) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.NewSize(l.width, 0) }
