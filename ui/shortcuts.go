package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"

	"github.com/ligne-app/ligne/softphone"
)

// dtmfDuration is how long a DTMF digit from the dial pad lasts.
const dtmfDuration = 120 * time.Millisecond

// addShortcuts binds the softphone's keys: Enter dials (the number field
// does it), Esc hangs up, Ctrl+M mutes, Ctrl+H holds or resumes.
func (s *shell) addShortcuts() {
	c := s.u.win.Canvas()
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyM, Modifier: fyne.KeyModifierShortcutDefault}, func(fyne.Shortcut) {
		s.line.setMute(!s.line.muted)
	})
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyH, Modifier: fyne.KeyModifierShortcutDefault}, func(fyne.Shortcut) {
		s.toggleHold()
	})
	c.SetOnTypedKey(func(e *fyne.KeyEvent) {
		if e.Name == fyne.KeyEscape {
			s.hangupLatest()
		}
	})
}

// hangupLatest ends the current call, or the last call being placed.
func (s *shell) hangupLatest() {
	l := s.line
	target := l.current()
	for i := len(l.calls) - 1; target == nil && i >= 0; i-- {
		if l.calls[i].Direction() == softphone.Outgoing {
			target = l.calls[i]
		}
	}
	if target != nil {
		l.run(target.Hangup)
	}
}

// toggleHold holds the current call, or takes back the last held one.
func (s *shell) toggleHold() {
	l := s.line
	if c := l.current(); c != nil {
		l.run(c.Hold)
		return
	}
	for i := len(l.calls) - 1; i >= 0; i-- {
		if local, _ := l.calls[i].OnHold(); local {
			l.focus(l.calls[i])
			return
		}
	}
}
