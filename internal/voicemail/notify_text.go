package voicemail

import (
	"fmt"
	"strings"
	"time"
)

// noticeTexts are the words of emails and SMS in one language.
type noticeTexts struct {
	lang                      string
	deposited, none, full     string // subjects, %s = caller
	caller, date, dur, text   string // body labels
	bodyNone, bodyFull, attch string
	smsDeposited              string // %s caller, %s date, %s duration
	smsNone, smsFull          string // %s caller, %s date
	dateLayout                string
}

var textsFR = noticeTexts{lang: "fr",
	deposited: "Nouveau message vocal de %s", none: "Appel sans message de %s", full: "Messagerie pleine : appel de %s",
	caller: "Appelant", date: "Date", dur: "Durée", text: "Transcription",
	bodyNone:     "Votre correspondant a joint votre messagerie sans laisser de message.",
	bodyFull:     "Votre messagerie est pleine : votre correspondant n'a pas pu laisser de message. Supprimez des messages pour en recevoir de nouveaux.",
	attch:        "Le message est joint à cet email (fichier WAV).",
	smsDeposited: "Nouveau message vocal de %s le %s (%s).", smsNone: "Appel sans message de %s le %s.",
	smsFull: "Messagerie pleine : %s n'a pas pu laisser de message le %s.", dateLayout: "02/01/2006 à 15:04"}

var textsEN = noticeTexts{lang: "en",
	deposited: "New voice message from %s", none: "Call without a message from %s", full: "Mailbox full: call from %s",
	caller: "Caller", date: "Date", dur: "Duration", text: "Transcription",
	bodyNone:     "Someone reached your voicemail and left no message.",
	bodyFull:     "Your mailbox is full: the caller could not leave a message. Delete messages to receive new ones.",
	attch:        "The message is attached to this email (WAV file).",
	smsDeposited: "New voice message from %s on %s (%s).", smsNone: "Call without a message from %s on %s.",
	smsFull: "Mailbox full: %s could not leave a message on %s.", dateLayout: "Jan 2, 2006 at 15:04"}

func texts(lang string) noticeTexts {
	if lang == "en" {
		return textsEN
	}
	return textsFR
}

// who names the caller: "Name (number)" or the number.
func (t noticeTexts) who(n Notice) string {
	num := n.Caller
	if num == "" {
		num = map[string]string{"fr": "un numéro masqué", "en": "a hidden number"}[t.lang]
	}
	if n.CallerName != "" {
		return n.CallerName + " (" + num + ")"
	}
	return num
}

func (t noticeTexts) subject(n Notice) string {
	switch n.Event {
	case EventNoMessage:
		return fmt.Sprintf(t.none, t.who(n))
	case EventMailboxFull:
		return fmt.Sprintf(t.full, t.who(n))
	}
	return fmt.Sprintf(t.deposited, t.who(n))
}

// body is the plain-text email body: caller and date always.
func (t noticeTexts) body(n Notice, withText bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s%s %s\n%s%s %s\n", t.caller, t.colon(), t.who(n), t.date, t.colon(), n.At.Local().Format(t.dateLayout))
	switch n.Event {
	case EventDeposited:
		fmt.Fprintf(&b, "%s%s %s\n\n", t.dur, t.colon(), clock(n.Duration))
		if withText && n.Transcription != "" {
			fmt.Fprintf(&b, "%s%s « %s »\n\n", t.text, t.colon(), n.Transcription)
		}
		b.WriteString(t.attch + "\n")
	case EventNoMessage:
		b.WriteString("\n" + t.bodyNone + "\n")
	case EventMailboxFull:
		b.WriteString("\n" + t.bodyFull + "\n")
	}
	return b.String()
}

func (t noticeTexts) colon() string {
	if t.lang == "en" {
		return ":"
	}
	return " :"
}

// sms is the SMS text.
func (t noticeTexts) sms(n Notice, withText bool) string {
	date := n.At.Local().Format(t.dateLayout)
	switch n.Event {
	case EventNoMessage:
		return fmt.Sprintf(t.smsNone, t.who(n), date)
	case EventMailboxFull:
		return fmt.Sprintf(t.smsFull, t.who(n), date)
	}
	s := fmt.Sprintf(t.smsDeposited, t.who(n), date, clock(n.Duration))
	if withText && n.Transcription != "" {
		s += " « " + n.Transcription + " »"
	}
	return s
}

// clock renders a duration as m:ss.
func clock(d time.Duration) string {
	s := int(d.Round(time.Second).Seconds())
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}
