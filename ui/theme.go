package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// Ligne's colors. Internal contacts are red and external ones green, as in
// the user guide.
var (
	colorBrand    = color.NRGBA{R: 0x12, G: 0x8C, B: 0x93, A: 0xff}
	colorInternal = color.NRGBA{R: 0xD6, G: 0x3B, B: 0x3B, A: 0xff}
	colorExternal = color.NRGBA{R: 0x2E, G: 0x9E, B: 0x5B, A: 0xff}
	colorWarning  = color.NRGBA{R: 0xE0, G: 0x8A, B: 0x12, A: 0xff}
	colorMuted    = color.NRGBA{R: 0x7A, G: 0x85, B: 0x91, A: 0xff}
)

// ligneTheme is the default Fyne theme with Ligne's brand color.
type ligneTheme struct{ fyne.Theme }

func newTheme() fyne.Theme { return ligneTheme{theme.DefaultTheme()} }

// Color overrides the primary and focus colors.
func (t ligneTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	switch n {
	case theme.ColorNamePrimary, theme.ColorNameHyperlink:
		return colorBrand
	case theme.ColorNameFocus:
		return color.NRGBA{R: 0x12, G: 0x8C, B: 0x93, A: 0x66}
	case theme.ColorNameSelection:
		return color.NRGBA{R: 0x12, G: 0x8C, B: 0x93, A: 0x40}
	}
	return t.Theme.Color(n, v)
}
