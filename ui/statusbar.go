package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"github.com/ligne-app/ligne/selfcare"
)

// statusBar runs along the bottom of the window: the line's state, Do Not
// Disturb (the same state as "renvoi sur occupation"), the presented
// number switchable on the spot, and the voicemail count.
type statusBar struct {
	u         *App
	l         *line
	dot       *canvas.Circle
	text      *widget.Label
	dnd       *widget.Check
	presented *widget.Select
	options   []selfcare.PresentedOption
	mwi       *widget.Label
}

func newStatusBar(u *App, l *line) *statusBar {
	b := &statusBar{u: u, l: l, dot: canvas.NewCircle(colorMuted), text: note(""), mwi: note("")}
	b.dnd = widget.NewCheck(u.T("status.dnd"), nil)
	b.presented = widget.NewSelect(nil, nil)
	l.watch(b.refresh)
	b.refresh()
	b.load()
	return b
}

func (b *statusBar) object() fyne.CanvasObject {
	dot := container.NewCenter(container.NewGridWrap(fyne.NewSize(10, 10), b.dot))
	return container.NewVBox(widget.NewSeparator(), container.NewHBox(dot, b.text, layout.NewSpacer(), b.mwi,
		widget.NewSeparator(), b.dnd, widget.NewSeparator(), note(b.u.T("status.presented")), sized(b.presented, 240)))
}

// refresh shows the registration and the mailbox count.
func (b *statusBar) refresh() {
	text, c := b.u.statusText(b.l)
	b.text.SetText(text)
	b.dot.FillColor = c
	b.dot.Refresh()
	n := b.l.waiting()
	if n > 0 {
		b.mwi.SetText(b.u.Tn("status.mwi", n))
	} else {
		b.mwi.SetText("")
	}
	b.u.shell.setBadge(SectionVoicemail, n)
}

type barData struct {
	dnd     bool
	current selfcare.PresentedNumber
	options []selfcare.PresentedOption
}

// load reads DND and the presented-number choices.
func (b *statusBar) load() {
	load(b.u, func() (barData, error) {
		var d barData
		var err error
		svc, ctx := b.u.deps.Services, b.u.ctx
		if d.dnd, err = svc.DND(ctx); err != nil {
			return d, err
		}
		if d.current, err = svc.Presented(ctx, selfcare.LineFixed); err != nil {
			return d, err
		}
		lines, err := svc.Lines(ctx)
		if err != nil {
			return d, err
		}
		prof, err := svc.Profile(ctx)
		d.options = selfcare.PresentedOptions(selfcare.LineFixed, lines, prof)
		return d, ignoreNotFound(err)
	}, b.apply, nil)
}

// apply fills the controls and wires their changes to the store.
func (b *statusBar) apply(d barData) {
	b.dnd.SetChecked(d.dnd)
	b.dnd.OnChanged = func(on bool) {
		if err := b.u.deps.Services.SetDND(b.u.ctx, on); err != nil {
			b.u.showDialogError(err)
		}
	}
	b.options = d.options
	labels := make([]string, len(d.options))
	for i, o := range d.options {
		labels[i] = b.u.optionLabel(o)
		if o.Kind == d.current.Kind && o.Number == d.current.Number {
			defer b.presented.SetSelectedIndex(i)
		}
	}
	b.presented.Options = labels
	b.presented.PlaceHolder = b.u.T("presented.none")
	b.presented.Refresh()
	b.presented.OnChanged = func(string) { b.choose(b.presented.SelectedIndex()) }
}

// choose saves a presented number picked in the bar.
func (b *statusBar) choose(i int) {
	if i < 0 || i >= len(b.options) {
		return
	}
	o := b.options[i]
	if err := b.u.deps.Services.SetPresented(b.u.ctx, selfcare.PresentedNumber{Line: selfcare.LineFixed, Kind: o.Kind, Number: o.Number}); err != nil {
		b.u.showDialogError(err)
		return
	}
	b.u.shell.panel.presented.SetText(b.u.T("softphone.presented", b.u.presentedText(selfcare.PresentedNumber{Kind: o.Kind, Number: o.Number})))
}
