package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ligne-app/ligne/internal/voicemail"
	"github.com/ligne-app/ligne/selfcare"
)

// messageRows is the visual voicemail: one card a message, unread first
// highlighted.
func (v *mailboxView) messageRows() []fyne.CanvasObject {
	if len(v.data.messages) == 0 {
		return []fyne.CanvasObject{muted(v.u.T("voicemail.nomessages"))}
	}
	rows := []fyne.CanvasObject{muted(v.u.Tn("vm.count", v.data.newCount, len(v.data.messages)))}
	for _, m := range v.data.messages {
		rows = append(rows, v.messageCard(m))
	}
	return rows
}

// callerText is "Name (number)", the name coming from the contacts, else
// from the call.
func (v *mailboxView) callerText(m selfcare.VoicemailMessage) (string, string) {
	who := numberLabel(m.Caller)
	if m.Caller == "" {
		who = v.u.T("vm.hidden")
	}
	name := v.data.names[m.Caller]
	if name == "" {
		name = m.CallerName
	}
	if name != "" {
		return name + " (" + who + ")", name
	}
	return who, ""
}

// messageCard shows one message and its actions.
func (v *mailboxView) messageCard(m selfcare.VoicemailMessage) fyne.CanvasObject {
	u := v.u
	who, name := v.callerText(m)
	title := widget.NewLabelWithStyle(who, fyne.TextAlignLeading, fyne.TextStyle{Bold: !m.Read})
	meta := muted(u.formatDateTime(m.At) + " · " + formatDuration(m.Duration))
	c, state := colorMuted, u.T("voicemail.read")
	if !m.Read {
		c, state = colorBrand, u.T("voicemail.unread")
	}
	body := container.NewVBox(container.NewBorder(nil, nil, nil, chip(c, state), title), meta,
		v.transcription(m), v.messageActions(m, name))
	if !m.Read { // highlighted: a bar in the brand colour along the card
		bar := canvas.NewRectangle(colorBrand)
		bar.SetMinSize(fyne.NewSize(4, 0))
		body = container.NewBorder(nil, nil, bar, nil, body)
	}
	return widget.NewCard("", "", body)
}

// transcription shows the text, or the state of the transcription.
func (v *mailboxView) transcription(m selfcare.VoicemailMessage) fyne.CanvasObject {
	if m.TranscriptionState == selfcare.TranscriptionDone {
		return wrapped("« " + m.Transcription + " »")
	}
	return muted(v.u.T("transcription." + string(m.TranscriptionState)))
}

func (v *mailboxView) messageActions(m selfcare.VoicemailMessage, name string) fyne.CanvasObject {
	u := v.u
	readText := u.T("vm.markread")
	if m.Read {
		readText = u.T("vm.markunread")
	}
	play := widget.NewButtonWithIcon(u.T("vm.listen"), theme.MediaPlayIcon(), func() { v.listen(m) })
	read := widget.NewButton(readText, func() {
		v.act(func(mb *voicemail.Mailbox) error { return mb.MarkRead(u.ctx, m.ID, !m.Read) }, nil)
	})
	back := widget.NewButtonWithIcon(u.T("vm.callback"), theme.ContentRedoIcon(), func() { u.CallNumber(m.Caller) })
	add := widget.NewButtonWithIcon(u.T("vm.addcontact"), theme.ContentAddIcon(), func() { u.AddContactFor(m.Caller, name) })
	del := widget.NewButtonWithIcon(u.T("vm.delete"), theme.DeleteIcon(), func() { v.delete(m) })
	if m.Caller == "" {
		back.Disable()
		add.Disable()
	}
	return container.NewVBox(container.NewHBox(play, read, del), container.NewHBox(back, add))
}

// listen plays a message on the chosen output device and marks it read.
func (v *mailboxView) listen(m selfcare.VoicemailMessage) {
	who, _ := v.callerText(m)
	if v.mb == nil {
		return
	}
	if err := v.player.play(who+" · "+v.u.formatDateTime(m.At), v.mb.Path(m.Path)); err != nil {
		v.u.showError(v.err, err)
		return
	}
	v.u.showError(v.err, nil)
	if !m.Read {
		v.act(func(mb *voicemail.Mailbox) error { return mb.MarkRead(v.u.ctx, m.ID, true) }, nil)
	}
}

// delete moves a message to the bin and offers to undo it.
func (v *mailboxView) delete(m selfcare.VoicemailMessage) {
	if v.player.key != "" && v.mb != nil && v.player.key == v.mb.Path(m.Path) {
		v.player.stop()
		v.player.box.Hide()
	}
	v.act(func(mb *voicemail.Mailbox) error { return mb.Delete(v.u.ctx, m.ID) }, func() { v.offerUndo(m) })
}

// offerUndo shows "Message supprimé. Annuler" until used or replaced.
func (v *mailboxView) offerUndo(m selfcare.VoicemailMessage) {
	u := v.u
	undo := widget.NewButtonWithIcon(u.T("vm.undo"), theme.ContentUndoIcon(), func() {
		v.undo.Hide()
		v.act(func(mb *voicemail.Mailbox) error { return mb.Restore(u.ctx, m.ID) }, nil)
	})
	v.undo.Objects = []fyne.CanvasObject{muted(u.T("vm.deleted")), undo}
	v.undo.Show()
	v.undo.Refresh()
}
