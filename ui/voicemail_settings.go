package ui

import (
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/ligne-app/ligne/internal/voicemail"
	"github.com/ligne-app/ligne/selfcare"
)

// vmMaxChoices are the maximum message lengths offered.
var vmMaxChoices = []time.Duration{30 * time.Second, time.Minute, 2 * time.Minute, 3 * time.Minute, 5 * time.Minute, 10 * time.Minute}

// vmSettingsForm is the line's "Paramètres de la messagerie vocale".
type vmSettingsForm struct {
	v                              *mailboxView
	record, copyOn, always, direct *widget.Check
	copyTo, pin, access, sms, cap  *widget.Entry
	email, smsOn                   vmNotifyChecks
	maxLen                         *widget.Select
	err, saved                     *widget.Label
}

// vmNotifyChecks are the four notification events.
type vmNotifyChecks struct{ none, deposited, text, full *widget.Check }

func (u *App) vmNotify(n selfcare.Notifications) vmNotifyChecks {
	c := vmNotifyChecks{none: widget.NewCheck(u.T("voicemail.notify.nomessage"), nil),
		deposited: widget.NewCheck(u.T("voicemail.notify.deposited"), nil),
		text:      widget.NewCheck(u.T("voicemail.notify.transcription"), nil), full: widget.NewCheck(u.T("voicemail.notify.full"), nil)}
	c.none.SetChecked(n.CallWithoutMessage)
	c.deposited.SetChecked(n.MessageDeposited)
	c.text.SetChecked(n.Transcription)
	c.full.SetChecked(n.MailboxFull)
	return c
}

func (c vmNotifyChecks) value() selfcare.Notifications {
	return selfcare.Notifications{CallWithoutMessage: c.none.Checked, MessageDeposited: c.deposited.Checked,
		Transcription: c.text.Checked, MailboxFull: c.full.Checked}
}

func (c vmNotifyChecks) object() fyne.CanvasObject {
	return container.NewGridWithColumns(2, c.none, c.deposited, c.text, c.full)
}

func (v *mailboxView) settingsForm() fyne.CanvasObject {
	u, s := v.u, v.data.settings
	f := &vmSettingsForm{v: v, err: errorLabel(), saved: muted("")}
	f.record = vmChecked(u.T("voicemail.setting.record"), s.RecordMessages)
	f.copyOn, f.copyTo = vmChecked(u.T("vm.setting.emailcopy"), s.EmailCopy), vmEntry(s.EmailCopyAddress, u.T("vm.setting.emailcopy.address"))
	f.pin = widget.NewPasswordEntry()
	f.pin.SetText(s.PIN)
	f.pin.SetPlaceHolder(u.T("vm.setting.pin.hint"))
	f.always, f.direct = vmChecked(u.T("voicemail.setting.alwaysask"), s.AlwaysAskPIN), vmChecked(u.T("voicemail.setting.direct"), s.DirectAccess)
	f.access = vmEntry(s.AccessNumber, u.T("vm.setting.access"))
	f.email, f.smsOn = u.vmNotify(s.EmailNotify), u.vmNotify(s.SMSNotify)
	f.sms = vmEntry(s.SMSNumber, u.T("vm.setting.sms.number"))
	f.cap = vmEntry(strconv.Itoa(s.Capacity), "")
	f.maxLen = widget.NewSelect(u.maxLabels(), nil)
	f.maxLen.SetSelectedIndex(vmMaxIndex(s.MaxMessage))
	return f.object()
}

func vmChecked(label string, on bool) *widget.Check {
	c := widget.NewCheck(label, nil)
	c.SetChecked(on)
	return c
}

func vmEntry(text, placeholder string) *widget.Entry {
	e := widget.NewEntry()
	e.SetText(text)
	e.SetPlaceHolder(placeholder)
	return e
}

func (u *App) maxLabels() []string {
	out := make([]string, len(vmMaxChoices))
	for i, d := range vmMaxChoices {
		out[i] = formatDuration(d)
	}
	return out
}

func vmMaxIndex(d time.Duration) int {
	for i, c := range vmMaxChoices {
		if c == d {
			return i
		}
	}
	return 3 // 3 min, the default
}

func (f *vmSettingsForm) object() fyne.CanvasObject {
	u := f.v.u
	items := []*widget.FormItem{
		widget.NewFormItem("", f.record),
		widget.NewFormItem(u.T("voicemail.setting.emailcopy"), container.NewVBox(f.copyOn, f.copyTo)),
		widget.NewFormItem(u.T("voicemail.setting.pin"), container.NewVBox(f.pin, f.always)),
		widget.NewFormItem(u.T("vm.setting.directaccess"), container.NewVBox(f.direct, f.access)),
		widget.NewFormItem(u.T("voicemail.setting.notify.email"), f.email.object()),
	}
	if f.v.data.line.Kind == selfcare.LineMobile {
		items = append(items, widget.NewFormItem(u.T("voicemail.setting.notify.sms"), container.NewVBox(f.smsOn.object(), f.sms)))
	}
	items = append(items, widget.NewFormItem(u.T("vm.setting.max"), f.maxLen), widget.NewFormItem(u.T("vm.setting.capacity"), f.cap))
	save := widget.NewButton(u.T("vm.confirm"), f.save)
	save.Importance = widget.HighImportance
	return container.NewVBox(widget.NewForm(items...), f.err, container.NewHBox(save, f.saved))
}

// value reads the form.
func (f *vmSettingsForm) value() (selfcare.VoicemailSettings, error) {
	s := f.v.data.settings
	s.RecordMessages, s.EmailCopy, s.EmailCopyAddress = f.record.Checked, f.copyOn.Checked, f.copyTo.Text
	s.PIN, s.AlwaysAskPIN, s.DirectAccess, s.AccessNumber = f.pin.Text, f.always.Checked, f.direct.Checked, f.access.Text
	s.EmailNotify, s.SMSNotify, s.SMSNumber = f.email.value(), f.smsOn.value(), f.sms.Text
	s.MaxMessage = vmMaxChoices[max(0, f.maxLen.SelectedIndex())]
	n, err := strconv.Atoi(f.cap.Text)
	if err != nil {
		return s, selfcare.Errorf(selfcare.CodeOutOfRange, "capacity", 1, 1000)
	}
	s.Capacity = n
	return s, nil
}

// save validates and saves; nothing changes on error.
func (f *vmSettingsForm) save() {
	u := f.v.u
	s, err := f.value()
	if err != nil {
		u.showError(f.err, err)
		return
	}
	load(u, func() (selfcare.VoicemailSettings, error) { return u.deps.Services.SetVoicemailSettings(u.ctx, s) },
		func(saved selfcare.VoicemailSettings) {
			f.v.data.settings = saved
			u.showError(f.err, nil)
			f.saved.SetText(u.T("common.saved"))
		}, func(err error) { u.showError(f.err, err); f.saved.SetText("") })
}

// vmSystemForm is what the voicemail needs beyond the guide: the prompts'
// language, the mail server, the SMS gateway, the transcription command.
type vmSystemForm struct {
	v                                           *mailboxView
	lang, security                              *widget.Select
	notify, host, port, user, pass, from        *widget.Entry
	smsURL, smsAuth, smsBody, smsToken, command *widget.Entry
	transcribe                                  *widget.Check
	err, saved                                  *widget.Label
}

var vmSecurities = []string{voicemail.SecurityStartTLS, voicemail.SecurityTLS, voicemail.SecurityNone}

func (v *mailboxView) systemForm() fyne.CanvasObject {
	u, s := v.u, v.data.system
	f := &vmSystemForm{v: v, err: errorLabel(), saved: muted("")}
	f.lang = widget.NewSelect([]string{u.T("vm.lang.fr"), u.T("vm.lang.en")}, nil)
	f.lang.SetSelectedIndex(map[string]int{"fr": 0, "en": 1}[s.Language])
	f.notify = vmEntry(s.NotifyEmail, u.T("vm.system.notify.hint"))
	f.host, f.port = vmEntry(s.SMTP.Host, "smtp.example.com"), vmEntry(strconv.Itoa(s.SMTP.Port), "587")
	f.security = widget.NewSelect([]string{u.T("vm.security.starttls"), u.T("vm.security.tls"), u.T("vm.security.none")}, nil)
	f.security.SetSelectedIndex(vmSecurityIndex(s.SMTP.Security))
	f.user, f.from = vmEntry(s.SMTP.User, ""), vmEntry(s.SMTP.From, "messagerie@example.com")
	f.pass, f.smsToken = widget.NewPasswordEntry(), widget.NewPasswordEntry()
	f.pass.SetPlaceHolder(u.T("vm.system.secret.keep"))
	f.smsToken.SetPlaceHolder(u.T("vm.system.secret.keep"))
	f.smsURL, f.smsAuth = vmEntry(s.SMS.URL, "https://sms.example.com/send"), vmEntry(s.SMS.AuthHeader, "Bearer {{.Token}}")
	f.smsBody = widget.NewMultiLineEntry()
	f.smsBody.SetText(s.SMS.Body)
	f.transcribe, f.command = vmChecked(u.T("vm.system.transcribe"), s.Transcribe.Enabled), vmEntry(s.Transcribe.Command, voicemail.DefaultTranscribeCommand)
	return f.object()
}

func vmSecurityIndex(s string) int {
	for i, v := range vmSecurities {
		if v == s {
			return i
		}
	}
	return 0
}

func (f *vmSystemForm) object() fyne.CanvasObject {
	u := f.v.u
	form := widget.NewForm(
		widget.NewFormItem(u.T("vm.system.lang"), f.lang),
		widget.NewFormItem(u.T("vm.system.notify"), f.notify),
		widget.NewFormItem(u.T("vm.system.smtp"), container.NewGridWithColumns(2, f.host, f.port, f.security, f.from, f.user, f.pass)),
		widget.NewFormItem(u.T("vm.system.sms"), container.NewVBox(f.smsURL, f.smsAuth, f.smsToken, f.smsBody, wrapped(u.T("vm.system.sms.help")))),
		widget.NewFormItem(u.T("vm.system.transcription"), container.NewVBox(f.transcribe, f.command)),
	)
	save := widget.NewButton(u.T("vm.confirm"), f.save)
	save.Importance = widget.HighImportance
	return container.NewVBox(form, f.err, container.NewHBox(save, f.saved))
}

func (f *vmSystemForm) value() (voicemail.System, error) {
	s := f.v.data.system
	s.Language = []string{"fr", "en"}[max(0, f.lang.SelectedIndex())]
	s.NotifyEmail = f.notify.Text
	port, err := strconv.Atoi(f.port.Text)
	if err != nil && f.port.Text != "" {
		return s, selfcare.Errorf(selfcare.CodeOutOfRange, "smtp.port", 1, 65535)
	}
	s.SMTP = voicemail.SMTP{Host: f.host.Text, Port: port, Security: vmSecurities[max(0, f.security.SelectedIndex())],
		User: f.user.Text, From: f.from.Text}
	s.SMS = voicemail.SMSGateway{URL: f.smsURL.Text, ContentType: s.SMS.ContentType, Body: f.smsBody.Text, AuthHeader: f.smsAuth.Text}
	s.Transcribe = voicemail.Transcription{Enabled: f.transcribe.Checked, Command: f.command.Text}
	return s, nil
}

// save validates, stores the secrets in the keyring and the rest in the
// database; nothing changes on error.
func (f *vmSystemForm) save() {
	u := f.v.u
	s, err := f.value()
	if err != nil || f.v.mb == nil {
		u.showError(f.err, err)
		return
	}
	pass, token := f.pass.Text, f.smsToken.Text
	load(u, func() (voicemail.System, error) { return f.v.mb.SaveSystem(u.ctx, s, pass, token) }, func(saved voicemail.System) {
		f.v.data.system = saved
		f.pass.SetText("")
		f.smsToken.SetText("")
		u.showError(f.err, nil)
		f.saved.SetText(u.T("common.saved"))
	}, func(err error) { u.showError(f.err, err); f.saved.SetText("") })
}
