package store

import (
	"context"
	"testing"
	"time"

	"github.com/ligne-app/ligne/selfcare"
)

// TestPartialMessagesStayOutOfTheList: a message being recorded counts
// for the capacity but is listed only once finished.
func TestPartialMessagesStayOutOfTheList(t *testing.T) {
	db, ctx := mustOpen(t), context.Background()
	m, err := db.BeginMessage(ctx, selfcare.VoicemailMessage{Line: selfcare.LineFixed, Caller: "+33102030405", At: testNow, Path: "voicemail/a.wav"})
	must(t, err)
	listed, _ := db.Messages(ctx, selfcare.LineFixed)
	partial, _ := db.PartialMessages(ctx)
	unread, read, _ := db.MailboxCount(ctx, selfcare.LineFixed)
	if len(listed) != 0 || len(partial) != 1 || unread != 1 || read != 0 {
		t.Fatalf("while recording: %d listed, %d partial, count %d/%d", len(listed), len(partial), unread, read)
	}
	must(t, db.FinishMessage(ctx, m.ID, 12*time.Second, selfcare.TranscriptionPending))
	listed, _ = db.Messages(ctx, selfcare.LineFixed)
	pending, _ := db.PendingTranscriptions(ctx)
	if len(listed) != 1 || listed[0].Duration != 12*time.Second || listed[0].Read || len(pending) != 1 {
		t.Fatalf("finished: %+v, %d pending", listed, len(pending))
	}
}

// TestPurgeEmptiesTheBin: deleted messages stay restorable until purged;
// the purge returns their files.
func TestPurgeEmptiesTheBin(t *testing.T) {
	db, ctx := mustOpen(t), context.Background()
	a, err := db.AddMessage(ctx, selfcare.VoicemailMessage{Line: selfcare.LineFixed, At: testNow, Path: "voicemail/a.wav"})
	must(t, err)
	b, err := db.AddMessage(ctx, selfcare.VoicemailMessage{Line: selfcare.LineFixed, At: testNow, Path: "voicemail/b.wav"})
	must(t, err)
	must(t, db.DeleteMessage(ctx, a.ID))
	must(t, db.DeleteMessage(ctx, b.ID))
	must(t, db.RestoreMessage(ctx, b.ID))
	if paths, err := db.PurgeMessages(ctx, testNow); err != nil || len(paths) != 0 {
		t.Fatalf("purge before the cutoff: %v %v", paths, err)
	}
	paths, err := db.PurgeMessages(ctx, testNow.Add(time.Minute))
	if err != nil || len(paths) != 1 || paths[0] != "voicemail/a.wav" {
		t.Fatalf("purge: %v %v", paths, err)
	}
	if _, err := db.Message(ctx, a.ID); selfcare.ErrorCode(err) != selfcare.CodeNotFound {
		t.Fatalf("purged message still there: %v", err)
	}
}

// TestOutboxKeepsFailedNotifications: a failed send stays with its next
// attempt; a sent one leaves.
func TestOutboxKeepsFailedNotifications(t *testing.T) {
	db, ctx := mustOpen(t), context.Background()
	id, err := db.QueueNotification(ctx, "email", `{"to":["a@example.com"]}`, testNow)
	must(t, err)
	_, err = db.QueueNotification(ctx, "sms", `{}`, testNow.Add(time.Hour))
	must(t, err)
	due, _ := db.Outbox(ctx, testNow)
	if len(due) != 1 || due[0].ID != id {
		t.Fatalf("due now: %+v", due)
	}
	must(t, db.NotificationFailed(ctx, id, testNow.Add(30*time.Second), "connection refused"))
	if due, _ = db.Outbox(ctx, testNow); len(due) != 0 {
		t.Fatalf("a failed item is due again at once: %+v", due)
	}
	all, _ := db.Outbox(ctx, time.Time{})
	if len(all) != 2 || all[0].Attempts != 1 || all[0].LastError != "connection refused" {
		t.Fatalf("outbox: %+v", all)
	}
	must(t, db.NotificationSent(ctx, id))
	if all, _ = db.Outbox(ctx, time.Time{}); len(all) != 1 || all[0].Kind != "sms" {
		t.Fatalf("after sending: %+v", all)
	}
	var kinds []string
	must(t, db.DueNotifications(ctx, testNow.Add(2*time.Hour), func(_ int64, kind, _ string, _ int) error {
		kinds = append(kinds, kind)
		return nil
	}))
	if len(kinds) != 1 || kinds[0] != "sms" {
		t.Fatalf("due later: %v", kinds)
	}
}
