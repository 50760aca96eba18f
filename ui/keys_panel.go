package ui

import (
	"context"
	"fmt"
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/ligne-app/ligne/selfcare"
	"github.com/ligne-app/ligne/softphone"
)

// keysPanel shows the function keys configured in Mes téléphones: a
// supervision key shows the colleague's live state (idle, ringing with the
// caller and blinking, in call, unknown) and calls, or picks up when
// ringing; a shortcut key dials.
type keysPanel struct {
	u     *App
	l     *line
	keys  []selfcare.FunctionKey
	names map[string]string
	box   *fyne.Container
	blink bool
	timer bool
}

type keysData struct {
	keys  []selfcare.FunctionKey
	names map[string]string
}

func newKeysPanel(u *App, l *line) *keysPanel {
	k := &keysPanel{u: u, l: l, box: container.NewVBox()}
	l.watch(k.render)
	load(u, k.fetch, func(d keysData) { k.keys, k.names = d.keys, d.names; k.render() }, nil)
	return k
}

func (k *keysPanel) fetch() (keysData, error) {
	keys, err := k.u.deps.Services.Keys(k.u.ctx)
	d := keysData{keys: keys, names: map[string]string{}}
	for _, key := range keys {
		if c, err := k.u.deps.Services.ContactByID(k.u.ctx, key.ContactID); err == nil {
			d.names[key.ContactID] = c.Name
		}
	}
	return d, err
}

// object is the panel with its heading.
func (k *keysPanel) object() fyne.CanvasObject {
	return container.NewVBox(widget.NewSeparator(), bold(k.u.T("keys.title")), k.box)
}

// render draws every key from the line's current states.
func (k *keysPanel) render() {
	k.box.Objects = nil
	ringing := false
	for _, key := range k.keys {
		k.box.Add(k.keyRow(key))
		if key.Kind == selfcare.KeySupervision && k.state(key).State == softphone.ColleagueRinging {
			ringing = true
		}
	}
	if len(k.keys) == 0 {
		k.box.Add(note(k.u.T("phones.nokeys")))
	}
	k.box.Refresh()
	if ringing && !k.timer {
		k.startBlink()
	}
}

// state is the supervised colleague's last BLF state.
func (k *keysPanel) state(key selfcare.FunctionKey) softphone.BLFEvent {
	if e, ok := k.l.blf[key.Number]; ok {
		return e
	}
	return softphone.BLFEvent{State: softphone.ColleagueUnknown}
}

// keyRow is one key: a button whose icon is the state light and whose
// text is the label and the state.
func (k *keysPanel) keyRow(key selfcare.FunctionKey) fyne.CanvasObject {
	label := selfcare.KeyLabel(key, selfcare.Contact{Name: k.names[key.ContactID]})
	var light color.Color = colorExternal
	text := k.u.T("keys.shortcut", numberLabel(key.Number))
	action := func() { k.u.CallNumber(key.Number) }
	if key.Kind == selfcare.KeySupervision {
		st := k.state(key)
		light, text = k.supervision(st)
		if st.State == softphone.ColleagueRinging {
			action = func() { k.pickup(key) }
			if k.blink {
				light = color.Transparent
			}
		}
	}
	b := widget.NewButtonWithIcon(label+" · "+text, dotIcon(light), action)
	b.Alignment = widget.ButtonAlignLeading
	return b
}

// dotIcon is a round light of color c, as an icon.
func dotIcon(c color.Color) fyne.Resource {
	r, g, b, a := c.RGBA()
	svg := fmt.Sprintf(`<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 16 16">`+
		`<circle cx="8" cy="8" r="6" fill="#%02x%02x%02x" fill-opacity="%.2f"/></svg>`, r>>8, g>>8, b>>8, float64(a)/0xffff)
	return fyne.NewStaticResource(fmt.Sprintf("dot-%02x%02x%02x%02x.svg", r>>8, g>>8, b>>8, a>>8), []byte(svg))
}

// supervision is a colleague's light and state text.
func (k *keysPanel) supervision(st softphone.BLFEvent) (color.Color, string) {
	switch st.State {
	case softphone.ColleagueIdle:
		return colorExternal, k.u.T("keys.idle")
	case softphone.ColleagueRinging:
		return colorInternal, k.u.T("keys.ringing", k.u.partyName(st.Caller))
	case softphone.ColleagueInCall:
		return colorInternal, k.u.T("keys.incall")
	}
	return colorMuted, k.u.T("keys.unknown")
}

// pickup takes the colleague's ringing call.
func (k *keysPanel) pickup(key selfcare.FunctionKey) {
	k.l.run(func(ctx context.Context) error {
		_, err := k.l.eng.Phone.Pickup(ctx, key.Number)
		return err
	})
}

// startBlink makes the lights of ringing keys blink while any key rings.
func (k *keysPanel) startBlink() {
	k.timer = true
	k.u.every(500*time.Millisecond, func() bool {
		if !k.anyRinging() {
			k.timer, k.blink = false, false
			k.render()
			return false
		}
		k.blink = !k.blink
		k.render()
		return true
	})
}

func (k *keysPanel) anyRinging() bool {
	for _, key := range k.keys {
		if key.Kind == selfcare.KeySupervision && k.state(key).State == softphone.ColleagueRinging {
			return true
		}
	}
	return false
}
