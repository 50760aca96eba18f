package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ligne-app/ligne/selfcare"
)

// ShowFirstRun shows the welcome screen: discover Ligne on the demo
// workspace, or enter one's SIP account.
func (u *App) ShowFirstRun() {
	u.shell = nil
	logo := widget.NewIcon(appIcon())
	title := heading(u.T("firstrun.title"))
	title.Alignment = fyne.TextAlignCenter
	intro := wrapped(u.T("firstrun.intro"))
	intro.Alignment = fyne.TextAlignCenter
	demo := widget.NewButtonWithIcon(u.T("firstrun.demo"), theme.MediaPlayIcon(), u.startDemo)
	demo.Importance = widget.HighImportance
	account := widget.NewButtonWithIcon(u.T("firstrun.account"), theme.AccountIcon(), u.showAccountForm)
	choices := container.NewGridWithColumns(2,
		widget.NewCard(u.T("firstrun.demo.title"), u.T("firstrun.demo.subtitle"), demo),
		widget.NewCard(u.T("firstrun.account.title"), u.T("firstrun.account.subtitle"), account),
	)
	box := container.NewVBox(container.NewGridWrap(fyne.NewSize(96, 96), logo), title, intro, choices,
		container.NewHBox(layout.NewSpacer(), languageChooser(u)))
	u.win.SetContent(container.NewCenter(container.NewGridWrap(fyne.NewSize(720, box.MinSize().Height), box)))
}

// startDemo fills the workspace with the demo data and opens it.
func (u *App) startDemo() {
	if u.deps.SeedDemo == nil {
		return
	}
	if err := u.deps.SeedDemo(u.ctx); err != nil {
		u.deps.Logger.Error("seed demo", "err", err)
		u.showDialogError(err)
		return
	}
	u.ShowMain()
}

// accountForm holds the first-run SIP account fields.
type accountForm struct {
	display, user, authUser, password, domain, registrar, proxy *widget.Entry
	transport, srtp                                             *widget.Select
	err                                                         *widget.Label
}

// srtpModes are the encrypted-audio choices in the order the form lists them.
var srtpModes = []selfcare.SRTPMode{selfcare.SRTPAuto, selfcare.SRTPRequired, selfcare.SRTPOff}

// showAccountForm asks for the SIP account.
func (u *App) showAccountForm() {
	f := &accountForm{
		display: widget.NewEntry(), user: widget.NewEntry(), authUser: widget.NewEntry(),
		password: widget.NewPasswordEntry(), domain: widget.NewEntry(), registrar: widget.NewEntry(),
		proxy: widget.NewEntry(), transport: widget.NewSelect([]string{"UDP", "TCP", "TLS"}, nil), err: errorLabel(),
	}
	f.transport.SetSelected("TLS")
	f.srtp = widget.NewSelect([]string{u.T("account.srtp.auto"), u.T("account.srtp.required"), u.T("account.srtp.off")}, nil)
	f.srtp.SetSelectedIndex(0)
	f.domain.SetPlaceHolder("sip.example.fr")
	f.registrar.SetPlaceHolder(u.T("account.registrar.placeholder"))
	f.proxy.SetPlaceHolder(u.T("account.proxy.placeholder"))
	form := widget.NewForm(
		widget.NewFormItem(u.T("account.display"), f.display),
		widget.NewFormItem(u.T("account.user"), f.user),
		widget.NewFormItem(u.T("account.authuser"), f.authUser),
		widget.NewFormItem(u.T("account.password"), f.password),
		widget.NewFormItem(u.T("account.domain"), f.domain),
		widget.NewFormItem(u.T("account.registrar"), f.registrar),
		widget.NewFormItem(u.T("account.proxy"), f.proxy),
		widget.NewFormItem(u.T("account.transport"), f.transport),
		widget.NewFormItem(u.T("account.srtp"), f.srtp),
	)
	form.SubmitText, form.CancelText = u.T("account.save"), u.T("common.back")
	form.OnCancel = u.ShowFirstRun
	form.OnSubmit = func() { u.AskSecretsConsent(func() { u.saveAccount(f) }) } // no keyring: ask before the password is kept
	box := container.NewVBox(heading(u.T("firstrun.account.title")), muted(u.T("account.help")), form, f.err)
	u.win.SetContent(container.NewCenter(container.NewGridWrap(fyne.NewSize(640, box.MinSize().Height+80), box)))
}

// account reads the form.
func (f *accountForm) account() selfcare.Account {
	return selfcare.Account{
		DisplayName: strings.TrimSpace(f.display.Text), User: strings.TrimSpace(f.user.Text),
		AuthUser: strings.TrimSpace(f.authUser.Text), Domain: strings.TrimSpace(f.domain.Text),
		Registrar: strings.TrimSpace(f.registrar.Text), OutboundProxy: strings.TrimSpace(f.proxy.Text),
		Transport: selfcare.Transport(strings.ToLower(f.transport.Selected)),
		SRTP:      srtpModes[max(0, f.srtp.SelectedIndex())],
	}
}

// saveAccount validates, stores the password in the keyring, saves the
// account and opens the main window. Nothing is saved on error.
func (u *App) saveAccount(f *accountForm) {
	if err := selfcare.SaveAccount(u.ctx, u.deps.Services, u.deps.Secrets, f.account(), f.password.Text); err != nil {
		u.showError(f.err, err)
		return
	}
	u.startLine()
	u.ShowMain()
}

// startLine starts the engine for the account just saved; a line that
// cannot start shows its state in the softphone panel.
func (u *App) startLine() {
	if u.deps.StartEngine == nil || u.deps.Engine != nil {
		return
	}
	eng, err := u.deps.StartEngine(u.ctx)
	if err != nil {
		u.deps.Logger.Error("start the line", "err", err)
		return
	}
	u.deps.Engine = eng
	u.line = nil
}
