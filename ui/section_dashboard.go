package ui

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/ligne-app/ligne/selfcare"
)

// dashboardData is everything the dashboard cards show.
type dashboardData struct {
	devices    []selfcare.Device
	syncs      map[int64]selfcare.SyncState
	lines      []selfcare.Line
	profile    selfcare.Profile
	fixed      selfcare.Consumption
	unread     int
	active     []selfcare.ForwardRule
	dnd        bool
	internal   int
	external   []selfcare.Contact
	callsMonth int
	missed     int
}

// fetchDashboard reads the dashboard's data from the store.
func (u *App) fetchDashboard() (dashboardData, error) {
	var d dashboardData
	var err error
	svc, ctx, now := u.deps.Services, u.ctx, u.deps.Now()
	steps := []func() error{
		func() error { d.devices, err = svc.Devices(ctx); return err },
		func() error { d.syncs = u.syncStates(d.devices); return nil },
		func() error { d.lines, err = svc.Lines(ctx); return err },
		func() error { d.profile, err = svc.Profile(ctx); return ignoreNotFound(err) },
		func() error { d.fixed, err = svc.Consumption(ctx, selfcare.LineFixed, now); return err },
		func() error { d.unread, err = u.unreadMessages(); return err },
		func() error {
			rules, err := svc.ForwardRules(ctx, selfcare.LineFixed)
			d.active = selfcare.ActiveNow(rules, now)
			return err
		},
		func() error { d.dnd, err = svc.DND(ctx); return err },
		func() error {
			in, err := svc.Contacts(ctx, selfcare.ContactQuery{Kind: selfcare.ContactInternal, Limit: 100000})
			d.internal = len(in)
			return err
		},
		func() error {
			d.external, err = svc.Contacts(ctx, selfcare.ContactQuery{Kind: selfcare.ContactExternal, Limit: 5})
			return err
		},
		func() error {
			_, d.callsMonth, err = svc.Calls(ctx, selfcare.CallFilter{Month: now, Limit: 1})
			return err
		},
		func() error {
			_, d.missed, err = svc.Calls(ctx, selfcare.CallFilter{Month: now, MissedOnly: true, Limit: 1})
			return err
		},
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return d, err
		}
	}
	return d, nil
}

// unreadMessages counts unread voicemail on all lines.
func (u *App) unreadMessages() (int, error) {
	n := 0
	for _, line := range []selfcare.LineKind{selfcare.LineFixed, selfcare.LineMobile} {
		ms, err := u.deps.Services.Messages(u.ctx, line)
		if err != nil {
			return 0, err
		}
		for _, m := range ms {
			if !m.Read {
				n++
			}
		}
	}
	return n, nil
}

func ignoreNotFound(err error) error {
	if selfcare.ErrorCode(err) == selfcare.CodeNotFound {
		return nil
	}
	return err
}

// buildDashboard is "Mon tableau de bord": a card per section.
func buildDashboard(u *App) fyne.CanvasObject {
	holder := container.NewStack(widget.NewActivity())
	load(u, u.fetchDashboard, func(d dashboardData) {
		holder.Objects = []fyne.CanvasObject{u.dashboardCards(d)}
		holder.Refresh()
	}, func(err error) { holder.Objects = []fyne.CanvasObject{emptyState(u.errText(err))}; holder.Refresh() })
	return holder
}

// dashboardCards lays out the cards.
func (u *App) dashboardCards(d dashboardData) fyne.CanvasObject {
	intro := muted(u.T("dashboard.intro"))
	cards := grid(3,
		u.cardPhones(d), u.cardConsumption(d), u.cardForwarding(d),
		u.cardVoicemail(d), u.cardCalls(d), u.cardContacts(d),
		u.cardDocs(d), u.cardDialog(d), u.cardStatus(),
	)
	return scroll(intro, cards)
}

// syncStates reads each device's provisioning state, when the store keeps it.
func (u *App) syncStates(devs []selfcare.Device) map[int64]selfcare.SyncState {
	out := map[int64]selfcare.SyncState{}
	pl, ok := u.deps.Services.(interface {
		SyncState(ctx context.Context, deviceID int64) (selfcare.SyncState, error)
	})
	if !ok {
		return out
	}
	for _, dev := range devs {
		if st, err := pl.SyncState(u.ctx, dev.ID); err == nil {
			out[dev.ID] = st
		}
	}
	return out
}

// syncWord says in a few words whether a phone has its configuration.
func (u *App) syncWord(dev selfcare.Device, st selfcare.SyncState) string {
	switch {
	case st.LastFetch.At.IsZero():
		return u.T("sync.never")
	case st.UpToDate(dev.ConfigVersion):
		return u.T("sync.uptodate")
	}
	return u.T("sync.pending", dev.ConfigVersion)
}

func (u *App) cardPhones(d dashboardData) fyne.CanvasObject {
	var names []string
	for _, dev := range d.devices {
		names = append(names, dev.Model+" · "+dev.Label+" · "+u.syncWord(dev, d.syncs[dev.ID]))
	}
	body := muted(u.T("dashboard.phones.none"))
	if len(names) > 0 {
		body = wrapped(strings.Join(names, "\n"))
	}
	return card(u.T("nav.phones"), u.Tn("dashboard.phones.count", len(d.devices)), body, func() { u.Open(SectionPhones) })
}

func (u *App) cardConsumption(d dashboardData) fyne.CanvasObject {
	a, ok := d.profile.Plan.Allowance(selfcare.LineFixed)
	bar := widget.NewProgressBar()
	text := muted(u.T("dashboard.consumption.noplan"))
	if ok {
		used, included := d.fixed.UsedMinutes(a)
		text = wrapped(u.planText(used, included))
		if included > 0 {
			bar.SetValue(min(float64(used)/float64(included), 1))
		}
	}
	sub := u.Tn("dashboard.consumption.calls", d.fixed.Calls, formatDuration(d.fixed.Time))
	return card(u.T("nav.consumption"), sub, container.NewVBox(text, bar), func() { u.Open(SectionConsumption) })
}

// planText reads "120 min sur 2 560 min" or "120 min, illimité".
func (u *App) planText(used, included int) string {
	if included < 0 {
		return u.T("plan.used.unlimited", used)
	}
	return u.T("plan.used", used, included)
}

func (u *App) cardForwarding(d dashboardData) fyne.CanvasObject {
	lines := []string{}
	for _, r := range d.active {
		lines = append(lines, u.ruleSummary(r))
	}
	if d.dnd {
		lines = append([]string{u.T("forward.dnd.on")}, lines...)
	}
	body := muted(u.T("dashboard.forward.none"))
	if len(lines) > 0 {
		body = wrapped(strings.Join(lines, "\n"))
	}
	return card(u.T("nav.forwarding"), u.T("dashboard.forward.now"), body, func() { u.Open(SectionForwarding) })
}

// ruleSummary is one line describing a rule and its target.
func (u *App) ruleSummary(r selfcare.ForwardRule) string {
	target := u.T("forward.target.voicemail")
	if r.Target == selfcare.TargetNumber {
		target = numberLabel(r.Number)
	}
	s := u.T("forward.kind."+string(r.Kind)) + " → " + target
	if r.Kind == selfcare.ForwardNoAnswer {
		s += " " + u.T("forward.after", int(r.Delay.Seconds()))
	}
	return s
}

func (u *App) cardVoicemail(d dashboardData) fyne.CanvasObject {
	body := bold(u.Tn("dashboard.voicemail.unread", d.unread))
	if d.unread == 0 {
		body = bold(u.T("dashboard.voicemail.none"))
	}
	return card(u.T("nav.voicemail"), "", body, func() { u.Open(SectionVoicemail) })
}

func (u *App) cardCalls(d dashboardData) fyne.CanvasObject {
	body := wrapped(u.Tn("dashboard.calls.month", d.callsMonth) + "\n" + u.Tn("dashboard.calls.missed", d.missed))
	return card(u.T("nav.calllog"), u.monthName(u.deps.Now()), body, func() { u.Open(SectionCallLog) })
}

func (u *App) cardContacts(d dashboardData) fyne.CanvasObject {
	var recent []string
	for _, c := range d.external {
		recent = append(recent, c.Name)
	}
	body := wrapped(u.T("dashboard.contacts.counts", d.internal) + "\n" + strings.Join(recent, ", "))
	return card(u.T("nav.contacts"), "", body, func() { u.Open(SectionContacts) })
}

func (u *App) cardDocs(d dashboardData) fyne.CanvasObject {
	var titles []string
	for i, doc := range d.profile.Documents {
		if i == 3 {
			break
		}
		titles = append(titles, doc.Title)
	}
	sub := u.Tn("dashboard.docs.count", len(d.profile.Documents))
	return card(u.T("nav.docs"), sub, wrapped(strings.Join(titles, "\n")), func() { u.Open(SectionDocs) })
}

func (u *App) cardDialog(d dashboardData) fyne.CanvasObject {
	on := 0
	for _, o := range d.profile.DialogOptions {
		if o.Enabled {
			on++
		}
	}
	body := wrapped(u.T("dashboard.dialog.options", on, len(d.profile.DialogOptions)))
	return card(u.T("nav.dialog"), d.profile.Company.Name, body, func() { u.Open(SectionDialog) })
}

func (u *App) cardStatus() fyne.CanvasObject {
	text, c := u.statusText(u.line)
	return card(u.T("dashboard.status"), "", chip(c, text), nil)
}

// itoa formats an int for labels.
func itoa(i int) string { return fmt.Sprint(i) }
