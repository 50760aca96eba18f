package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ligne-app/ligne/selfcare"
	"github.com/ligne-app/ligne/softphone"
)

// contactCard is the card of the selected contact.
type contactCard struct {
	v     *contactsView
	c     selfcare.Contact
	state *widget.Label
	err   *widget.Label
}

// show puts c on the card: its numbers with a call button each, email,
// notes, the live supervision state of a supervised colleague, the key
// it may get, and edit and delete for an external contact.
func (v *contactsView) show(c selfcare.Contact) {
	v.selected = c.ID
	v.card = &contactCard{v: v, c: c, state: widget.NewLabel(""), err: errorLabel()}
	v.refreshState()
	v.detail.Objects = []fyne.CanvasObject{container.NewPadded(v.card.object())}
	v.detail.Refresh()
}

// object lays the card out.
func (k *contactCard) object() fyne.CanvasObject {
	u, c := k.v.u, k.c
	name := bold(c.Name)
	name.Importance = widget.DangerImportance
	kind := u.T("contacts.internal")
	if c.Kind == selfcare.ContactExternal {
		name.Importance, kind = widget.SuccessImportance, u.T("contacts.external")
	}
	objs := []fyne.CanvasObject{name, chip(kindColor(c), kind)}
	if s := subtitle(c); s != "" {
		objs = append(objs, muted(s))
	}
	objs = append(objs, k.numbers()...)
	if c.Email != "" {
		objs = append(objs, container.NewBorder(nil, nil, widget.NewIcon(theme.MailComposeIcon()), nil, widget.NewLabel(c.Email)))
	}
	if c.Notes != "" {
		objs = append(objs, wrapped(c.Notes))
	}
	objs = append(objs, k.state, k.actions(), k.err)
	return container.NewVBox(objs...)
}

// numbers lists the extension and numbers, each with a call button.
func (k *contactCard) numbers() []fyne.CanvasObject {
	var rows []fyne.CanvasObject
	if k.c.Extension != "" {
		rows = append(rows, k.numberRow(k.v.u.T("contacts.extension"), k.c.Extension))
	}
	for _, n := range k.c.Numbers {
		rows = append(rows, k.numberRow(k.v.u.T("contacts.type."+string(n.Type)), n.Number))
	}
	return rows
}

// numberRow is a number with its type and a button that calls it.
func (k *contactCard) numberRow(label, number string) fyne.CanvasObject {
	call := widget.NewButtonWithIcon(k.v.u.T("contacts.call", numberLabel(number)), callIcon(), func() { k.v.u.CallNumber(number) })
	call.Alignment = widget.ButtonAlignLeading
	return container.NewBorder(nil, nil, sized(note(label), 70), nil, call)
}

// actions are the key a contact may get, and edit and delete for an
// external contact.
func (k *contactCard) actions() fyne.CanvasObject {
	box := container.NewVBox()
	if b := k.keyButton(); b != nil {
		box.Add(b)
	}
	if k.c.Editable() {
		edit := widget.NewButtonWithIcon(k.v.u.T("contacts.edit"), theme.DocumentCreateIcon(), func() {
			k.v.u.showContactForm(k.c, k.v.saved)
		})
		del := widget.NewButtonWithIcon(k.v.u.T("contacts.delete"), theme.DeleteIcon(), k.confirmDelete)
		del.Importance = widget.DangerImportance
		box.Add(container.NewGridWithColumns(2, edit, del))
	}
	return box
}

// keyButton offers the key of the guide: supervision for a colleague,
// shortcut for an external contact, when the rights allow it; a contact
// that has the key says which one.
func (k *contactCard) keyButton() fyne.CanvasObject {
	u, info := k.v.u, k.v.info
	kind, text, allowed := selfcare.KeyShortcut, u.T("contacts.key.shortcut"), info.rights.ShortcutKeys
	if k.c.Kind == selfcare.ContactInternal {
		kind, text = selfcare.KeySupervision, u.T("contacts.key.supervision")
		allowed = info.rights.SupervisionKeys && k.c.Extension != "" && !info.notSupervisable[k.c.ID]
	}
	for _, key := range info.keys {
		if key.ContactID == k.c.ID && key.Kind == kind {
			return note(u.T("contacts.key.has."+string(kind), key.Position))
		}
	}
	if !allowed {
		return nil
	}
	return widget.NewButtonWithIcon(text, theme.ContentAddIcon(), func() { k.addKey(kind) })
}

// contactKeyAdder is the store's AddContactKey: a key for a contact at the
// first free position, within the rights.
type contactKeyAdder interface {
	AddContactKey(ctx context.Context, id string, kind selfcare.KeyKind) (selfcare.FunctionKey, error)
}

// addKey gives the contact a key at the first free position, and has the
// engine supervise a colleague at once.
func (k *contactCard) addKey(kind selfcare.KeyKind) {
	adder, ok := k.v.u.deps.Services.(contactKeyAdder)
	if !ok {
		return
	}
	id := k.c.ID
	load(k.v.u, func() (selfcare.FunctionKey, error) { return adder.AddContactKey(k.v.u.ctx, id, kind) },
		func(key selfcare.FunctionKey) {
			k.v.u.superviseNow(key)
			k.v.u.reloadKeysPanel()
			k.v.reload()
		}, func(err error) { k.v.u.showError(k.err, err) })
}

// confirmDelete asks before deleting an external contact.
func (k *contactCard) confirmDelete() {
	u, id := k.v.u, k.c.ID
	d := dialog.NewConfirm(u.T("contacts.delete"), u.T("contacts.delete.confirm", k.c.Name), func(ok bool) {
		if !ok {
			return
		}
		load(u, func() (struct{}, error) { return struct{}{}, u.deps.Services.DeleteContact(u.ctx, id) },
			func(struct{}) { k.v.showEmptyCard(); k.v.reload() },
			func(err error) { u.showError(k.err, err) })
	}, u.win)
	d.SetConfirmText(u.T("contacts.delete.yes"))
	d.SetDismissText(u.T("contacts.cancel"))
	d.Show()
}

// supervisedExtension returns the extension a supervision key watches for
// contact id, "" when it has none.
func (info contactsInfo) supervisedExtension(id string) string {
	for _, k := range info.keys {
		if k.ContactID == id && k.Kind == selfcare.KeySupervision {
			return k.Number
		}
	}
	return ""
}

// stateText is a supervised colleague's live line state, "" for others.
func (v *contactsView) stateText(c selfcare.Contact) string {
	ext := v.info.supervisedExtension(c.ID)
	if ext == "" {
		return ""
	}
	st := softphone.BLFEvent{State: softphone.ColleagueUnknown}
	if v.u.line != nil {
		if e, ok := v.u.line.blf[ext]; ok {
			st = e
		}
	}
	switch st.State {
	case softphone.ColleagueIdle:
		return v.u.T("keys.idle")
	case softphone.ColleagueRinging:
		return v.u.T("keys.ringing", v.u.partyName(st.Caller))
	case softphone.ColleagueInCall:
		return v.u.T("keys.incall")
	}
	return v.u.T("keys.unknown")
}

// refreshState updates the card's supervision line.
func (v *contactsView) refreshState() {
	if v.card == nil || v.selected != v.card.c.ID {
		return
	}
	state := v.card.state
	text := v.stateText(v.card.c)
	if text == "" {
		state.Hide()
		return
	}
	state.SetText(v.u.T("contacts.supervision.state", text))
	if !state.Visible() {
		state.Show()
		v.detail.Refresh()
	}
}

// superviseNow has the running line watch a colleague who just got a
// supervision key (the engine subscribes to the others when it starts).
func (u *App) superviseNow(k selfcare.FunctionKey) {
	if k.Kind != selfcare.KeySupervision || k.Number == "" || u.line == nil || u.line.eng == nil {
		return
	}
	if err := u.line.eng.Phone.Supervise(k.Number); err != nil {
		u.deps.Logger.Warn("supervise", "colleague", k.Number, "err", err)
	}
}

// reloadKeysPanel shows a key just added in the softphone panel's keys.
func (u *App) reloadKeysPanel() {
	if u.shell == nil || u.shell.panel == nil || u.shell.panel.keys == nil {
		return
	}
	k := u.shell.panel.keys
	load(u, k.fetch, func(d keysData) { k.keys, k.names = d.keys, d.names; k.render() }, nil)
}
