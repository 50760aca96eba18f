package voicemail

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
	"github.com/ligne-app/ligne/internal/peers"
	"github.com/ligne-app/ligne/internal/testkeyring"
	"github.com/ligne-app/ligne/secrets"
	"github.com/ligne-app/ligne/selfcare"
)

// mailbox is a real SMTP server (emersion/go-smtp) on loopback that keeps
// what it receives, with PLAIN authentication.
type smtpSink struct {
	mu       sync.Mutex
	user, pw string
	mails    []receivedMail
	srv      *smtp.Server
}

type receivedMail struct {
	from string
	to   []string
	data []byte
	auth string
}

func (s *smtpSink) NewSession(*smtp.Conn) (smtp.Session, error) { return &smtpSession{sink: s}, nil }

type smtpSession struct {
	sink *smtpSink
	m    receivedMail
}

func (s *smtpSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *smtpSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pw string) error {
		if user != s.sink.user || pw != s.sink.pw {
			return errors.New("bad credentials")
		}
		s.m.auth = user
		return nil
	}), nil
}

func (s *smtpSession) Mail(from string, _ *smtp.MailOptions) error { s.m.from = from; return nil }
func (s *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.m.to = append(s.m.to, to)
	return nil
}
func (s *smtpSession) Reset()        {}
func (s *smtpSession) Logout() error { return nil }

func (s *smtpSession) Data(r io.Reader) error {
	if s.m.auth == "" {
		return errors.New("authentication required")
	}
	b, err := io.ReadAll(r)
	s.m.data = b
	s.sink.mu.Lock()
	s.sink.mails = append(s.sink.mails, s.m)
	s.sink.mu.Unlock()
	return err
}

// startSMTP serves on port until the test ends.
func startSMTP(t *testing.T, port int, user, pw string) *smtpSink {
	t.Helper()
	sink := &smtpSink{user: user, pw: pw}
	sink.srv = smtp.NewServer(sink)
	sink.srv.Domain, sink.srv.AllowInsecureAuth = "localhost", true
	l, err := net.Listen("tcp", peers.HostPort(port))
	if err != nil {
		t.Fatal(err)
	}
	go sink.srv.Serve(l)
	t.Cleanup(func() { sink.srv.Close() })
	return sink
}

func (s *smtpSink) received() []receivedMail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]receivedMail(nil), s.mails...)
}

// fakeClock is a settable clock for the outbox's backoff.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type fixedText string

func (f fixedText) Transcribe(context.Context, string) (string, error) { return string(f), nil }

// TestNotificationsReachSMTPAndSMSGateway: a message on the mobile line
// sends an email with the WAV attached (caller, date and transcription in
// the body), its email copy, and an SMS through the HTTP gateway. The
// first attempt finds no SMTP server: the emails stay queued and go out
// at the next attempt; the SMTP password comes from the keyring.
func TestNotificationsReachSMTPAndSMSGateway(t *testing.T) {
	testkeyring.Start(t)
	clock := &fakeClock{t: time.Date(2026, 3, 10, 9, 30, 0, 0, time.Local)}
	dir, smtpPort := t.TempDir(), peers.FreePort(t)
	db := openStore(t, dir)
	m := New(Config{Store: db, Dir: dir, Secrets: secrets.Keyring{}, Transcriber: fixedText("rappelez-moi demain"),
		Now: clock.now, Logger: testLogger(t)})
	t.Cleanup(m.Close)
	sms := startGateway(t)
	configureNotifications(t, m, smtpPort, sms.URL)

	msg := storedMessage(t, m, selfcare.LineMobile)
	m.afterDeposit(msg)
	m.wg.Wait() // transcription, then the notifications are queued
	if sent, failed := m.Flush(gctx(t)); sent != 1 || failed != 2 {
		t.Fatalf("first attempt without SMTP server: %d sent, %d failed; want the SMS sent, 2 emails kept", sent, failed)
	}
	items, _ := db.Outbox(gctx(t), time.Time{})
	if len(items) != 2 || items[0].Attempts != 1 || !items[0].NextAt.After(clock.now()) {
		t.Fatalf("outbox after a failed send: %+v", items)
	}
	srv := startSMTP(t, smtpPort, "ligne", "s3cret-from-keyring")
	clock.add(time.Minute)
	if sent, failed := m.Flush(gctx(t)); sent != 2 || failed != 0 {
		t.Fatalf("retry: %d sent, %d failed", sent, failed)
	}
	assertEmails(t, srv.received(), m.Path(msg.Path))
	assertSMS(t, sms.bodies())
}

func configureNotifications(t *testing.T, m *Machine, smtpPort int, smsURL string) {
	t.Helper()
	s := selfcare.DefaultVoicemailSettings(selfcare.LineMobile)
	s.PIN, s.EmailCopy, s.EmailCopyAddress = "1234", true, "assistant@example.com"
	s.EmailNotify = selfcare.Notifications{MessageDeposited: true, Transcription: true}
	s.SMSNotify, s.SMSNumber = selfcare.Notifications{MessageDeposited: true, Transcription: true}, "06 12 34 56 78"
	if _, err := m.st.SetVoicemailSettings(gctx(t), s); err != nil {
		t.Fatal(err)
	}
	sys := DefaultSystem()
	sys.NotifyEmail = "claire@example.com"
	sys.SMTP = SMTP{Host: "127.0.0.1", Port: smtpPort, Security: SecurityNone, User: "ligne", From: "messagerie@example.com"}
	sys.SMS.URL, sys.SMS.AuthHeader = smsURL+"/send?key={{.Token}}", "Bearer {{.Token}}"
	if _, err := m.SaveSystem(gctx(t), sys, "s3cret-from-keyring", "tok-42"); err != nil {
		t.Fatal(err)
	}
	if raw, _ := m.st.Setting(gctx(t), SettingSystem); strings.Contains(raw, "s3cret") || strings.Contains(raw, "tok-42") {
		t.Fatalf("a secret was saved in the database: %s", raw)
	}
}

// storedMessage stores a finished message with a real WAV file.
func storedMessage(t *testing.T, m *Machine, line selfcare.LineKind) selfcare.VoicemailMessage {
	t.Helper()
	if err := mkdirAll(m.Path(MessagesDir)); err != nil {
		t.Fatal(err)
	}
	rel := MessagesDir + "/msg-" + randomName() + ".wav"
	if err := peers.WriteWAV(m.Path(rel), Rate, peers.Sine(Rate, 440, 0.3, 2)); err != nil {
		t.Fatal(err)
	}
	msg, err := m.st.BeginMessage(gctx(t), selfcare.VoicemailMessage{Line: line, Caller: "+33102030405",
		CallerName: "Jean Dupont", At: m.now(), Path: rel})
	if err != nil {
		t.Fatal(err)
	}
	msg.Duration, msg.TranscriptionState = 2*time.Second, selfcare.TranscriptionPending
	if err := m.st.FinishMessage(gctx(t), msg.ID, msg.Duration, msg.TranscriptionState); err != nil {
		t.Fatal(err)
	}
	return msg
}

func assertEmails(t *testing.T, mails []receivedMail, wav string) {
	t.Helper()
	want, _ := os.ReadFile(wav)
	to := map[string]bool{}
	for _, ml := range mails {
		to[ml.to[0]] = true
		body, attachment := parseMail(t, ml.data)
		for _, s := range []string{"Jean Dupont", "+33102030405", "10/03/2026", "09:30", "rappelez-moi demain"} {
			if !strings.Contains(body, s) {
				t.Fatalf("email to %v: body lacks %q:\n%s", ml.to, s, body)
			}
		}
		if !bytes.Equal(attachment, want) {
			t.Fatalf("email to %v: attachment of %d bytes, want the %d-byte WAV", ml.to, len(attachment), len(want))
		}
	}
	if !to["claire@example.com"] || !to["assistant@example.com"] {
		t.Fatalf("emails went to %v, want the line's address and the copy", to)
	}
}

// parseMail returns the text part and the attachment of a MIME message.
func parseMail(t *testing.T, data []byte) (string, []byte) {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	_, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		t.Fatal(err)
	}
	var body string
	var att []byte
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err != nil {
			break
		}
		b, _ := io.ReadAll(decodePart(p))
		if p.FileName() != "" {
			att = b
		} else {
			body = string(b)
		}
	}
	return body, att
}

func decodePart(p *multipart.Part) io.Reader {
	if strings.EqualFold(p.Header.Get("Content-Transfer-Encoding"), "base64") {
		return base64Reader(p)
	}
	return p
}

// gateway is a local HTTP server standing for an SMS provider.
type gateway struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []string
}

func startGateway(t *testing.T) *gateway {
	g := &gateway{}
	g.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		g.mu.Lock()
		g.reqs = append(g.reqs, r.URL.RawQuery+"|"+r.Header.Get("Authorization")+"|"+string(b))
		g.mu.Unlock()
		w.WriteHeader(http.StatusAccepted)
	}))
	t.Cleanup(g.Close)
	return g
}

func (g *gateway) bodies() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]string(nil), g.reqs...)
}

func assertSMS(t *testing.T, reqs []string) {
	t.Helper()
	if len(reqs) != 1 {
		t.Fatalf("gateway got %d requests, want 1", len(reqs))
	}
	parts := strings.SplitN(reqs[0], "|", 3)
	var body struct{ To, Text string }
	if err := json.Unmarshal([]byte(parts[2]), &body); err != nil {
		t.Fatalf("SMS body %q: %v", parts[2], err)
	}
	if parts[0] != "key=tok-42" || parts[1] != "Bearer tok-42" || body.To != "+33612345678" ||
		!strings.Contains(body.Text, "Jean Dupont") || !strings.Contains(body.Text, "rappelez-moi demain") {
		t.Fatalf("SMS request: %q", reqs[0])
	}
	t.Logf("SMS sent: %s", body.Text)
}
