package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"

	"github.com/ligne-app/ligne/selfcare"
)

// HandleLink dials what a tel:, sip: or callto: link asks for, or brings
// the window forward when link is empty (a second launch without a link).
func (u *App) HandleLink(link string) {
	u.win.Show()
	u.win.RequestFocus()
	if link == "" {
		return
	}
	n, err := selfcare.NumberFromURI(link)
	if err != nil {
		u.showDialogError(err)
		return
	}
	u.CallNumber(n)
}

// setupTray puts Ligne in the system tray with its status and Quit.
func (u *App) setupTray() {
	desk, ok := u.fyneApp.(desktop.App)
	if !ok || u.line == nil {
		return
	}
	status := fyne.NewMenuItem("", func() { u.win.Show() })
	status.Disabled = true
	show := fyne.NewMenuItem(u.T("tray.show"), func() { u.win.Show(); u.win.RequestFocus() })
	menu := fyne.NewMenu("Ligne", status, show)
	refresh := func() {
		status.Label, _ = u.statusText(u.line)
		menu.Refresh()
	}
	u.line.watch(refresh)
	refresh()
	desk.SetSystemTrayMenu(menu)
	desk.SetSystemTrayIcon(appIcon())
}
