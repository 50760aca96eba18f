package voicemail

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"text/template"

	"github.com/ligne-app/ligne/selfcare"
)

// SettingSystem is the settings key (SettingsService) holding System as JSON.
const SettingSystem = "voicemail.system"

// Keyring keys of the voicemail's secrets.
const (
	// SecretSMTP is where the SMTP password lives in the keyring.
	SecretSMTP = "voicemail:smtp"
	// SecretSMS is where the SMS gateway token lives ({{.Token}}).
	SecretSMS = "voicemail:sms-gateway"
)

// SMTP security modes.
const (
	SecurityStartTLS = "starttls"
	SecurityTLS      = "tls"
	SecurityNone     = "none"
)

// DefaultTranscribeCommand runs Debian's pocketsphinx with its US English
// model; {wav} is a 16 kHz mono WAV of the message.
const DefaultTranscribeCommand = "pocketsphinx_continuous -infile {wav} -logfn /dev/null"

// DefaultSMSBody is a JSON body most HTTP SMS APIs accept with small changes.
const DefaultSMSBody = `{"to": {{json .To}}, "text": {{json .Text}}}`

// System is what the voicemail needs beyond the guide's per-line settings:
// the language of the prompts and default greeting, the mail server, the
// SMS gateway and the transcription command. The secrets (SMTP password,
// gateway token) are in the keyring, never here.
type System struct {
	Language    string        `json:"language"`     // "fr" or "en": prompts and default greeting
	NotifyEmail string        `json:"notify_email"` // the line's address; the profile user's when empty
	SMTP        SMTP          `json:"smtp"`
	SMS         SMSGateway    `json:"sms"`
	Transcribe  Transcription `json:"transcription"`
}

// SMTP is the outgoing mail server.
type SMTP struct {
	Host     string `json:"host"`
	Port     int    `json:"port"`
	Security string `json:"security"` // starttls, tls or none
	User     string `json:"user"`
	From     string `json:"from"`
}

// SMSGateway is any SMS provider's HTTP API: a POST of Body (a Go
// text/template) to URL. Templates see .To, .Text, .Caller, .Event and
// .Token; the function json quotes a JSON string, urlquery escapes for
// a URL.
type SMSGateway struct {
	URL         string `json:"url"`
	ContentType string `json:"content_type"`
	Body        string `json:"body"`
	// AuthHeader, when set, is sent as "Authorization: <AuthHeader>" after
	// template expansion (e.g. "Bearer {{.Token}}").
	AuthHeader string `json:"auth_header"`
}

// Transcription is the speech-to-text engine: a local command.
type Transcription struct {
	Enabled bool   `json:"enabled"`
	Command string `json:"command"` // {wav} is replaced by the 16 kHz WAV's path
}

// DefaultSystem is what a fresh workspace starts with.
func DefaultSystem() System {
	return System{Language: selfcare.LangFrench,
		SMTP:       SMTP{Port: 587, Security: SecurityStartTLS},
		SMS:        SMSGateway{ContentType: "application/json", Body: DefaultSMSBody},
		Transcribe: Transcription{Enabled: true, Command: DefaultTranscribeCommand}}
}

// SMTPConfigured reports whether mail can be sent.
func (s System) SMTPConfigured() bool { return s.SMTP.Host != "" && s.SMTP.From != "" }

// SMSConfigured reports whether an SMS gateway is set.
func (s System) SMSConfigured() bool { return s.SMS.URL != "" }

// Validate checks the form and fills the defaults; the error is a
// *selfcare.Error naming the field at fault.
func (s System) Validate() (System, error) {
	s = trimSystem(s)
	if s.Language != selfcare.LangFrench && s.Language != selfcare.LangEnglish {
		return s, selfcare.Errorf(selfcare.CodeChoiceInvalid, "language", s.Language)
	}
	if s.NotifyEmail != "" {
		if err := selfcare.ValidateEmail("notify_email", s.NotifyEmail); err != nil {
			return s, err
		}
	}
	var err error
	if s.SMTP, err = validateSMTP(s.SMTP); err != nil {
		return s, err
	}
	if err := validateSMS(s.SMS); err != nil {
		return s, err
	}
	return s, validateCommand(s.Transcribe)
}

func trimSystem(s System) System {
	for _, p := range []*string{&s.Language, &s.NotifyEmail, &s.SMTP.Host, &s.SMTP.Security, &s.SMTP.User,
		&s.SMTP.From, &s.SMS.URL, &s.SMS.ContentType, &s.Transcribe.Command, &s.SMS.AuthHeader} {
		*p = strings.TrimSpace(*p)
	}
	if s.Language == "" {
		s.Language = selfcare.LangFrench
	}
	if s.SMTP.Security == "" {
		s.SMTP.Security = SecurityStartTLS
	}
	if s.SMS.ContentType == "" {
		s.SMS.ContentType = "application/json"
	}
	if strings.TrimSpace(s.SMS.Body) == "" {
		s.SMS.Body = DefaultSMSBody
	}
	return s
}

func validateSMTP(m SMTP) (SMTP, error) {
	if m.Host == "" && m.From == "" {
		return m, nil
	}
	if m.Host == "" || strings.ContainsAny(m.Host, " /:@") || net.ParseIP(m.Host) == nil && !validHostName(m.Host) {
		return m, selfcare.Errorf(selfcare.CodeHostPortInvalid, "smtp.host", m.Host)
	}
	if m.Port == 0 {
		m.Port = defaultPort(m.Security)
	}
	if m.Port < 1 || m.Port > 65535 {
		return m, selfcare.Errorf(selfcare.CodeOutOfRange, "smtp.port", 1, 65535)
	}
	if m.Security != SecurityStartTLS && m.Security != SecurityTLS && m.Security != SecurityNone {
		return m, selfcare.Errorf(selfcare.CodeSecurityInvalid, "smtp.security", m.Security)
	}
	if m.From == "" {
		return m, selfcare.Errorf(selfcare.CodeRequired, "smtp.from")
	}
	return m, selfcare.ValidateEmail("smtp.from", m.From)
}

func defaultPort(security string) int {
	switch security {
	case SecurityTLS:
		return 465
	case SecurityNone:
		return 25
	}
	return 587
}

func validHostName(h string) bool {
	for _, label := range strings.Split(h, ".") {
		if label == "" || len(label) > 63 || strings.HasPrefix(label, "-") || strings.HasSuffix(label, "-") {
			return false
		}
		for _, r := range label {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
				return false
			}
		}
	}
	return true
}

func validateSMS(g SMSGateway) error {
	if g.URL == "" {
		return nil
	}
	u, err := url.Parse(strings.ReplaceAll(strings.ReplaceAll(g.URL, "{{", ""), "}}", ""))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return selfcare.Errorf(selfcare.CodeURLInvalid, "sms.url", g.URL)
	}
	for field, text := range map[string]string{"sms.url": g.URL, "sms.body": g.Body, "sms.auth_header": g.AuthHeader} {
		if _, err := renderTemplate(text, smsFields{To: "+33600000000", Text: "test"}); err != nil {
			return selfcare.Errorf(selfcare.CodeSMSTemplateInvalid, field, templateReason(err))
		}
	}
	return nil
}

// templateReason keeps the useful end of a template error.
func templateReason(err error) string {
	msg := err.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 {
		return msg[i+2:]
	}
	return msg
}

func validateCommand(t Transcription) error {
	if !t.Enabled && t.Command == "" {
		return nil
	}
	args, err := splitCommand(t.Command)
	if err != nil {
		return selfcare.Errorf(selfcare.CodeCommandInvalid, "transcription.command", err.Error())
	}
	if len(args) == 0 {
		return selfcare.Errorf(selfcare.CodeRequired, "transcription.command")
	}
	if !strings.Contains(t.Command, "{wav}") {
		return selfcare.Errorf(selfcare.CodeCommandInvalid, "transcription.command", "{wav}")
	}
	return nil
}

// smsFields are what SMS templates see.
type smsFields struct {
	To, Text, Caller, Event, Token string
}

func renderTemplate(text string, f smsFields) (string, error) {
	t, err := template.New("sms").Option("missingkey=error").Funcs(template.FuncMap{"json": jsonString}).Parse(text)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	if err := t.Execute(&b, f); err != nil {
		return "", err
	}
	return b.String(), nil
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// SettingsStore is where System is kept.
type SettingsStore interface {
	Setting(ctx context.Context, key string) (string, error)
	SetSetting(ctx context.Context, key, value string) error
}

// LoadSystem reads System (defaults when never saved).
func LoadSystem(ctx context.Context, st SettingsStore) (System, error) {
	s := DefaultSystem()
	raw, err := st.Setting(ctx, SettingSystem)
	if err != nil && selfcare.ErrorCode(err) != selfcare.CodeNotFound {
		return s, fmt.Errorf("load voicemail system: %w", err)
	}
	if raw == "" {
		return s, nil
	}
	if err := json.Unmarshal([]byte(raw), &s); err != nil {
		return DefaultSystem(), fmt.Errorf("load voicemail system: %w", err)
	}
	return s, nil
}

// SaveSystem validates and saves System; nothing changes on error.
func SaveSystem(ctx context.Context, st SettingsStore, s System) (System, error) {
	s, err := s.Validate()
	if err != nil {
		return s, err
	}
	b, err := json.Marshal(s)
	if err != nil {
		return s, fmt.Errorf("save voicemail system: %w", err)
	}
	if err := st.SetSetting(ctx, SettingSystem, string(b)); err != nil {
		return s, fmt.Errorf("save voicemail system: %w", err)
	}
	return s, nil
}

// splitCommand splits a command line on spaces, honouring double and
// single quotes.
func splitCommand(s string) ([]string, error) {
	var out []string
	var cur strings.Builder
	quote, inWord := rune(0), false
	for _, r := range s {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			cur.WriteRune(r)
		case r == '"' || r == '\'':
			quote, inWord = r, true
		case r == ' ' || r == '\t':
			if inWord {
				out, inWord = append(out, cur.String()), false
				cur.Reset()
			}
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if quote != 0 {
		return nil, errors.New("unclosed quote")
	}
	if inWord {
		out = append(out, cur.String())
	}
	return out, nil
}
