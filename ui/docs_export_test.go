package ui

import "fyne.io/fyne/v2"

// DeviceGuideButtonForTest returns the "Télécharger le guide utilisateur
// (PDF)" block of a desk phone model, as Mes téléphones shows it.
func (u *App) DeviceGuideButtonForTest(model string) fyne.CanvasObject {
	return u.deviceGuideButton(model)
}
