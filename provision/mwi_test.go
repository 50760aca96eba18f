package provision_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ligne-app/ligne/internal/peers"
	"github.com/ligne-app/ligne/selfcare"
)

// TestDeskPhonesShowLignesVoicemailCount: the count of Ligne's own
// voicemail reaches the desk phone of the line (sipp playing it) as an
// unsolicited NOTIFY message-summary: lamp on with 2 new and 1 old, then
// off once they are heard. A phone whose address is unknown is skipped.
func TestDeskPhonesShowLignesVoicemailCount(t *testing.T) {
	w := newWorkspace(t)
	ctx := context.Background()
	svc, _ := startService(t, w, -1)
	d := w.device(t, yealinkMAC)
	p := peers.StartSipp(t, "testdata/mwi-phone.xml", "-m", "2")
	if err := w.db.SetDeviceAddress(ctx, d.ID, p.Addr()); err != nil {
		t.Fatal(err)
	}
	if err := svc.MessageWaiting(ctx, d.Line, 2, 1); err != nil {
		t.Fatalf("lamp on: %v", err)
	}
	if err := svc.MessageWaiting(ctx, d.Line, 0, 3); err != nil {
		t.Fatalf("lamp off: %v", err)
	}
	wctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	r := p.Wait(wctx)
	if r.ExitCode != 0 || r.Successful != 2 {
		t.Fatalf("the phone (sipp) did not accept both NOTIFYs: exit %d, %d ok:\n%s", r.ExitCode, r.Successful, r.Log)
	}
	on, off := strings.Index(r.Log, "Voice-Message: 2/1"), strings.Index(r.Log, "Voice-Message: 0/3")
	if on < 0 || off < on || !strings.Contains(r.Log[max(0, on-300):on], "Messages-Waiting: yes") || !strings.Contains(r.Log[:off], "Messages-Waiting: no") ||
		!strings.Contains(r.Log, "Message-Account: sip:4021@sip.lemoine-equipements.fr") {
		t.Fatalf("the phone was not told 2 new then none:\n%s", r.Log)
	}
	other := selfcare.LineMobile
	if d.Line == other {
		other = selfcare.LineFixed
	}
	if err := svc.MessageWaiting(ctx, other, 5, 0); err != nil {
		t.Fatalf("a line without reachable phones: %v", err)
	}
}
