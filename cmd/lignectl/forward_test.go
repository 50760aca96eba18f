package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ligne-app/ligne/internal/peers"
	"github.com/ligne-app/ligne/internal/syncbuf"
	"github.com/ligne-app/ligne/internal/testkeyring"
	"github.com/ligne-app/ligne/selfcare"
	"github.com/ligne-app/ligne/store"
)

// serve runs "lignectl run" on a free loopback port until the test ends,
// and returns the port and its JSON event stream.
func serve(t *testing.T, dir string) (int, *syncbuf.Buffer) {
	t.Helper()
	port := peers.FreePort(t)
	out, errs := &syncbuf.Buffer{}, &syncbuf.Buffer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- Main(ctx, []string{"--data", dir, "run", "--listen", "127.0.0.1:" + strconv.Itoa(port)}, strings.NewReader(""), out, errs)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(out.String(), `"state":"registered"`) {
		if time.Now().After(deadline) {
			t.Fatalf("lignectl run never registered:\n%s\n%s", out.String(), errs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	return port, out
}

// forwardWorkspace is a data folder with account 4021 on k and a profile
// whose company voicemail number is 8500.
func forwardWorkspace(t *testing.T, k *peers.Kamailio) string {
	t.Helper()
	dir := t.TempDir()
	prof := `{"schema":"ligne.profile/1","company":{"name":"Test SA","sip_domain":"` + k.Domain + `","voicemail_number":"8500"},
		"user":{"id":"u","name":"Camille","lines":[{"kind":"fixed","extension":"4021"}]}}`
	path := filepath.Join(dir, "profile.json")
	os.WriteFile(path, []byte(prof), 0o600)
	for _, args := range [][]string{
		{"profile", "load", path},
		{"account", "set", "--user", "4021", "--domain", k.Domain, "--proxy", k.Addr(), "--password-stdin"},
	} {
		if code, _, errOut := ctl(t, "pw-4021", append([]string{"--data", dir}, args...)...); code != 0 {
			t.Fatalf("%v: %s", args, errOut)
		}
	}
	return dir
}

// call runs a sipp scenario calling Ligne and returns its message trace.
func call(t *testing.T, scenario string, port int) string {
	t.Helper()
	r := peers.Sipp(t, "testdata/sipp/"+scenario+".xml", "127.0.0.1:"+strconv.Itoa(port), "-s", "4021", "-m", "1")
	if r.ExitCode != 0 {
		t.Fatalf("sipp %s failed (%d):\n%s", scenario, r.ExitCode, r.Log)
	}
	return r.Log
}

// header returns the first value of header name in the SIP response code
// of a sipp message trace.
func header(t *testing.T, trace string, code int, name string) string {
	t.Helper()
	i := strings.Index(trace, "SIP/2.0 "+strconv.Itoa(code))
	if i < 0 {
		t.Fatalf("no %d in the trace:\n%s", code, trace)
	}
	m := regexp.MustCompile(`(?mi)^` + name + `:\s*(.*)$`).FindStringSubmatch(trace[i:])
	if m == nil {
		t.Fatalf("the %d has no %s header:\n%s", code, name, trace[i:])
	}
	return strings.TrimSpace(m[1])
}

func TestForwardingRulesExecutedOnIncomingCalls(t *testing.T) {
	testkeyring.Start(t)
	k := peers.StartKamailio(t, peers.KamailioOptions{Users: map[string]string{"4021": "pw-4021", "bob": "B0b-pw"}})
	dir := forwardWorkspace(t, k)
	port, out := serve(t, dir)
	set := func(args ...string) {
		t.Helper()
		if code, _, errOut := ctl(t, "", append([]string{"--data", dir, "--lang", "en"}, args...)...); code != 0 {
			t.Fatalf("%v: %s", args, errOut)
		}
	}

	t.Run("immediate forwarding to a number answers 302", func(t *testing.T) {
		set("forward", "set", "immediate", "--to", "06 12 34 56 78")
		defer set("forward", "off", "immediate")
		trace := call(t, "expect_302", port)
		if c := header(t, trace, 302, "Contact"); !strings.Contains(c, "sip:+33612345678@"+k.Domain) {
			t.Fatalf("Contact %q", c)
		}
		if d := header(t, trace, 302, "Diversion"); !strings.Contains(d, "4021") || !strings.Contains(d, "reason=unconditional") {
			t.Fatalf("Diversion %q", d)
		}
		if h := header(t, trace, 302, "History-Info"); !strings.Contains(h, "4021") {
			t.Fatalf("History-Info %q", h)
		}
	})

	t.Run("immediate forwarding to voicemail: Ligne's voicemail takes the message", func(t *testing.T) {
		set("forward", "set", "immediate", "--to", "voicemail")
		defer set("forward", "off", "immediate")
		leaveMessage(t, k, out)
	})

	t.Run("do not disturb without a target answers 486", func(t *testing.T) {
		set("dnd", "on")
		defer set("dnd", "off")
		call(t, "expect_486", port)
	})

	t.Run("do not disturb with the busy rule forwards it", func(t *testing.T) {
		set("dnd", "on")
		set("forward", "set", "busy", "--to", "0699999999")
		defer set("dnd", "off")
		defer set("forward", "off", "busy")
		trace := call(t, "expect_302", port)
		if c := header(t, trace, 302, "Contact"); !strings.Contains(c, "+33699999999") {
			t.Fatalf("Contact %q", c)
		}
		if d := header(t, trace, 302, "Diversion"); !strings.Contains(d, "reason=user-busy") {
			t.Fatalf("Diversion %q", d)
		}
	})

	t.Run("no answer: ringing, then 302 after the delay", func(t *testing.T) {
		set("forward", "set", "no-answer", "--to", "0611111111", "--delay", "10s")
		defer set("forward", "off", "no-answer")
		start := time.Now()
		trace := call(t, "expect_ring_302", port)
		if waited := time.Since(start); waited < 10*time.Second {
			t.Fatalf("redirected after %v, before the 10 s delay", waited)
		}
		if d := header(t, trace, 302, "Diversion"); !strings.Contains(d, "reason=no-answer") {
			t.Fatalf("Diversion %q", d)
		}
	})

	t.Run("the call log says what happened", func(t *testing.T) {
		db, err := store.Open(context.Background(), dir, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		recs, _, err := db.Calls(context.Background(), selfcare.CallFilter{Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		outcomes := map[selfcare.Outcome]int{}
		forwardedTo := map[string]bool{}
		for _, r := range recs {
			outcomes[r.Outcome]++
			forwardedTo[r.ForwardedTo] = true
		}
		if outcomes[selfcare.OutcomeForwarded] != 3 || outcomes[selfcare.OutcomeVoicemail] != 1 || outcomes[selfcare.OutcomeRejected] != 1 || !forwardedTo["+33612345678"] {
			t.Fatalf("call log: %v, forwarded to %v", outcomes, forwardedTo)
		}
	})
}

// leaveMessage has baresip (bob, playing a 440 Hz tone) call 4021 through
// k, listen to the greeting and talk for a few seconds, then hang up; the
// voicemail must announce the stored message on lignectl run's stream.
func leaveMessage(t *testing.T, k *peers.Kamailio, out *syncbuf.Buffer) {
	t.Helper()
	bob := peers.StartBaresip(t, peers.BaresipOptions{User: "bob", Password: "B0b-pw", Domain: k.Domain, Proxy: k.URI(), ToneHz: 440})
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	if err := bob.WaitRegistered(ctx); err != nil {
		t.Fatal(err)
	}
	if err := bob.Dial(ctx, "sip:4021@"+k.Domain); err != nil {
		t.Fatal(err)
	}
	if _, err := bob.WaitEvent(ctx, "CALL_ESTABLISHED"); err != nil {
		t.Fatalf("the voicemail did not answer: %v\n%s", err, bob.Log())
	}
	time.Sleep(14 * time.Second) // the 8.5 s greeting, the beep, then 5 s of tone
	if err := bob.Hangup(ctx); err != nil {
		t.Fatal(err)
	}
	waitOutput(t, out, `"type":"voicemail.deposited"`)
	var ev struct {
		Type, Caller, Line string
		Seconds            float64
	}
	for _, l := range strings.Split(out.String(), "\n") {
		if strings.Contains(l, `"voicemail.deposited"`) {
			if err := json.Unmarshal([]byte(l), &ev); err != nil {
				t.Fatal(err)
			}
		}
	}
	if ev.Caller != "bob" || ev.Line != "fixed" || ev.Seconds < 3 {
		t.Fatalf("deposited %+v, want bob's message of about 5 s on the fixed line", ev)
	}
}
