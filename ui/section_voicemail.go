package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/ligne-app/ligne/internal/voicemail"
	"github.com/ligne-app/ligne/selfcare"
)

// voicemailData is one line's mailbox.
type voicemailData struct {
	line      selfcare.Line
	messages  []selfcare.VoicemailMessage
	names     map[string]string
	greetings []selfcare.Greeting
	settings  selfcare.VoicemailSettings
	system    voicemail.System
	newCount  int
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
		if !m.Read {
			d.newCount++
		}
	}
	if d.greetings, err = svc.Greetings(ctx, l.Kind); err != nil {
		return d, err
	}
	if d.system, err = voicemail.LoadSystem(ctx, svc); err != nil {
		return d, err
	}
	d.settings, err = svc.VoicemailSettings(ctx, l.Kind)
	return d, err
}

// mailbox is the voicemail's side of the store, or nil when the services
// are not the store (then the screen is read-only).
func (u *App) mailbox() *voicemail.Mailbox {
	st, ok := u.deps.Services.(voicemail.Store)
	if !ok {
		return nil
	}
	dir := u.deps.DataDir
	if d, ok := u.deps.Services.(interface{ Dir() string }); ok {
		dir = d.Dir()
	}
	return voicemail.NewMailbox(voicemail.MailboxConfig{Store: st, Dir: dir, Secrets: u.deps.Secrets,
		Now: u.deps.Now, Logger: u.deps.Logger})
}

// buildVoicemail is "Messagerie vocale": for each line, the visual
// voicemail, the greetings and the settings.
func buildVoicemail(u *App) fyne.CanvasObject {
	holder := container.NewStack(widget.NewActivity())
	load(u, u.fetchVoicemail, func(ds []voicemailData) {
		tabs := container.NewAppTabs()
		total := 0
		for _, d := range ds {
			tabs.Append(container.NewTabItem(u.T("phones.tab."+string(d.line.Kind)), newMailboxView(u, d).object()))
			total += d.newCount
		}
		u.setVoicemailBadge(total)
		holder.Objects = []fyne.CanvasObject{tabs}
		holder.Refresh()
	}, func(err error) { holder.Objects = []fyne.CanvasObject{emptyState(u.errText(err))}; holder.Refresh() })
	return holder
}

// setVoicemailBadge shows the count of new messages in the navigation.
func (u *App) setVoicemailBadge(n int) {
	if u.shell != nil {
		u.shell.setBadge(SectionVoicemail, n)
	}
}

// mailboxView is one line's tab.
type mailboxView struct {
	u      *App
	mb     *voicemail.Mailbox
	data   voicemailData
	player *vmPlayer
	msgs   *fyne.Container
	greets *fyne.Container
	undo   *fyne.Container
	err    *widget.Label
}

func newMailboxView(u *App, d voicemailData) *mailboxView {
	v := &mailboxView{u: u, mb: u.mailbox(), data: d, player: newVMPlayer(u), msgs: container.NewVBox(),
		greets: container.NewVBox(), undo: container.NewHBox(), err: errorLabel()}
	v.undo.Hide()
	v.fill()
	return v
}

func (v *mailboxView) object() fyne.CanvasObject {
	u := v.u
	return scroll(
		heading(u.T("voicemail.messages")), v.err, v.undo, v.player.object(), v.msgs,
		heading(u.T("voicemail.greetings")), v.greets,
		heading(u.T("voicemail.settings")), v.settingsForm(),
		heading(u.T("vm.system")), v.systemForm(),
	)
}

// fill rebuilds the lists from v.data.
func (v *mailboxView) fill() {
	v.msgs.Objects = v.messageRows()
	v.msgs.Refresh()
	v.greets.Objects = v.greetingRows()
	v.greets.Refresh()
}

// reload reads the line's mailbox again and refreshes the lists.
func (v *mailboxView) reload() {
	load(v.u, func() (voicemailData, error) { return v.u.fetchMailbox(v.data.line) }, func(d voicemailData) {
		v.data = d
		v.fill()
		v.u.refreshVoicemailBadge()
	}, func(err error) { v.u.showError(v.err, err) })
}

// refreshVoicemailBadge recounts the new messages of every line.
func (u *App) refreshVoicemailBadge() {
	load(u, func() (int, error) {
		lines, err := u.deps.Services.Lines(u.ctx)
		n := 0
		for _, l := range lines {
			ms, err := u.deps.Services.Messages(u.ctx, l.Kind)
			if err != nil {
				return 0, err
			}
			for _, m := range ms {
				if !m.Read {
					n++
				}
			}
		}
		return n, err
	}, u.setVoicemailBadge, nil)
}

// act runs a mailbox change off the Fyne goroutine, then reloads.
func (v *mailboxView) act(f func(*voicemail.Mailbox) error, after func()) {
	if v.mb == nil {
		v.u.showError(v.err, selfcare.Errorf(selfcare.CodeInternal, ""))
		return
	}
	load(v.u, func() (struct{}, error) { return struct{}{}, f(v.mb) }, func(struct{}) {
		v.u.showError(v.err, nil)
		if after != nil {
			after()
		}
		v.reload()
	}, func(err error) { v.u.showError(v.err, err) })
}
