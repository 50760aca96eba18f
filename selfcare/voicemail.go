package selfcare

import (
	"fmt"
	"strings"
	"time"
)

// Voicemail limits.
const (
	MaxGreetings            = 5
	MaxGreetingDuration     = 2 * time.Minute
	MaxGreetingFileSize     = 20 << 20 // bytes
	DefaultMaxMessageLength = 3 * time.Minute
	DefaultMailboxCapacity  = 50 // messages
)

// Notifications are the events a voicemail can notify by email or SMS.
type Notifications struct {
	CallWithoutMessage bool `json:"call_without_message"`
	MessageDeposited   bool `json:"message_deposited"`
	Transcription      bool `json:"transcription"`
	MailboxFull        bool `json:"mailbox_full"`
}

// VoicemailSettings are the "Paramètre de la messagerie vocale" of one line.
type VoicemailSettings struct {
	Line             LineKind
	EmailCopy        bool   // send a copy of each message to EmailCopyAddress
	EmailCopyAddress string // the extra address ("adresse email complémentaire")
	PIN              string // 4 to 8 digits, empty when access is not locked
	DirectAccess     bool   // reach new messages directly from AccessNumber
	AccessNumber     string // number that gives direct access ("numéro d'accès")
	AlwaysAskPIN     bool   // "toujours demander le code d'accès"
	RecordMessages   bool   // "enregistrement des messages", on by default
	EmailNotify      Notifications
	SMSNotify        Notifications
	SMSNumber        string
	MaxMessage       time.Duration
	Capacity         int
}

// DefaultVoicemailSettings returns the settings a line starts with.
func DefaultVoicemailSettings(line LineKind) VoicemailSettings {
	return VoicemailSettings{
		Line: line, RecordMessages: true, AlwaysAskPIN: true,
		EmailNotify: Notifications{MessageDeposited: true, MailboxFull: true},
		MaxMessage:  DefaultMaxMessageLength, Capacity: DefaultMailboxCapacity,
	}
}

// Validate checks the settings form.
func (s VoicemailSettings) Validate() (VoicemailSettings, error) {
	if !s.Line.Valid() {
		return s, Errorf(CodeLineInvalid, "line", string(s.Line))
	}
	s.EmailCopyAddress = strings.TrimSpace(s.EmailCopyAddress)
	if s.EmailCopy {
		if err := ValidateEmail("email_copy", s.EmailCopyAddress); err != nil {
			return s, err
		}
	}
	if s.PIN != "" || s.AlwaysAskPIN {
		if err := validatePIN("pin", s.PIN); err != nil {
			return s, err
		}
	}
	if s.DirectAccess {
		n, _, err := NormalizeNumber("access_number", s.AccessNumber)
		if err != nil {
			return s, err
		}
		s.AccessNumber = n
	}
	if s.SMSNotify != (Notifications{}) {
		if s.Line != LineMobile {
			return s, Errorf(CodeSMSMobileOnly, "sms")
		}
		n, _, err := NormalizeNumber("sms_number", s.SMSNumber)
		if err != nil {
			return s, err
		}
		s.SMSNumber = n
	}
	if s.MaxMessage < 10*time.Second || s.MaxMessage > 10*time.Minute {
		return s, Errorf(CodeOutOfRange, "max_message", 10, 600)
	}
	if s.Capacity < 1 || s.Capacity > 1000 {
		return s, Errorf(CodeOutOfRange, "capacity", 1, 1000)
	}
	return s, nil
}

// Greeting is one recorded or uploaded announcement ("annonce").
type Greeting struct {
	ID       int64
	Line     LineKind
	Name     string
	Path     string // relative to the data folder
	Duration time.Duration
	InUse    bool // "utiliser comme annonce": exactly one per line, or none for the default
	Created  time.Time
}

// ValidateGreeting checks a new or renamed greeting against the others of
// its line (count excluded when renaming).
func ValidateGreeting(g Greeting, others []Greeting) error {
	name := strings.TrimSpace(g.Name)
	if name == "" {
		return Errorf(CodeRequired, "name")
	}
	if len([]rune(name)) > 40 {
		return Errorf(CodeTooLong, "name", 40)
	}
	if g.Duration <= 0 || g.Duration > MaxGreetingDuration {
		return Errorf(CodeGreetingTooLong, "file", int(MaxGreetingDuration.Seconds()))
	}
	count := 0
	for _, o := range others {
		if o.ID == g.ID {
			continue
		}
		count++
		if strings.EqualFold(strings.TrimSpace(o.Name), name) {
			return Errorf(CodeGreetingNameTaken, "name", name)
		}
	}
	if g.ID == 0 && count >= MaxGreetings {
		return Errorf(CodeGreetingLimit, "file", MaxGreetings)
	}
	return nil
}

// TranscriptionState tracks the speech-to-text of a message.
type TranscriptionState string

// Transcription states shown next to a message.
const (
	TranscriptionNone        TranscriptionState = ""
	TranscriptionPending     TranscriptionState = "pending"
	TranscriptionDone        TranscriptionState = "done"
	TranscriptionUnavailable TranscriptionState = "unavailable"
)

// VoicemailMessage is one message left by a caller.
type VoicemailMessage struct {
	ID                 int64
	Line               LineKind
	Caller             string // canonical number or SIP URI of the caller
	CallerName         string // as announced in the call, if any
	At                 time.Time
	Duration           time.Duration
	Path               string // WAV, relative to the data folder
	Read               bool
	Transcription      string
	TranscriptionState TranscriptionState
	Deleted            bool // in the bin until the undo delay passes
}

// MessageSummary renders the RFC 3842 message-summary body of a mailbox
// for account (e.g. "sip:4021@example.fr"): what a NOTIFY to a desk phone
// carries so that its message-waiting lamp and count show the same state
// as the window.
func MessageSummary(account string, newCount, oldCount int) string {
	waiting := "no"
	if newCount > 0 {
		waiting = "yes"
	}
	return fmt.Sprintf("Messages-Waiting: %s\r\nMessage-Account: %s\r\nVoice-Message: %d/%d (0/0)\r\n",
		waiting, account, newCount, oldCount)
}
