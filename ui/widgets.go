package ui

import (
	"errors"
	"fmt"
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ligne-app/ligne/assets"
	"github.com/ligne-app/ligne/selfcare"
)

// appIcon is Ligne's icon as a Fyne resource.
func appIcon() fyne.Resource { return fyne.NewStaticResource("ligne.png", assets.Icon()) }

// AppIcon returns Ligne's icon, for the root program to set on the app.
func AppIcon() fyne.Resource { return appIcon() }

// phonePicture returns the picture of a model, or a generic icon.
func phonePicture(m selfcare.Model) fyne.CanvasObject {
	data, err := assets.PhonePicture(m.Picture)
	if err != nil {
		return widget.NewIcon(theme.ComputerIcon())
	}
	img := canvas.NewImageFromResource(fyne.NewStaticResource(m.Picture, data))
	img.FillMode = canvas.ImageFillContain
	img.SetMinSize(fyne.NewSize(128, 96))
	return img
}

// heading is a bold sub-heading.
func heading(text string) *widget.Label {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.SizeName = theme.SizeNameSubHeadingText
	return l
}

// muted is secondary text.
func muted(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Importance = widget.LowImportance
	l.Wrapping = fyne.TextWrapWord
	return l
}

// note is short secondary text that never wraps (counts, states).
func note(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Importance = widget.LowImportance
	return l
}

// bold is a bold label.
func bold(text string) *widget.Label {
	return widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}

// wrapped is a label that wraps words.
func wrapped(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// errorLabel shows an error inline, in red.
func errorLabel() *widget.Label {
	l := widget.NewLabel("")
	l.Importance = widget.DangerImportance
	l.Wrapping = fyne.TextWrapWord
	l.Hide()
	return l
}

// showError puts err's user text in l (hidden when err is nil).
func (u *App) showError(l *widget.Label, err error) {
	if err == nil {
		l.SetText("")
		l.Hide()
		return
	}
	l.SetText(u.errText(err))
	l.Show()
}

// errText is the user text of err, prefixed with the field it is about when
// that field has a name in the catalog ("Mot de passe : ...").
func (u *App) errText(err error) string {
	var e *selfcare.Error
	if errors.As(err, &e) && e.Field != "" && u.tr.Has("field."+e.Field) {
		return u.T("field."+e.Field) + u.T("common.colon") + u.tr.Err(err)
	}
	return u.tr.Err(err)
}

// showDialogError shows err in a dialog over the window.
func (u *App) showDialogError(err error) {
	d := dialog.NewInformation(u.T("common.error"), u.errText(err), u.win)
	d.SetDismissText(u.T("common.ok"))
	d.Show()
}

// chip is a colored dot followed by text (contact kinds, states).
func chip(c color.Color, text string) fyne.CanvasObject {
	dot := canvas.NewCircle(c)
	holder := container.NewGridWrap(fyne.NewSize(10, 10), dot)
	return container.NewBorder(nil, nil, container.NewCenter(holder), nil, widget.NewLabel(text))
}

// keyValue is a two-column form-like grid of label/value pairs.
func keyValue(pairs ...string) fyne.CanvasObject {
	var objs []fyne.CanvasObject
	for i := 0; i+1 < len(pairs); i += 2 {
		key := widget.NewLabel(pairs[i])
		key.Importance = widget.LowImportance
		objs = append(objs, key, widget.NewLabel(pairs[i+1]))
	}
	return container.New(layout.NewFormLayout(), objs...)
}

// card is a titled card; tapping it runs onTap when set.
func card(title, subtitle string, content fyne.CanvasObject, onTap func()) fyne.CanvasObject {
	if onTap == nil {
		return widget.NewCard(title, subtitle, content)
	}
	c := &tapCard{onTap: onTap}
	c.Title, c.Subtitle, c.Content = title, subtitle, content
	c.ExtendBaseWidget(c)
	return c
}

// tapCard is a card that opens something when tapped.
type tapCard struct {
	widget.Card
	onTap func()
}

// Tapped runs the card's action.
func (c *tapCard) Tapped(*fyne.PointEvent) { c.onTap() }

// Cursor shows a pointer over the card.
func (c *tapCard) Cursor() desktop.Cursor { return desktop.PointerCursor }

// sized gives obj a minimum width.
func sized(obj fyne.CanvasObject, width float32) fyne.CanvasObject {
	return container.NewGridWrap(fyne.NewSize(width, obj.MinSize().Height), obj)
}

// scroll wraps content in a vertical scroll with padding.
func scroll(objs ...fyne.CanvasObject) fyne.CanvasObject {
	return container.NewVScroll(container.NewPadded(container.NewVBox(objs...)))
}

// emptyState is the text shown when a list has nothing.
func emptyState(text string) fyne.CanvasObject {
	l := muted(text)
	l.Alignment = fyne.TextAlignCenter
	return container.NewCenter(l)
}

// formatDuration writes 1 h 02 min, 3 min 05 s or 42 s.
func formatDuration(d time.Duration) string {
	d = d.Round(time.Second)
	h, m, s := int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60
	switch {
	case h > 0:
		return fmt.Sprintf("%d h %02d min", h, m)
	case m > 0:
		return fmt.Sprintf("%d min %02d s", m, s)
	}
	return fmt.Sprintf("%d s", s)
}

// formatDate writes a date in the user's language.
func (u *App) formatDate(t time.Time) string {
	if u.Lang() == selfcare.LangEnglish {
		return t.Format("Jan 2, 2006")
	}
	return fmt.Sprintf("%02d/%02d/%d", t.Day(), int(t.Month()), t.Year())
}

// formatDateTime writes a date and time in the user's language.
func (u *App) formatDateTime(t time.Time) string {
	if u.Lang() == selfcare.LangEnglish {
		return t.Format("Jan 2, 2006 3:04 PM")
	}
	return u.formatDate(t) + " " + t.Format("15:04")
}

// monthName returns the month's name in the user's language.
func (u *App) monthName(t time.Time) string {
	return u.T(fmt.Sprintf("month.%d", int(t.Month()))) + " " + fmt.Sprint(t.Year())
}

// numberLabel formats a canonical number for display.
func numberLabel(n string) string { return selfcare.FormatNumber(n) }

// normalizedOrEmpty is the canonical form of a number, "" when it is none.
func normalizedOrEmpty(s string) string {
	n, _, err := selfcare.NormalizeNumber("", s)
	if err != nil {
		return ""
	}
	return n
}
