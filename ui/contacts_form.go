package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ligne-app/ligne/selfcare"
)

// numberTypes are the types a number can have, in the form's order.
var numberTypes = []selfcare.NumberType{selfcare.NumberWork, selfcare.NumberMobile, selfcare.NumberHome, selfcare.NumberOther}

// contactForm is the window that adds or edits an external contact:
// name, company, typed numbers, email and notes.
type contactForm struct {
	u       *App
	c       selfcare.Contact
	name    *widget.Entry
	company *widget.Entry
	email   *widget.Entry
	notes   *widget.Entry
	rows    []*numberRow
	box     *fyne.Container
	err     *widget.Label
	dlg     dialog.Dialog
	onSaved func(selfcare.Contact)
}

// numberRow is one typed number of the form.
type numberRow struct {
	kind   *widget.Select
	number *widget.Entry
	types  []string
}

// AddContactFor opens the contact form filled with a number and a name
// (either may be empty): "add to contacts" from the call log or a
// voicemail message. The contact is saved as an external contact.
func (u *App) AddContactFor(number, name string) {
	c := selfcare.Contact{Kind: selfcare.ContactExternal, Name: name}
	if number != "" {
		if n, _, err := selfcare.NormalizeNumber("", number); err == nil {
			number = n
		}
		c.Numbers = []selfcare.TypedNumber{{Type: guessType(number), Number: number}}
	}
	u.showContactForm(c, func(selfcare.Contact) {
		if u.shell != nil && u.shell.current == SectionContacts {
			u.Open(SectionContacts)
		}
	})
}

// guessType says mobile for French mobile numbers, work otherwise.
func guessType(number string) selfcare.NumberType {
	n, _, err := selfcare.NormalizeNumber("", number)
	if err == nil && (strings.HasPrefix(n, "+336") || strings.HasPrefix(n, "+337")) {
		return selfcare.NumberMobile
	}
	return selfcare.NumberWork
}

// showContactForm opens the form for c (a new contact when c.ID is empty);
// onSaved hears of the contact saved.
func (u *App) showContactForm(c selfcare.Contact, onSaved func(selfcare.Contact)) {
	f := &contactForm{u: u, c: c, onSaved: onSaved, err: errorLabel(), box: container.NewVBox()}
	f.name = f.entry(u.T("contacts.form.name"), c.Name)
	f.company = f.entry(u.T("contacts.form.company"), c.Company)
	f.email = f.entry(u.T("contacts.form.email"), c.Email)
	f.notes = widget.NewMultiLineEntry()
	f.notes.SetPlaceHolder(u.T("contacts.form.notes"))
	f.notes.SetText(c.Notes)
	f.notes.SetMinRowsVisible(3)
	for _, n := range c.Numbers {
		f.addRow(n)
	}
	if len(c.Numbers) == 0 {
		f.addRow(selfcare.TypedNumber{Type: selfcare.NumberWork})
	}
	title := u.T("contacts.form.title.new")
	if c.ID != "" {
		title = u.T("contacts.form.title.edit")
	}
	f.dlg = dialog.NewCustomWithoutButtons(title, f.object(), u.win)
	f.dlg.Resize(fyne.NewSize(520, 560))
	f.dlg.Show()
}

func (f *contactForm) entry(placeholder, text string) *widget.Entry {
	e := widget.NewEntry()
	e.SetPlaceHolder(placeholder)
	e.SetText(text)
	return e
}

// object lays the form out, with the guide's "Enregistrer le contact".
func (f *contactForm) object() fyne.CanvasObject {
	u := f.u
	more := widget.NewButtonWithIcon(u.T("contacts.form.number.add"), theme.ContentAddIcon(), func() {
		f.addRow(selfcare.TypedNumber{Type: selfcare.NumberMobile})
	})
	save := widget.NewButtonWithIcon(u.T("contacts.form.save"), theme.DocumentSaveIcon(), f.save)
	save.Importance = widget.HighImportance
	cancel := widget.NewButton(u.T("contacts.cancel"), func() { f.dlg.Hide() })
	return container.NewVBox(f.name, f.company, bold(u.T("contacts.form.numbers")), f.box, more,
		f.email, f.notes, f.err, container.NewGridWithColumns(2, cancel, save))
}

// addRow adds a number line with its type.
func (f *contactForm) addRow(n selfcare.TypedNumber) {
	r := &numberRow{number: widget.NewEntry()}
	for _, t := range numberTypes {
		r.types = append(r.types, f.u.T("contacts.type."+string(t)))
	}
	r.kind = widget.NewSelect(r.types, nil)
	r.kind.SetSelectedIndex(max(0, indexType(n.Type)))
	r.number.SetPlaceHolder(f.u.T("contacts.form.number"))
	r.number.SetText(numberLabel(n.Number))
	f.rows = append(f.rows, r)
	f.box.Add(container.NewBorder(nil, nil, sized(r.kind, 120), nil, r.number))
	f.box.Refresh()
}

func indexType(t selfcare.NumberType) int {
	for i, x := range numberTypes {
		if x == t {
			return i
		}
	}
	return -1
}

// contact is what the form holds; empty number lines are ignored.
func (f *contactForm) contact() selfcare.Contact {
	c := f.c
	c.Kind = selfcare.ContactExternal
	c.Name, c.Company, c.Email, c.Notes = f.name.Text, strings.TrimSpace(f.company.Text), f.email.Text, strings.TrimSpace(f.notes.Text)
	c.Numbers = nil
	for _, r := range f.rows {
		if strings.TrimSpace(r.number.Text) == "" {
			continue
		}
		c.Numbers = append(c.Numbers, selfcare.TypedNumber{Type: numberTypes[max(0, r.kind.SelectedIndex())], Number: r.number.Text})
	}
	return c
}

// save checks and saves the contact; the form stays open on an error,
// which is shown under the fields, and nothing is saved.
func (f *contactForm) save() {
	c := f.contact()
	svc := f.u.deps.Services
	load(f.u, func() (selfcare.Contact, error) {
		if c.ID == "" {
			return svc.AddContact(f.u.ctx, c)
		}
		return svc.UpdateContact(f.u.ctx, c)
	}, func(saved selfcare.Contact) {
		f.dlg.Hide()
		if f.onSaved != nil {
			f.onSaved(saved)
		}
	}, func(err error) { f.u.showError(f.err, err) })
}
