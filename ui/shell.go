package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Section identifiers, in the guide's order.
const (
	SectionDashboard   = "dashboard"
	SectionPhones      = "phones"
	SectionDocs        = "docs"
	SectionForwarding  = "forwarding"
	SectionCallLog     = "calllog"
	SectionVoicemail   = "voicemail"
	SectionConsumption = "consumption"
	SectionContacts    = "contacts"
	SectionDialog      = "dialog"
)

// section is one entry of the navigation column.
type section struct {
	id    string
	title string // translation key
	icon  fyne.Resource
	build func(u *App) fyne.CanvasObject
}

// sections lists the nine sections of the user guide.
func sections() []section {
	return []section{
		{SectionDashboard, "nav.dashboard", theme.HomeIcon(), buildDashboard},
		{SectionPhones, "nav.phones", theme.ComputerIcon(), buildPhones},
		{SectionDocs, "nav.docs", theme.DocumentIcon(), buildDocs},
		{SectionForwarding, "nav.forwarding", theme.MailForwardIcon(), buildForwarding},
		{SectionCallLog, "nav.calllog", theme.HistoryIcon(), buildCallLog},
		{SectionVoicemail, "nav.voicemail", theme.MediaRecordIcon(), buildVoicemail},
		{SectionConsumption, "nav.consumption", theme.StorageIcon(), buildConsumption},
		{SectionContacts, "nav.contacts", theme.AccountIcon(), buildContacts},
		{SectionDialog, "nav.dialog", theme.InfoIcon(), buildDialog},
	}
}

// SectionIDs returns the identifiers of the nine sections, in order.
func SectionIDs() []string {
	var out []string
	for _, s := range sections() {
		out = append(out, s.id)
	}
	return out
}

// NavWidth is the width of the navigation column, in Fyne units.
const NavWidth = 210

// shell is the main layout: navigation, content, softphone panel.
type shell struct {
	u       *App
	nav     *widget.List
	content *fyne.Container
	title   *widget.Label
	current string
	list    []section
	panel   *softphonePanel
	line    *line
	badges  map[string]int
}

// ShowMain builds the main window content and opens the dashboard.
func (u *App) ShowMain() {
	s := &shell{u: u, list: sections(), badges: map[string]int{}}
	u.shell = s
	if u.line == nil {
		u.line = u.newLine(u.deps.Engine)
	}
	u.line.watchers = nil // the views of a previous layout (language switch) are gone
	s.line = u.line
	s.panel = newSoftphonePanel(u, s.line)
	banner := newBanner(u, s.line)
	bar := newStatusBar(u, s.line)
	s.content = container.NewStack()
	s.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.title.SizeName = theme.SizeNameHeadingText
	s.nav = s.buildNav()
	header := container.NewBorder(nil, widget.NewSeparator(), nil, s.languageSelect(), s.title)
	center := container.NewBorder(container.NewVBox(banner.box, header), nil, nil, nil, s.content)
	navWidth := container.NewGridWrap(fyne.NewSize(NavWidth, 1)) // keeps the column wide enough for its labels
	left := container.NewBorder(s.brand(), navWidth, nil, nil, s.nav)
	right := container.NewHBox(widget.NewSeparator(), s.panel.object())
	main := container.NewBorder(nil, bar.object(), container.NewHBox(left, widget.NewSeparator()), right, center)
	u.win.SetContent(main)
	s.addShortcuts()
	u.setupTray()
	s.open(SectionDashboard)
}

// Open shows the section with id (see the Section constants).
func (u *App) Open(id string) {
	if u.shell != nil {
		u.shell.open(id)
	}
}

// CurrentSection returns the id of the section on screen.
func (u *App) CurrentSection() string {
	if u.shell == nil {
		return ""
	}
	return u.shell.current
}

// open builds and shows the section id, selecting it in the navigation.
func (s *shell) open(id string) {
	for i, sec := range s.list {
		if sec.id != id {
			continue
		}
		s.current = id
		s.line.sectionWatchers = nil
		s.title.SetText(s.u.T(sec.title))
		s.content.Objects = []fyne.CanvasObject{sec.build(s.u)}
		s.content.Refresh()
		s.nav.Select(i)
		return
	}
}

// buildNav is the navigation column.
func (s *shell) buildNav() *widget.List {
	l := widget.NewList(
		func() int { return len(s.list) },
		func() fyne.CanvasObject {
			return container.NewHBox(widget.NewIcon(theme.HomeIcon()), widget.NewLabel("Journal d'appels"))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			row := o.(*fyne.Container)
			row.Objects[0].(*widget.Icon).SetResource(s.list[i].icon)
			text := s.u.T(s.list[i].title)
			if n := s.badges[s.list[i].id]; n > 0 {
				text += " (" + itoa(n) + ")"
			}
			row.Objects[1].(*widget.Label).SetText(text)
		},
	)
	l.OnSelected = func(i widget.ListItemID) {
		if s.list[i].id != s.current {
			s.open(s.list[i].id)
		}
	}
	return l
}

// brand is the logo and product name above the navigation.
func (s *shell) brand() fyne.CanvasObject {
	logo := widget.NewIcon(appIcon())
	name := widget.NewLabelWithStyle("Ligne", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	name.SizeName = theme.SizeNameSubHeadingText
	return container.NewVBox(container.NewHBox(logo, name), widget.NewSeparator())
}

// languageSelect switches between French and English, next to the
// settings button.
func (s *shell) languageSelect() fyne.CanvasObject {
	settings := widget.NewButtonWithIcon("", theme.SettingsIcon(), s.u.showSettings)
	settings.Importance = widget.LowImportance
	return container.NewHBox(languageChooser(s.u), settings)
}

// setBadge shows a count next to a section in the navigation.
func (s *shell) setBadge(id string, n int) {
	if s == nil || s.badges[id] == n {
		return
	}
	s.badges[id] = n
	s.nav.Refresh()
}
