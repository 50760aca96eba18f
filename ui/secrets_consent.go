package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/ligne-app/ligne/selfcare"
)

// SecretsConsent is a secret store that may need the user's agreement
// before it keeps passwords in a file (*secrets.Store: no system keyring).
type SecretsConsent interface {
	NeedsConsent() bool
	Consent(ctx context.Context) error
	KeyringError() error
	FilePath() string
}

// AskSecretsConsent asks, when Deps.Secrets has no keyring and the user
// has not agreed yet, whether Ligne may keep the passwords in a private
// file, explaining what that means; then runs next, whatever the answer
// (after a refusal, saving a password fails with CodeSecretConsent, whose
// message says why). With a keyring it runs next at once. Call it on the
// Fyne goroutine before a password is saved (first run, SMTP, LDAP).
func (u *App) AskSecretsConsent(next func()) {
	sc, ok := u.deps.Secrets.(SecretsConsent)
	if !ok || !sc.NeedsConsent() {
		next()
		return
	}
	q := selfcare.Errorf(selfcare.CodeSecretConsentAsk, "", sc.KeyringError(), sc.FilePath())
	text := widget.NewLabel(u.tr.Err(q))
	text.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustomConfirm(u.T("account.password"), u.T("common.yes"), u.T("common.no"), text, func(yes bool) {
		if yes {
			if err := sc.Consent(u.ctx); err != nil {
				dialog.ShowError(err, u.win)
			}
		}
		next()
	}, u.win)
	d.Resize(fyne.NewSize(520, 320))
	d.Show()
}
