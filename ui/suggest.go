package ui

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/ligne-app/ligne/internal/dialplan"
	"github.com/ligne-app/ligne/selfcare"
)

// maxSuggestions is how many matches the number field proposes.
const maxSuggestions = 5

// suggestion is one match for what was typed.
type suggestion struct {
	name, number string
}

// suggester proposes contacts, colleagues and recent callers matching the
// number field as the user types.
type suggester struct {
	u    *App
	box  *fyne.Container
	gen  int
	pick func(number string)
}

func newSuggester(u *App, pick func(string)) *suggester {
	return &suggester{u: u, box: container.NewVBox(), pick: pick}
}

// update looks up matches for typed in the background.
func (s *suggester) update(typed string) {
	s.gen++
	gen := s.gen
	q := strings.TrimSpace(typed)
	if len([]rune(q)) < 2 || strings.HasPrefix(strings.ToLower(q), "sip:") {
		s.show(nil)
		return
	}
	load(s.u, func() ([]suggestion, error) { return s.find(q) }, func(found []suggestion) {
		if gen == s.gen {
			s.show(found)
		}
	}, nil)
}

// find searches the contacts (both kinds) then the call log.
func (s *suggester) find(q string) ([]suggestion, error) {
	ctx, svc := s.u.ctx, s.u.deps.Services
	contacts, err := svc.Contacts(ctx, selfcare.ContactQuery{Search: q, Limit: maxSuggestions})
	if err != nil {
		return nil, err
	}
	var out []suggestion
	seen := map[string]bool{}
	add := func(name, number string) {
		if number != "" && !seen[number] && len(out) < maxSuggestions {
			seen[number] = true
			out = append(out, suggestion{name, number})
		}
	}
	for _, c := range contacts {
		add(c.Name, c.FirstNumber())
	}
	recent, _, err := svc.Calls(ctx, selfcare.CallFilter{Search: q, Limit: 20})
	for _, r := range recent {
		add(r.RemoteName, r.Remote)
	}
	return out, err
}

// clear hides the matches and drops the lookups under way.
func (s *suggester) clear() {
	s.gen++
	s.show(nil)
}

// show lists the matches as buttons that call.
func (s *suggester) show(found []suggestion) {
	s.box.Objects = nil
	for _, f := range found {
		number := f.number
		label := dialplan.Display(number, s.u.region)
		if f.name != "" {
			label = f.name + " · " + label
		}
		b := widget.NewButtonWithIcon(label, callIcon(), func() { s.pick(number) })
		b.Alignment = widget.ButtonAlignLeading
		b.Importance = widget.LowImportance
		s.box.Add(b)
	}
	s.box.Refresh()
}

// loadRegion reads the region numbers are typed in.
func (u *App) loadRegion() {
	r, err := u.deps.Services.Setting(context.Background(), selfcare.SettingRegion)
	if err != nil || r == "" {
		r = dialplan.DefaultRegion
	}
	u.region = r
}
