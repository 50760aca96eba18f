package ui

import (
	"fyne.io/fyne/v2"

	"github.com/ligne-app/ligne/softphone"
)

// notifyIncoming tells the desktop about a call ringing (the in-window
// banner is drawn by the calls view).
func (u *App) notifyIncoming(e softphone.CallIncomingEvent) {
	u.fyneApp.SendNotification(fyne.NewNotification(u.T("notify.incoming.title"), u.partyName(e.From)))
}

// notifyEnded tells the desktop about a missed call.
func (u *App) notifyEnded(e softphone.CallEndedEvent) {
	if e.Call == nil || e.Call.Direction() != softphone.Incoming {
		return
	}
	select {
	case <-e.Call.Answered():
		return
	default:
	}
	if e.Reason == softphone.EndRemoteHangup || e.Reason == softphone.EndCancelled || e.Reason == softphone.EndTimeout {
		u.fyneApp.SendNotification(fyne.NewNotification(u.T("notify.missed.title"), u.partyName(e.Call.Remote())))
	}
}

// partyName is how a caller is shown: the contact's name (looked up when
// the engine reported the party) and the number, or what the call announced.
func (u *App) partyName(p softphone.Party) string {
	number := callerNumber(p)
	if name := u.names[number]; name != "" {
		return name + " (" + numberLabel(number) + ")"
	}
	if p.DisplayName != "" {
		return p.DisplayName + " (" + numberLabel(number) + ")"
	}
	return numberLabel(number)
}

// callerNumber is the canonical number of a party, or its URI.
func callerNumber(p softphone.Party) string {
	if n := normalizedOrEmpty(p.User); n != "" {
		return n
	}
	if p.URI != "" {
		return p.URI
	}
	return p.User
}

// notifyVoicemail tells the desktop about new voicemail.
func (u *App) notifyVoicemail(n int) {
	u.fyneApp.SendNotification(fyne.NewNotification(u.T("notify.voicemail.title"), u.Tn("status.mwi", n)))
}

// showCallError shows why a call command failed.
func (u *App) showCallError(err error) { u.showDialogError(err) }
