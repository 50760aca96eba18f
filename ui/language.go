package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/ligne-app/ligne/internal/i18n"
)

// languageNames are shown in their own language, so anyone can find theirs.
var languageNames = map[string]string{"fr": "Français", "en": "English"}

// languageChooser is a drop-down of the languages Ligne speaks.
func languageChooser(u *App) fyne.CanvasObject {
	var names []string
	byName := map[string]string{}
	for _, l := range i18n.Languages() {
		names = append(names, languageNames[l])
		byName[languageNames[l]] = l
	}
	sel := widget.NewSelect(names, nil)
	sel.SetSelected(languageNames[u.Lang()])
	sel.OnChanged = func(name string) {
		lang := byName[name]
		fyne.Do(func() { u.SetLanguage(lang) }) // rebuilding from inside the callback would free the select under its own feet
	}
	return sel
}
