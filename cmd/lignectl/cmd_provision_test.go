package main

import (
	"bufio"
	"context"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ligne-app/ligne/internal/peers"
	"github.com/ligne-app/ligne/internal/testkeyring"
	"github.com/ligne-app/ligne/provision"
	"github.com/ligne-app/ligne/secrets"
)

// demoDir is a data folder holding the demo workspace (a T46U and a VVX 450).
func demoDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if code, _, errOut := ctl(t, "", "--data", dir, "demo"); code != 0 {
		t.Fatalf("demo: %s", errOut)
	}
	return dir
}

func listDevices(t *testing.T, dir string) []deviceRow {
	t.Helper()
	code, out, errOut := ctl(t, "", "--data", dir, "device", "list", "--json")
	if code != 0 {
		t.Fatalf("device list: %s", errOut)
	}
	var rows []deviceRow
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var r deviceRow
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		rows = append(rows, r)
	}
	return rows
}

func TestDeviceAddRefusesBadInputAndSavesNothing(t *testing.T) {
	dir := demoDir(t)
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--model", "T46U", "--mac", "80:5E:C0:ZZ:00:01"}, "--mac: « 80:5E:C0:ZZ:00:01 » n'est pas une adresse MAC valide"},
		{[]string{"--model", "T46U", "--mac", "805ec0"}, "--mac: « 805ec0 » n'est pas une adresse MAC valide"},
		{[]string{"--model", "T99", "--mac", "805ec0000001"}, "--model: Modèle de poste inconnu : « T99 »."},
		{[]string{"--model", "T46U", "--mac", "80-5E-C0-A1-B2-C3"}, "Un poste avec l'adresse MAC 805EC0A1B2C3 existe déjà."},
		{[]string{"--model", "T46U", "--mac", "805ec0000001", "--label", strings.Repeat("x", 41)}, "--label: Trop long : 40 caractères au plus."},
	}
	for _, c := range cases {
		code, _, errOut := ctl(t, "", append([]string{"--data", dir, "device", "add"}, c.args...)...)
		if code != 1 || !strings.Contains(errOut, c.want) || strings.Count(errOut, "\n") != 1 {
			t.Errorf("%v: %d %q, want one line with %q", c.args, code, errOut, c.want)
		}
	}
	if rows := listDevices(t, dir); len(rows) != 2 {
		t.Fatalf("a refused device was saved: %+v", rows)
	}
	code, _, errOut := ctl(t, "", "--data", dir, "--lang", "en", "device", "add", "--model", "T46U", "--mac", "nope")
	if code != 1 || !strings.Contains(errOut, "“nope” is not a valid MAC address") {
		t.Fatalf("English: %q", errOut)
	}
}

func TestDeviceAddListRemove(t *testing.T) {
	testkeyring.Start(t)
	dir := demoDir(t)
	code, out, errOut := ctl(t, "", "--data", dir, "device", "add", "--model", "t48u", "--mac", "80-5e-c0-00-00-01", "--label", "Accueil")
	if code != 0 || out != "T48U ajouté (80:5E:C0:00:00:01).\n" {
		t.Fatalf("add: %d %q %q", code, out, errOut)
	}
	rows := listDevices(t, dir)
	if len(rows) != 3 || rows[2].MAC != "805ec0000001" || rows[2].Model != "T48U" || rows[2].Label != "Accueil" || rows[2].ConfigVersion != 1 {
		t.Fatalf("list: %+v", rows)
	}
	code, out, _ = ctl(t, "", "--data", dir, "device", "credentials", "805ec0000001")
	if code != 0 || !strings.HasPrefix(out, "user=805ec0000001\npassword=") {
		t.Fatalf("credentials: %q", out)
	}
	if _, err := (secrets.Keyring{}).Get(provision.CredentialKey("805ec0000001")); err != nil {
		t.Fatalf("password not in the keyring: %v", err)
	}
	if code, _, errOut := ctl(t, "", "--data", dir, "device", "remove", "805EC0000001"); code != 0 {
		t.Fatalf("remove: %s", errOut)
	}
	if _, err := (secrets.Keyring{}).Get(provision.CredentialKey("805ec0000001")); err == nil {
		t.Fatal("the removed phone's password is still in the keyring")
	}
	if rows := listDevices(t, dir); len(rows) != 2 {
		t.Fatalf("after remove: %+v", rows)
	}
	if code, _, errOut := ctl(t, "", "--data", dir, "device", "remove", "805ec0000001"); code != 1 || !strings.Contains(errOut, "Aucun poste avec l'adresse MAC 80:5E:C0:00:00:01") {
		t.Fatalf("remove again: %d %q", code, errOut)
	}
}

func TestProvisionRender(t *testing.T) {
	testkeyring.Start(t)
	dir, out := demoDir(t), t.TempDir()
	code, stdout, errOut := ctl(t, "", "--data", dir, "provision", "render", "--out", out, "--url", "http://192.0.2.10:8089")
	if code != 0 || stdout != fmt.Sprintf("5 fichiers écrits dans %s.\n", out) {
		t.Fatalf("render: %d %q %q", code, stdout, errOut)
	}
	_, creds, _ := ctl(t, "", "--data", dir, "device", "credentials", "805ec0a1b2c3")
	data, err := os.ReadFile(filepath.Join(out, "805ec0a1b2c3.cfg"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := provision.ParseYealink(data)
	if err != nil {
		t.Fatal(err)
	}
	if p["static.auto_provision.server.url"] != "http://192.0.2.10:8089/" || "password="+p["static.auto_provision.server.password"]+"\n" != creds[strings.Index(creds, "password="):] {
		t.Fatalf("provisioning block %q / %q", p["static.auto_provision.server.url"], creds)
	}
	for _, f := range []string{"y000000000108.cfg", "000000000000.cfg", "0004f2a1b2c3-ligne.cfg", "0004f2a1b2c3-directory.xml"} {
		if info, err := os.Stat(filepath.Join(out, f)); err != nil || info.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v %v", f, err, info)
		}
	}
	if code, _, errOut := ctl(t, "", "--data", dir, "provision", "render", "--out", out, "--url", "ftp://x"); code != 1 || !strings.Contains(errOut, "--url: « ftp://x » n'est pas une adresse web valide") {
		t.Fatalf("bad url: %d %q", code, errOut)
	}
}

func TestProvisionSyncReachesSippActingAsThePhone(t *testing.T) {
	dir := demoDir(t)
	phone := peers.StartSipp(t, "../../provision/testdata/check-sync-phone.xml", "-m", "1")
	code, out, errOut := ctl(t, "", "--data", dir, "provision", "sync", "80:5E:C0:A1:B2:C3", "--to", phone.Addr())
	if code != 0 || !strings.Contains(out, "acceptée par "+phone.Addr()+" : 200 OK") {
		t.Fatalf("sync: %d %q %q", code, out, errOut)
	}
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	if r := phone.Wait(ctx); r.ExitCode != 0 || r.Successful != 1 {
		t.Fatalf("sipp: %d\n%s", r.ExitCode, r.Log)
	}
	rows := listDevices(t, dir)
	if rows[0].SyncStatus != 200 || rows[0].LastSync == "" {
		t.Fatalf("sync not recorded: %+v", rows[0])
	}
	code, _, errOut = ctl(t, "", "--data", dir, "provision", "sync", "0004f2a1b2c3")
	if code != 1 || !strings.Contains(errOut, "Adresse du poste inconnue") {
		t.Fatalf("no address: %d %q", code, errOut)
	}
}

// TestProvisionServe runs the server headless, lets a phone fetch its file
// and finds the fetch in the events and in device list.
func TestProvisionServe(t *testing.T) {
	testkeyring.Start(t)
	dir := demoDir(t)
	code, creds, errOut := ctl(t, "", "--data", dir, "device", "credentials", "805ec0a1b2c3")
	_, password, ok := strings.Cut(creds, "password=")
	if code != 0 || !ok {
		t.Fatalf("device credentials: exit %d\n%s\n%s", code, creds, errOut)
	}
	password = strings.TrimSpace(password)
	ctx, stop := context.WithCancel(context.Background())
	outR, outW := io.Pipe()
	done := make(chan int)
	go func() {
		var errb strings.Builder
		done <- Main(ctx, []string{"--data", dir, "provision", "serve", "--listen", "127.0.0.1:0", "--interval", "0"}, strings.NewReader(""), outW, &errb)
		outW.Close()
	}()
	lines := eventLines(outR)
	ev := nextEvent(t, lines)
	url, _ := ev["url"].(string)
	if ev["event"] != "listening" || !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("first event %v", ev)
	}
	if status := digestFetch(t, url+"805ec0a1b2c3.cfg", "805ec0a1b2c3", password); status != http.StatusOK {
		t.Fatalf("fetch: %d", status)
	}
	if ev := nextEvent(t, lines); ev["event"] != "fetch" || ev["file"] != "805ec0a1b2c3.cfg" || ev["user_agent"] != "Yealink SIP-T46U 108.86.0.45 805ec0a1b2c3" {
		t.Fatalf("fetch event %v", ev)
	}
	stop()
	if code := <-done; code != 0 {
		t.Fatalf("serve exit %d", code)
	}
	rows := listDevices(t, dir)
	if rows[0].UserAgent != "Yealink SIP-T46U 108.86.0.45 805ec0a1b2c3" || rows[0].Address != "127.0.0.1" || rows[0].Fetched != rows[0].ConfigVersion {
		t.Fatalf("sync state: %+v", rows[0])
	}
}

// eventLines reads lines from r as they come, so that the writer never
// waits for the test.
func eventLines(r io.Reader) <-chan string {
	out := make(chan string, 100)
	go func() {
		defer close(out)
		s := bufio.NewScanner(r)
		for s.Scan() {
			out <- s.Text()
		}
	}()
	return out
}

func nextEvent(t *testing.T, lines <-chan string) map[string]any {
	t.Helper()
	line, ok := <-lines
	if !ok {
		t.Fatal("no more events")
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(line), &m); err != nil {
		t.Fatalf("%q: %v", line, err)
	}
	return m
}

// digestFetch GETs url as a Yealink T46U answering the Digest challenge.
func digestFetch(t *testing.T, url, user, password string) int {
	t.Helper()
	get := func(auth string) *http.Response {
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		req.Header.Set("User-Agent", "Yealink SIP-T46U 108.86.0.45 805ec0a1b2c3")
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res
	}
	first := get("")
	nonce := ""
	for _, part := range strings.Split(first.Header.Get("WWW-Authenticate"), ", ") {
		if v, ok := strings.CutPrefix(part, "nonce="); ok {
			nonce = strings.Trim(v, `"`)
		}
	}
	uri := url[strings.Index(url[len("http://"):], "/")+len("http://"):]
	h := func(s string) string { sum := md5.Sum([]byte(s)); return hex.EncodeToString(sum[:]) }
	resp := h(h(user+":Ligne:"+password) + ":" + nonce + ":00000001:c0ffee:auth:" + h("GET:"+uri))
	auth := fmt.Sprintf(`Digest username="%s", realm="Ligne", nonce="%s", uri="%s", qop=auth, nc=00000001, cnonce="c0ffee", response="%s"`, user, nonce, uri, resp)
	return get(auth).StatusCode
}
