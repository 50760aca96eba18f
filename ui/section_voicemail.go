package ui

import (
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/ligne-app/ligne/selfcare"
)

// voicemailData is one line's mailbox.
type voicemailData struct {
	line      selfcare.Line
	messages  []selfcare.VoicemailMessage
	names     map[string]string
	greetings []selfcare.Greeting
	settings  selfcare.VoicemailSettings
}

func (u *App) fetchVoicemail() ([]voicemailData, error) {
	lines, err := u.deps.Services.Lines(u.ctx)
	if err != nil {
		return nil, err
	}
	var out []voicemailData
	for _, l := range lines {
		d, err := u.fetchMailbox(l)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

// fetchMailbox reads one line's messages, greetings and settings, and the
// callers' names from the contacts.
func (u *App) fetchMailbox(l selfcare.Line) (voicemailData, error) {
	svc, ctx := u.deps.Services, u.ctx
	d := voicemailData{line: l, names: map[string]string{}}
	var err error
	if d.messages, err = svc.Messages(ctx, l.Kind); err != nil {
		return d, err
	}
	for _, m := range d.messages {
		if c, ok, err := svc.LookupNumber(ctx, m.Caller); err == nil && ok {
			d.names[m.Caller] = c.Name
		}
	}
	if d.greetings, err = svc.Greetings(ctx, l.Kind); err != nil {
		return d, err
	}
	d.settings, err = svc.VoicemailSettings(ctx, l.Kind)
	return d, err
}

// buildVoicemail is "Messagerie vocale": messages, greetings and settings
// for each line.
func buildVoicemail(u *App) fyne.CanvasObject {
	holder := container.NewStack(widget.NewActivity())
	load(u, u.fetchVoicemail, func(ds []voicemailData) {
		tabs := container.NewAppTabs()
		for _, d := range ds {
			tabs.Append(container.NewTabItem(u.T("phones.tab."+string(d.line.Kind)), u.mailboxView(d)))
		}
		holder.Objects = []fyne.CanvasObject{tabs}
		holder.Refresh()
	}, func(err error) { holder.Objects = []fyne.CanvasObject{emptyState(u.errText(err))}; holder.Refresh() })
	return holder
}

func (u *App) mailboxView(d voicemailData) fyne.CanvasObject {
	return scroll(
		heading(u.T("voicemail.messages")), u.messagesView(d),
		heading(u.T("voicemail.greetings")), u.greetingsView(d.greetings),
		heading(u.T("voicemail.settings")), u.voicemailSettingsView(d.settings),
	)
}

func (u *App) messagesView(d voicemailData) fyne.CanvasObject {
	if len(d.messages) == 0 {
		return muted(u.T("voicemail.nomessages"))
	}
	var rows []fyne.CanvasObject
	for _, m := range d.messages {
		rows = append(rows, u.messageRow(m, d.names[m.Caller]))
	}
	return container.NewVBox(rows...)
}

// messageRow shows one message; unread ones are highlighted.
func (u *App) messageRow(m selfcare.VoicemailMessage, name string) fyne.CanvasObject {
	who := numberLabel(m.Caller)
	if name != "" {
		who = name + " (" + who + ")"
	}
	title := widget.NewLabelWithStyle(who, fyne.TextAlignLeading, fyne.TextStyle{Bold: !m.Read})
	meta := muted(u.formatDateTime(m.At) + " · " + formatDuration(m.Duration))
	var text fyne.CanvasObject = muted(u.T("transcription." + string(m.TranscriptionState)))
	if m.TranscriptionState == selfcare.TranscriptionDone {
		text = wrapped("« " + m.Transcription + " »")
	}
	c := colorMuted
	state := u.T("voicemail.read")
	if !m.Read {
		c, state = colorBrand, u.T("voicemail.unread")
	}
	body := container.NewVBox(container.NewBorder(nil, nil, nil, chip(c, state), title), meta, text)
	return widget.NewCard("", "", body)
}

func (u *App) greetingsView(gs []selfcare.Greeting) fyne.CanvasObject {
	if len(gs) == 0 {
		return muted(u.T("voicemail.greeting.default"))
	}
	var rows []fyne.CanvasObject
	for _, g := range gs {
		text := g.Name + " · " + formatDuration(g.Duration)
		if g.InUse {
			rows = append(rows, chip(colorExternal, text+" · "+u.T("voicemail.greeting.inuse")))
			continue
		}
		rows = append(rows, chip(colorMuted, text))
	}
	return container.NewVBox(rows...)
}

func (u *App) voicemailSettingsView(s selfcare.VoicemailSettings) fyne.CanvasObject {
	copyTo := u.T("common.off")
	if s.EmailCopy {
		copyTo = s.EmailCopyAddress
	}
	pin := u.T("voicemail.pin.none")
	if s.PIN != "" {
		pin = strings.Repeat("•", len(s.PIN))
	}
	return keyValue(
		u.T("voicemail.setting.record"), u.onOff(s.RecordMessages),
		u.T("voicemail.setting.emailcopy"), copyTo,
		u.T("voicemail.setting.pin"), pin,
		u.T("voicemail.setting.alwaysask"), u.yesNo(s.AlwaysAskPIN),
		u.T("voicemail.setting.direct"), u.onOff(s.DirectAccess),
		u.T("voicemail.setting.notify.email"), u.notifyText(s.EmailNotify),
		u.T("voicemail.setting.notify.sms"), u.notifyText(s.SMSNotify),
	)
}

func (u *App) onOff(b bool) string {
	if b {
		return u.T("common.on")
	}
	return u.T("common.off")
}

// notifyText lists the notification events that are on.
func (u *App) notifyText(n selfcare.Notifications) string {
	var on []string
	for key, v := range map[string]bool{"nomessage": n.CallWithoutMessage, "deposited": n.MessageDeposited,
		"transcription": n.Transcription, "full": n.MailboxFull} {
		if v {
			on = append(on, u.T("voicemail.notify."+key))
		}
	}
	if len(on) == 0 {
		return u.T("common.off")
	}
	slices.Sort(on)
	return strings.Join(on, ", ")
}
