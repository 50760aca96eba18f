package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// banner announces ringing calls above the section on screen, with the
// caller's name and number, Answer and Reject.
type banner struct {
	u   *App
	l   *line
	box *fyne.Container
}

func newBanner(u *App, l *line) *banner {
	b := &banner{u: u, l: l, box: container.NewVBox()}
	l.watch(b.refresh)
	return b
}

// refresh shows one strip per ringing call, or nothing.
func (b *banner) refresh() {
	b.box.Objects = nil
	for _, c := range b.l.ringing() {
		call := c
		bg := canvas.NewRectangle(colorBrand)
		text := widget.NewLabelWithStyle(b.u.T("banner.incoming", b.u.partyName(call.Remote())), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		answer := widget.NewButtonWithIcon(b.u.T("call.answer"), callIcon(), func() { b.l.answer(call) })
		answer.Importance = widget.SuccessImportance
		reject := widget.NewButton(b.u.T("call.reject"), func() {
			b.l.run(func(ctx context.Context) error { return call.Reject(ctx, 486) })
		})
		reject.Importance = widget.DangerImportance
		voicemail := widget.NewButtonWithIcon(b.u.T("call.voicemail"), theme.MediaRecordIcon(), func() { b.l.toVoicemail(call) })
		row := container.NewBorder(nil, nil, nil, container.NewHBox(answer, voicemail, reject), text)
		b.box.Add(container.NewStack(bg, container.NewPadded(row)))
	}
	b.box.Refresh()
}
