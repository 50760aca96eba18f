package voicemail

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/ligne-app/ligne/assets"
	"github.com/ligne-app/ligne/selfcare"
)

// TestSystemValidation: each bad setting is refused with its code and
// field, and nothing is saved.
func TestSystemValidation(t *testing.T) {
	db := openStore(t, t.TempDir())
	ok := DefaultSystem()
	ok.SMTP = SMTP{Host: "smtp.example.fr", Security: SecurityTLS, From: "messagerie@example.fr"}
	ok.SMS.URL = "https://sms.example.fr/v1/send?key={{urlquery .Token}}"
	saved, err := SaveSystem(context.Background(), db, ok)
	if err != nil || saved.SMTP.Port != 465 {
		t.Fatalf("valid settings: %+v %v", saved.SMTP, err)
	}
	cases := []struct {
		name  string
		edit  func(*System)
		code  selfcare.Code
		field string
	}{
		{"host with a scheme", func(s *System) { s.SMTP.Host = "smtp://x" }, selfcare.CodeHostPortInvalid, "smtp.host"},
		{"unknown security", func(s *System) { s.SMTP.Security = "ssl3" }, selfcare.CodeSecurityInvalid, "smtp.security"},
		{"bad sender", func(s *System) { s.SMTP.From = "messagerie" }, selfcare.CodeEmailInvalid, "smtp.from"},
		{"port out of range", func(s *System) { s.SMTP.Port = 70000 }, selfcare.CodeOutOfRange, "smtp.port"},
		{"gateway not http", func(s *System) { s.SMS.URL = "ftp://sms.example.fr" }, selfcare.CodeURLInvalid, "sms.url"},
		{"template typo", func(s *System) { s.SMS.Body = `{"to": {{json .Tel}}}` }, selfcare.CodeSMSTemplateInvalid, "sms.body"},
		{"command without {wav}", func(s *System) { s.Transcribe.Command = "whisper-cli -m model.bin" }, selfcare.CodeCommandInvalid, "transcription.command"},
		{"language", func(s *System) { s.Language = "de" }, selfcare.CodeChoiceInvalid, "language"},
	}
	for _, c := range cases {
		s := saved
		c.edit(&s)
		_, err := SaveSystem(context.Background(), db, s)
		var e *selfcare.Error
		if !asError(err, &e) || e.Code != c.code || e.Field != c.field {
			t.Fatalf("%s: got %v, want %s on %s", c.name, err, c.code, c.field)
		}
		if now, _ := LoadSystem(context.Background(), db); now != saved {
			t.Fatalf("%s: settings changed to %+v", c.name, now)
		}
	}
}

func asError(err error, e **selfcare.Error) bool {
	if err == nil {
		return false
	}
	v, ok := err.(*selfcare.Error)
	*e = v
	return ok
}

// TestNeedsPIN applies "accès direct" and "toujours demander le code".
func TestNeedsPIN(t *testing.T) {
	s := selfcare.VoicemailSettings{PIN: "1234", DirectAccess: true, AccessNumber: "+33612345678"}
	if needsPIN(s, "+33612345678") {
		t.Fatal("direct access from the access number should skip the PIN")
	}
	if !needsPIN(s, "+33102030405") || !needsPIN(s, "") {
		t.Fatal("other callers must give the PIN")
	}
	s.AlwaysAskPIN = true
	if !needsPIN(s, "+33612345678") {
		t.Fatal("'toujours demander le code' must ask even from the access number")
	}
	if needsPIN(selfcare.VoicemailSettings{}, "") {
		t.Fatal("no PIN set: nothing to ask")
	}
}

// TestCountWatchersHearEveryChange: the message-waiting state reaches
// OnCount at start and after a change made through another Mailbox (the
// window's), the way the desk phones' count follows the window's badge.
func TestCountWatchersHearEveryChange(t *testing.T) {
	dir := t.TempDir()
	db := openStore(t, dir)
	p, err := selfcare.ParseProfile(bytes.NewReader(assets.DemoProfile()))
	if err != nil {
		t.Fatal(err)
	}
	if err := db.ApplyProfile(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	m := New(Config{Store: db, Dir: dir, Logger: testLogger(t)})
	counts := make(chan Count, 16)
	m.OnCount(func(l selfcare.LineKind, c Count) {
		if l == selfcare.LineFixed {
			counts <- c
		}
	})
	if err := m.Start(gctx(t)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(m.Close)
	if c := <-counts; c.New != 0 {
		t.Fatalf("first count %+v", c)
	}
	window := NewMailbox(MailboxConfig{Store: db, Dir: dir})
	msg, err := db.AddMessage(gctx(t), selfcare.VoicemailMessage{Line: selfcare.LineFixed, At: m.now(), Path: "voicemail/x.wav"})
	if err != nil {
		t.Fatal(err)
	}
	if c := waitCount(t, counts); c.New != 1 {
		t.Fatalf("after a deposit: %+v", c)
	}
	if err := window.MarkRead(gctx(t), msg.ID, true); err != nil {
		t.Fatal(err)
	}
	if c := waitCount(t, counts); c.New != 0 || c.Old != 1 {
		t.Fatalf("after the window marked it read: %+v", c)
	}
}

func waitCount(t *testing.T, ch <-chan Count) Count {
	t.Helper()
	select {
	case c := <-ch:
		return c
	case <-time.After(guard):
		t.Fatal("no count reported")
	}
	return Count{}
}
