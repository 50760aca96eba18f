package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ligne-app/ligne/selfcare"
)

// maxKeyMatches bounds the contacts the picker offers for a name.
const maxKeyMatches = 30

// keyEditor is "Mes touches de fonction": the keys in order, each with its
// label, moved up or down or removed, and the form of the guide to add one
// (supervision or shortcut, the contact's name, then the contact). Every
// change is checked against the contacts, the rights and the most limited
// phone, and saved at once; a refused change saves nothing and says why.
type keyEditor struct {
	s       *phonesScreen
	errL    *widget.Label
	kinds   []selfcare.KeyKind
	kind    *widget.Select
	search  *widget.Entry
	contact *widget.Select
	matches []selfcare.Contact
	label   *widget.Entry
}

func (s *phonesScreen) keyEditor() fyne.CanvasObject {
	e := &keyEditor{s: s, errL: errorLabel()}
	objs := []fyne.CanvasObject{muted(s.capacityText()), e.list()}
	if form := e.addForm(); form != nil {
		objs = append(objs, form)
	}
	return container.NewVBox(append(objs, e.errL)...)
}

// capacityText is "9 touches sur 95 au plus (VVX 450, votre poste le plus
// limité)", or the count alone without a phone.
func (s *phonesScreen) capacityText() string {
	u := s.u
	capacity, model := smallestPhone(s.d.devices)
	if capacity == 0 {
		return u.T("keys.count", len(s.d.keys))
	}
	return u.T("keys.capacity", len(s.d.keys), capacity, model)
}

// smallestPhone returns the function key capacity of the most limited
// phone and its model (0 without phones).
func smallestPhone(devs []selfcare.Device) (int, string) {
	best, name := 0, ""
	for _, d := range devs {
		if m, ok := selfcare.FindModel(d.Model); ok && (best == 0 || m.FunctionKeyCapacity() < best) {
			best, name = m.FunctionKeyCapacity(), m.Name
		}
	}
	return best, name
}

// list shows the keys with their actions.
func (e *keyEditor) list() fyne.CanvasObject {
	keys := e.s.d.keys
	if len(keys) == 0 {
		return muted(e.s.u.T("phones.nokeys"))
	}
	box := container.NewVBox()
	for i := range keys {
		box.Add(e.row(i))
	}
	return box
}

// row is one key: its position, kind and contact, its label (edited in
// place), and buttons to move it or remove it.
func (e *keyEditor) row(i int) fyne.CanvasObject {
	u, k := e.s.u, e.s.d.keys[i]
	c := colorInternal
	if k.Kind == selfcare.KeyShortcut {
		c = colorExternal
	}
	name := e.contactName(k.ContactID)
	text := itoa(i+1) + ". " + u.T("key.kind."+string(k.Kind)) + " · " + name + " (" + numberLabel(k.Number) + ")"
	label := widget.NewEntry()
	label.SetText(k.Label)
	label.SetPlaceHolder(u.T("keys.label.placeholder"))
	label.OnSubmitted = func(text string) { e.relabel(i, text) }
	up := widget.NewButtonWithIcon("", theme.MoveUpIcon(), func() { e.move(i, -1) })
	down := widget.NewButtonWithIcon("", theme.MoveDownIcon(), func() { e.move(i, 1) })
	remove := widget.NewButtonWithIcon("", theme.DeleteIcon(), func() { e.remove(i) })
	if i == 0 {
		up.Disable()
	}
	if i == len(e.s.d.keys)-1 {
		down.Disable()
	}
	return container.NewBorder(nil, nil, chip(c, text), container.NewHBox(up, down, remove), label)
}

func (e *keyEditor) contactName(id string) string {
	for _, c := range e.s.d.contacts {
		if c.ID == id {
			return c.Name
		}
	}
	return id
}

// addForm is the guide's form: kind, the contact's name, the contact.
// Kinds the administrator did not grant are not offered.
func (e *keyEditor) addForm() fyne.CanvasObject {
	u, r := e.s.u, e.s.d.profile.Rights
	var labels []string
	if r.SupervisionKeys {
		e.kinds = append(e.kinds, selfcare.KeySupervision)
	}
	if r.ShortcutKeys {
		e.kinds = append(e.kinds, selfcare.KeyShortcut)
	}
	if len(e.kinds) == 0 {
		return muted(u.T("keys.norights"))
	}
	for _, k := range e.kinds {
		labels = append(labels, u.T("key.kind."+string(k)))
	}
	e.kind = widget.NewSelect(labels, nil)
	e.kind.SetSelectedIndex(0)
	e.search = widget.NewEntry()
	e.search.SetPlaceHolder(u.T("keys.search"))
	e.search.OnChanged = e.find
	e.contact = widget.NewSelect(nil, nil)
	e.contact.PlaceHolder = u.T("keys.contact")
	e.label = widget.NewEntry()
	e.label.SetPlaceHolder(u.T("keys.label.placeholder"))
	add := widget.NewButtonWithIcon(u.T("keys.add"), theme.ContentAddIcon(), e.add)
	form := container.NewGridWithColumns(2, e.kind, e.search, e.contact, e.label)
	return widget.NewCard(u.T("keys.add.title"), u.T("keys.add.help"), container.NewVBox(form, add))
}

// find fills the contact picker with the contacts whose name, company or
// number holds the text typed.
func (e *keyEditor) find(q string) {
	q = fold(strings.TrimSpace(q))
	e.matches, e.contact.Options = nil, nil
	if q == "" {
		e.contact.ClearSelected()
		e.contact.Refresh()
		return
	}
	for _, c := range e.s.d.contacts {
		if len(e.matches) < maxKeyMatches && contactMatches(c, q) {
			e.matches = append(e.matches, c)
			e.contact.Options = append(e.contact.Options, e.s.u.contactOption(c))
		}
	}
	e.contact.ClearSelected()
	if len(e.matches) == 1 {
		e.contact.SetSelectedIndex(0)
	}
	e.contact.Refresh()
}

// contactOption is "Sophie Girard · interne · 4003".
func (u *App) contactOption(c selfcare.Contact) string {
	return c.Name + " · " + u.T("keys.contact."+string(c.Kind)) + " · " + numberLabel(c.FirstNumber())
}

func contactMatches(c selfcare.Contact, q string) bool {
	if strings.Contains(fold(c.Name), q) || strings.Contains(fold(c.Company), q) {
		return true
	}
	for _, n := range c.Numbers {
		if strings.Contains(n.Number, q) {
			return true
		}
	}
	return c.Extension != "" && strings.Contains(c.Extension, q)
}

// accents folds the accented letters of French names.
var accents = strings.NewReplacer("à", "a", "â", "a", "ä", "a", "ç", "c", "é", "e", "è", "e", "ê", "e", "ë", "e",
	"î", "i", "ï", "i", "ô", "o", "ö", "o", "ù", "u", "û", "u", "ü", "u", "ÿ", "y", "œ", "oe", "æ", "ae")

// fold lower-cases s and drops its accents, for searching.
func fold(s string) string { return accents.Replace(strings.ToLower(s)) }

// add appends the key chosen in the form.
func (e *keyEditor) add() {
	i := e.contact.SelectedIndex()
	if i < 0 || i >= len(e.matches) {
		e.s.u.showError(e.errL, selfcare.Errorf(selfcare.CodeRequired, "contact"))
		return
	}
	k := selfcare.FunctionKey{Kind: e.kinds[max(e.kind.SelectedIndex(), 0)], ContactID: e.matches[i].ID, Label: strings.TrimSpace(e.label.Text)}
	e.save(append(append([]selfcare.FunctionKey(nil), e.s.d.keys...), k))
}

func (e *keyEditor) move(i, by int) {
	keys := append([]selfcare.FunctionKey(nil), e.s.d.keys...)
	j := i + by
	if j < 0 || j >= len(keys) {
		return
	}
	keys[i], keys[j] = keys[j], keys[i]
	e.save(keys)
}

func (e *keyEditor) remove(i int) {
	keys := append([]selfcare.FunctionKey(nil), e.s.d.keys[:i]...)
	e.save(append(keys, e.s.d.keys[i+1:]...))
}

func (e *keyEditor) relabel(i int, label string) {
	keys := append([]selfcare.FunctionKey(nil), e.s.d.keys...)
	keys[i].Label = strings.TrimSpace(label)
	e.save(keys)
}

// save numbers the keys in order and saves the whole set; the store checks
// it (contacts, rights, capacity) and keeps the old set when it refuses.
// The phones are then asked to fetch it.
func (e *keyEditor) save(keys []selfcare.FunctionKey) {
	u := e.s.u
	for i := range keys {
		keys[i].Position = i + 1
	}
	if err := u.deps.Services.SetKeys(u.ctx, keys); err != nil {
		u.showError(e.errL, err)
		return
	}
	e.s.reload()
	e.s.pushAll()
}
