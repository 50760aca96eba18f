package provision_test

import (
	"context"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ligne-app/ligne/internal/peers"
	"github.com/ligne-app/ligne/provision"
	"github.com/ligne-app/ligne/selfcare"
)

// startService runs the provisioning service of w with its server on a
// free loopback port.
func startService(t *testing.T, w *workspace, interval time.Duration) (*provision.Service, string) {
	t.Helper()
	svc, err := provision.NewService(provision.ServiceOptions{Store: w.db, Secrets: w.secrets, DataDir: w.dir, Now: w.clock.Now,
		Interval: interval, Notifier: &provision.Notifier{Timeout: 3 * time.Second, Now: w.clock.Now}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { svc.Close() })
	st, err := svc.SetProvisioningServer(context.Background(), selfcare.ProvisioningConfig{Enabled: true, HTTPAddr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	if !st.Running || len(st.URLs) != 1 || !strings.HasPrefix(st.URLs[0], "http://127.0.0.1:") {
		t.Fatalf("status %+v", st)
	}
	return svc, st.URLs[0]
}

// phone starts sipp playing the phone for n check-syncs and points the
// device at it.
func phone(t *testing.T, w *workspace, mac string, n int) *peers.SippProcess {
	t.Helper()
	p := peers.StartSipp(t, "testdata/check-sync-phone.xml", "-m", itoa(n))
	if err := w.db.SetDeviceAddress(context.Background(), w.device(t, mac).ID, p.Addr()); err != nil {
		t.Fatal(err)
	}
	return p
}

func itoa(n int) string { return strconv.Itoa(n) }

func waitPhone(t *testing.T, p *peers.SippProcess, wantOK int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	if r := p.Wait(ctx); r.ExitCode != 0 || r.Successful != wantOK {
		t.Fatalf("the phone (sipp) got %d good check-sync, exit %d:\n%s", r.Successful, r.ExitCode, r.Log)
	}
}

func TestSynchroniserMaintenant(t *testing.T) {
	w := newWorkspace(t)
	ctx := context.Background()
	svc, _ := startService(t, w, -1)
	d := w.device(t, yealinkMAC)
	p := phone(t, w, yealinkMAC, 1)
	w.clock.Add(time.Minute)
	res, err := svc.SyncNow(ctx, d.ID)
	if err != nil || !res.OK() || res.Target != p.Addr() {
		t.Fatalf("sync now: %+v %v", res, err)
	}
	waitPhone(t, p, 1)
	st, err := w.db.SyncState(ctx, d.ID)
	if err != nil || st.Push.Status != 200 || !st.Push.At.Equal(renderNow.Add(time.Minute)) || st.PushedVersion != d.ConfigVersion || st.PushedHash == "" {
		t.Fatalf("state after sync: %+v %v", st, err)
	}
}

func TestSynchroniserMaintenantFailsClearly(t *testing.T) {
	w := newWorkspace(t)
	ctx := context.Background()
	svc, err := provision.NewService(provision.ServiceOptions{Store: w.db, Secrets: w.secrets, DataDir: w.dir, Now: w.clock.Now,
		Notifier: &provision.Notifier{Timeout: 2 * time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	d := w.device(t, yealinkMAC)
	if _, err := svc.SyncNow(ctx, d.ID); selfcare.ErrorCode(err) != selfcare.CodeProvisioningOff {
		t.Fatalf("server off: %v", err)
	}
	svc, _ = startService(t, w, -1)
	if _, err := svc.SyncNow(ctx, d.ID); selfcare.ErrorCode(err) != selfcare.CodeDeviceNoAddress {
		t.Fatalf("no address: %v", err)
	}
	if err := w.db.SetDeviceAddress(ctx, d.ID, peers.HostPort(peers.FreePort(t))); err != nil {
		t.Fatal(err)
	}
	res, err := svc.SyncNow(ctx, d.ID)
	if selfcare.ErrorCode(err) != selfcare.CodeSyncNoAnswer {
		t.Fatalf("nobody there: %+v %v", res, err)
	}
	if st, _ := w.db.SyncState(ctx, d.ID); st.Push.Status != 0 || st.Push.Reason != string(selfcare.CodeSyncNoAnswer) {
		t.Fatalf("failure not recorded: %+v", st.Push)
	}
}

// TestChangesArePushedOnce: a forwarding change (made in another section,
// which does not raise any version) is pushed once, with a new version.
func TestChangesArePushedOnce(t *testing.T) {
	w := newWorkspace(t)
	ctx := context.Background()
	_, base := startService(t, w, -1)
	p, err := provision.NewStoreProvider(w.db, w.secrets, w.clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	syncer := provision.NewSyncer(w.db, p, &provision.Notifier{Timeout: 3 * time.Second, Now: w.clock.Now}, nil)
	d := w.device(t, yealinkMAC)
	s := &served{httpURL: base, tlsConfig: nil}
	if res := s.digestGet(t, base+yealinkMAC+".cfg", yealinkMAC, w.pw[yealinkMAC]); res.status != http.StatusOK {
		t.Fatalf("first fetch: %d", res.status)
	}
	if err := w.db.SetDeviceAddress(ctx, d.ID, peers.HostPort(peers.FreePort(t))); err != nil {
		t.Fatal(err)
	}
	if err := syncer.PushChanges(ctx); err != nil {
		t.Fatal(err)
	}
	if st, _ := w.db.SyncState(ctx, d.ID); !st.Push.At.IsZero() || st.PushedHash == "" {
		t.Fatalf("an up-to-date phone was pushed to, or no baseline: %+v", st)
	}
	ph := phone(t, w, yealinkMAC, 1)
	rules, _ := w.db.ForwardRules(ctx, selfcare.LineFixed)
	r, _ := selfcare.FindRule(rules, selfcare.ForwardNoAnswer)
	r.Active, r.Target, r.Number, r.Delay = true, selfcare.TargetNumber, "+33612345678", 30*time.Second
	if _, err := w.db.SetForwardRule(ctx, r); err != nil {
		t.Fatal(err)
	}
	w.clock.Add(time.Minute)
	if err := syncer.PushChanges(ctx); err != nil {
		t.Fatal(err)
	}
	waitPhone(t, ph, 1)
	st, _ := w.db.SyncState(ctx, d.ID)
	if st.Push.Status != 200 || st.PushedVersion != d.ConfigVersion+1 || w.device(t, yealinkMAC).ConfigVersion != d.ConfigVersion+1 {
		t.Fatalf("after the change: %+v, version %d", st, w.device(t, yealinkMAC).ConfigVersion)
	}
	w.clock.Add(time.Minute)
	if err := syncer.PushChanges(ctx); err != nil {
		t.Fatal(err)
	}
	if again, _ := w.db.SyncState(ctx, d.ID); !again.Push.At.Equal(st.Push.At) {
		t.Fatalf("pushed again without a change: %+v", again.Push)
	}
	res := s.digestGet(t, base+yealinkMAC+".cfg", yealinkMAC, w.pw[yealinkMAC])
	if !strings.Contains(res.body, "forward.no_answer.target = +33612345678") || !strings.Contains(res.body, "forward.no_answer.timeout = 5") {
		t.Fatalf("the phone's next fetch lacks the change:\n%s", res.body)
	}
}

// TestTheServiceWatchesForChanges: with the server on, turning DND on
// anywhere reaches the phone by itself.
func TestTheServiceWatchesForChanges(t *testing.T) {
	w := newWorkspace(t)
	ctx := context.Background()
	d, _, ph := watchedPhone(t, w)
	if err := w.db.SetDND(ctx, true); err != nil {
		t.Fatal(err)
	}
	waitPhone(t, ph, 1)
	st := waitState(t, w, d.ID, func(st selfcare.SyncState) bool { return st.Push.Status == 200 })
	if st.PushedVersion != d.ConfigVersion+1 {
		t.Fatalf("pushed version %d, want %d", st.PushedVersion, d.ConfigVersion+1)
	}
}

// TestANewSIPPasswordReachesThePhones: with the server on, a new SIP
// password saved as the window and lignectl save it reaches the phone by
// itself (the watcher does not read the keyring: the password's revision
// tells it), and the phone's next fetch carries it.
func TestANewSIPPasswordReachesThePhones(t *testing.T) {
	w := newWorkspace(t)
	ctx := context.Background()
	d, s, ph := watchedPhone(t, w)
	a, err := w.db.Account(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := selfcare.SaveAccount(ctx, w.db, w.secrets, a, "n3w-sip-secret"); err != nil {
		t.Fatal(err)
	}
	waitPhone(t, ph, 1)
	waitState(t, w, d.ID, func(st selfcare.SyncState) bool { return st.Push.Status == 200 })
	res := s.digestGet(t, s.httpURL+yealinkMAC+".cfg", yealinkMAC, w.pw[yealinkMAC])
	if !strings.Contains(res.body, "account.1.password = n3w-sip-secret") {
		t.Fatalf("the phone's next fetch lacks the new password:\n%s", res.body)
	}
}

// watchedPhone starts the server watching every 50 ms, has the Yealink
// fetch once and answer one check-sync, and waits for its baseline.
func watchedPhone(t *testing.T, w *workspace) (selfcare.Device, *served, *peers.SippProcess) {
	t.Helper()
	d := w.device(t, yealinkMAC)
	_, base := startService(t, w, 50*time.Millisecond)
	s := &served{httpURL: base}
	if res := s.digestGet(t, base+yealinkMAC+".cfg", yealinkMAC, w.pw[yealinkMAC]); res.status != http.StatusOK {
		t.Fatalf("fetch: %d", res.status)
	}
	ph := phone(t, w, yealinkMAC, 1)
	waitState(t, w, d.ID, func(st selfcare.SyncState) bool { return st.PushedHash != "" }) // the baseline, no push
	return d, s, ph
}

// waitState polls the sync state until ok, or fails when the test ends.
func waitState(t *testing.T, w *workspace, id int64, ok func(selfcare.SyncState) bool) selfcare.SyncState {
	t.Helper()
	for {
		st, err := w.db.SyncState(context.Background(), id)
		if err == nil && ok(st) {
			return st
		}
		select {
		case <-t.Context().Done():
			t.Fatalf("state never reached: %+v %v", st, err)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

func TestServerSettingsAreSavedOnlyWhenTheyWork(t *testing.T) {
	w := newWorkspace(t)
	ctx := context.Background()
	svc, url := startService(t, w, -1)
	other, err := net.Listen("tcp4", "127.0.0.1:0") // another program holds this port
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	busy := other.Addr().String()
	_, err = svc.SetProvisioningServer(ctx, selfcare.ProvisioningConfig{Enabled: true, HTTPAddr: busy})
	if selfcare.ErrorCode(err) != selfcare.CodeProvisioningListen || !strings.Contains(selfcare.ErrorMessage(err, "fr"), busy) {
		t.Fatalf("address in use: %v", err)
	}
	st, _ := svc.ProvisioningServer(ctx)
	if !st.Running || st.Config.HTTPAddr != "127.0.0.1:0" {
		t.Fatalf("the running server changed after a refused setting: %+v", st)
	}
	if res, err := http.Get(st.URLs[0] + "nothing.cfg"); err != nil || res.StatusCode != http.StatusNotFound {
		t.Fatalf("the previous server does not answer again: %v", err)
	}
	url = st.URLs[0]
	if _, err := svc.SetProvisioningServer(ctx, selfcare.ProvisioningConfig{Enabled: true, HTTPAddr: "nowhere:99999"}); selfcare.ErrorCode(err) != selfcare.CodeHostPortInvalid {
		t.Fatalf("bad address: %v", err)
	}
	if _, err := svc.SetProvisioningServer(ctx, selfcare.ProvisioningConfig{Enabled: true}); selfcare.ErrorCode(err) != selfcare.CodeRequired {
		t.Fatalf("no address: %v", err)
	}
	off, err := svc.SetProvisioningServer(ctx, selfcare.ProvisioningConfig{Enabled: false, HTTPAddr: "127.0.0.1:0"})
	if err != nil || off.Running {
		t.Fatalf("turn off: %+v %v", off, err)
	}
	if _, err := http.Get(url + yealinkMAC + ".cfg"); err == nil {
		t.Fatal("the server still answers once off")
	}
	again, err := provision.LoadConfig(ctx, w.db)
	if err != nil || again.Enabled || again.HTTPAddr != "127.0.0.1:0" {
		t.Fatalf("saved %+v %v", again, err)
	}
}

func TestHTTPSWithTheKeptCertificate(t *testing.T) {
	w := newWorkspace(t)
	ctx := context.Background()
	svc, err := provision.NewService(provision.ServiceOptions{Store: w.db, Secrets: w.secrets, DataDir: w.dir, Now: w.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { svc.Close() })
	st, err := svc.SetProvisioningServer(ctx, selfcare.ProvisioningConfig{Enabled: true, HTTPSAddr: "127.0.0.1:0"})
	if err != nil || len(st.URLs) != 1 || !strings.HasPrefix(st.URLs[0], "https://") || st.CertFingerprint == "" {
		t.Fatalf("https: %+v %v", st, err)
	}
	if _, err := os.Stat(filepath.Join(w.dir, provision.KeyFileName)); err != nil {
		t.Fatalf("certificate not kept in the data folder: %v", err)
	}
	svc.Close()
	if err := svc.Start(ctx); err != nil {
		t.Fatal(err)
	}
	restarted, _ := svc.ProvisioningServer(ctx)
	if !restarted.Running || restarted.CertFingerprint != st.CertFingerprint {
		t.Fatalf("after a restart: %+v", restarted)
	}
}

func TestDeviceCredentialsLiveInTheKeyring(t *testing.T) {
	w := newWorkspace(t)
	ctx := context.Background()
	svc, url := startService(t, w, -1)
	d := w.device(t, polyMAC)
	c, err := svc.DeviceCredentials(ctx, d.ID)
	if err != nil || c.URL != url || c.User != polyMAC || c.Password != w.pw[polyMAC] {
		t.Fatalf("credentials %+v %v", c, err)
	}
	if err := w.db.SetSetting(ctx, selfcare.SettingLanguage, "en"); err != nil {
		t.Fatal(err)
	}
	svc.Close()
	if err := svc.Start(ctx); err != nil {
		t.Fatal(err)
	}
	st, _ := svc.ProvisioningServer(ctx)
	res, err := http.Get(st.URLs[0] + "nothing.cfg")
	if err != nil {
		t.Fatal(err)
	}
	body := make([]byte, 200)
	n, _ := res.Body.Read(body)
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound || strings.TrimSpace(string(body[:n])) != "No configuration file at this address." {
		t.Fatalf("English 404: %d %q", res.StatusCode, body[:n])
	}
	filepath.Walk(w.dir, func(path string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			if b, _ := os.ReadFile(path); strings.Contains(string(b), c.Password) {
				t.Errorf("%s holds a provisioning password", path)
			}
		}
		return nil
	})
}

// countingSecrets counts keyring reads.
type countingSecrets struct {
	selfcare.Secrets
	gets int
}

func (c *countingSecrets) Get(key string) (string, error) {
	c.gets++
	return c.Secrets.Get(key)
}

// TestLookingForChangesDoesNotReadTheKeyring: the watcher runs every few
// seconds; reading the keyring that often could prompt the user to unlock it.
func TestLookingForChangesDoesNotReadTheKeyring(t *testing.T) {
	w := newWorkspace(t)
	ctx := context.Background()
	spy := &countingSecrets{Secrets: w.secrets}
	p, err := provision.NewStoreProvider(w.db, spy, w.clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	syncer := provision.NewSyncer(w.db, p, &provision.Notifier{}, nil)
	if err := syncer.PushChanges(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := syncer.Hash(ctx, w.device(t, yealinkMAC)); err != nil {
		t.Fatal(err)
	}
	if spy.gets != 0 {
		t.Fatalf("%d keyring reads while looking for changes", spy.gets)
	}
	if _, err := p.Files(ctx, w.device(t, yealinkMAC), "http://192.0.2.10/"); err != nil || spy.gets == 0 {
		t.Fatalf("serving a file reads the passwords: %d reads, %v", spy.gets, err)
	}
}
