package voicemail

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"github.com/ligne-app/ligne/selfcare"
	mail "github.com/wneessen/go-mail"
)

// sendEmail sends one email (with the message attached when asked).
func (m *Machine) sendEmail(ctx context.Context, sys System, o outgoing) error {
	if !sys.SMTPConfigured() {
		return selfcare.Errorf(selfcare.CodeSMTPNotConfigured, "smtp")
	}
	msg, err := m.composeEmail(sys, o)
	if err != nil {
		return err
	}
	c, err := mail.NewClient(sys.SMTP.Host, m.smtpOptions(sys.SMTP)...)
	if err != nil {
		return fmt.Errorf("smtp %s: %w", sys.SMTP.Host, err)
	}
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		return selfcare.Errorf(selfcare.CodeSMTPFailed, "smtp", sys.SMTP.Host, err.Error())
	}
	return nil
}

// smtpOptions turns the settings into go-mail options; the password comes
// from the keyring.
func (m *Machine) smtpOptions(s SMTP) []mail.Option {
	opts := []mail.Option{mail.WithPort(s.Port), mail.WithTimeout(30 * time.Second)}
	switch s.Security {
	case SecurityTLS:
		opts = append(opts, mail.WithSSL())
	case SecurityNone:
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
	default:
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
	}
	if s.User == "" {
		return opts
	}
	auth := mail.SMTPAuthPlain
	if s.Security == SecurityNone {
		auth = mail.SMTPAuthPlainNoEnc
	}
	return append(opts, mail.WithSMTPAuth(auth), mail.WithUsername(s.User), mail.WithPassword(m.secret(SecretSMTP)))
}

// composeEmail builds the message: subject and body in the voicemail's
// language, the WAV attached for a deposited message.
func (m *Machine) composeEmail(sys System, o outgoing) (*mail.Msg, error) {
	t := texts(sys.Language)
	msg := mail.NewMsg()
	if err := msg.From(sys.SMTP.From); err != nil {
		return nil, selfcare.Errorf(selfcare.CodeEmailInvalid, "smtp.from", sys.SMTP.From)
	}
	if err := msg.To(o.To...); err != nil {
		return nil, selfcare.Errorf(selfcare.CodeEmailInvalid, "to", strings.Join(o.To, ", "))
	}
	msg.Subject(t.subject(o.Notice))
	msg.SetDateWithValue(m.now())
	msg.SetBodyString(mail.TypeTextPlain, t.body(o.Notice, o.Text))
	if o.Attach && o.Notice.Path != "" {
		msg.AttachFile(m.Path(o.Notice.Path), mail.WithFileName(attachmentName(o.Notice)),
			mail.WithFileContentType("audio/wav"))
	}
	return msg, nil
}

func attachmentName(n Notice) string {
	return "message-" + n.At.Format("2006-01-02-150405") + filepath.Ext(n.Path)
}

// sendSMS posts one SMS to the gateway.
func (m *Machine) sendSMS(ctx context.Context, sys System, o outgoing) error {
	if !sys.SMSConfigured() {
		return selfcare.Errorf(selfcare.CodeSMSFailed, "sms", "no gateway")
	}
	t := texts(sys.Language)
	f := smsFields{To: strings.Join(o.To, ","), Text: t.sms(o.Notice, o.Text), Caller: o.Notice.Caller,
		Event: o.Notice.Event, Token: m.secret(SecretSMS)}
	req, err := m.smsRequest(ctx, sys.SMS, f)
	if err != nil {
		return err
	}
	res, err := m.cfg.HTTP.Do(req)
	if err != nil {
		return selfcare.Errorf(selfcare.CodeSMSFailed, "sms", err.Error())
	}
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
	if res.StatusCode/100 != 2 {
		return selfcare.Errorf(selfcare.CodeSMSFailed, "sms", res.Status)
	}
	return nil
}

// smsRequest expands the gateway's templates into a POST.
func (m *Machine) smsRequest(ctx context.Context, g SMSGateway, f smsFields) (*http.Request, error) {
	url, err := renderTemplate(g.URL, f)
	if err != nil {
		return nil, selfcare.Errorf(selfcare.CodeSMSTemplateInvalid, "sms.url", templateReason(err))
	}
	body, err := renderTemplate(g.Body, f)
	if err != nil {
		return nil, selfcare.Errorf(selfcare.CodeSMSTemplateInvalid, "sms.body", templateReason(err))
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		return nil, selfcare.Errorf(selfcare.CodeURLInvalid, "sms.url", g.URL)
	}
	req.Header.Set("Content-Type", g.ContentType)
	if g.AuthHeader != "" {
		auth, err := renderTemplate(g.AuthHeader, f)
		if err != nil {
			return nil, selfcare.Errorf(selfcare.CodeSMSTemplateInvalid, "sms.auth_header", templateReason(err))
		}
		req.Header.Set("Authorization", auth)
	}
	return req, nil
}
