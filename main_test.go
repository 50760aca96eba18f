package main

import (
	"context"
	"flag"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ligne-app/ligne/internal/peers"
	"github.com/ligne-app/ligne/internal/syncbuf"
	"github.com/ligne-app/ligne/internal/testkeyring"
	"github.com/ligne-app/ligne/internal/xvfb"
	"github.com/ligne-app/ligne/secrets"
	"github.com/ligne-app/ligne/selfcare"
	"github.com/ligne-app/ligne/store"
	"github.com/ligne-app/ligne/ui"
)

// TestScreenshotsOfEverySection builds the program, runs it under Xvfb on
// the demo workspace with --screenshots (what make screenshot does), and
// checks that each section's picture has the window's size and is not blank.
func TestScreenshotsOfEverySection(t *testing.T) {
	bin := buildLigne(t)
	display := xvfb.Start(t, 1600, 1000)
	picDir := t.TempDir()
	run := exec.Command(bin, "--data", t.TempDir(), "--demo", "--screenshots", picDir)
	run.Env = append(os.Environ(), "DISPLAY="+display, "LANG=fr_FR.UTF-8")
	if out, err := run.CombinedOutput(); err != nil {
		t.Fatalf("ligne --screenshots: %v\n%s", err, out)
	}
	ids := ui.SectionIDs()
	files, _ := filepath.Glob(filepath.Join(picDir, "*.png"))
	if len(files) != len(ids) {
		t.Fatalf("%d screenshots, want %d: %v", len(files), len(ids), files)
	}
	for _, f := range files {
		img := decode(t, f)
		if b := img.Bounds(); b.Dx() != ui.WindowWidth || b.Dy() != ui.WindowHeight {
			t.Errorf("%s is %dx%d, the window is %dx%d", filepath.Base(f), b.Dx(), b.Dy(), ui.WindowWidth, ui.WindowHeight)
		}
		if n := distinctColors(img); n < 64 {
			t.Errorf("%s looks blank: %d distinct colors", filepath.Base(f), n)
		}
	}
	keepShots(t, picDir, "*.png")
}

func decode(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return img
}

// distinctColors counts colors on a sparse grid (text and icons make many).
func distinctColors(img image.Image) int {
	seen := map[[3]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 3 {
		for x := b.Min.X; x < b.Max.X; x += 3 {
			r, g, bl, _ := img.At(x, y).RGBA()
			seen[[3]uint32{r >> 8, g >> 8, bl >> 8}] = true
		}
	}
	return len(seen)
}

// TestSecondLaunchHandsTheLinkOver starts Ligne, then launches it again
// with a tel: link: the second process must hand the link to the first and
// exit at once; the first logs it.
func TestSecondLaunchHandsTheLinkOver(t *testing.T) {
	bin := buildLigne(t)
	display := xvfb.Start(t, 1600, 1000)
	data := t.TempDir()
	first := exec.Command(bin, "--data", data, "--demo")
	first.Env = append(os.Environ(), "DISPLAY="+display)
	logs := &syncbuf.Buffer{}
	first.Stderr = logs
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { first.Process.Kill(); first.Wait() })
	waitForFile(t, filepath.Join(data, "ligne.sock"))
	second := exec.Command(bin, "--data", data, "tel:+33-1-23-45-67-89")
	second.Env = first.Env
	out, err := second.CombinedOutput()
	if err != nil {
		t.Fatalf("second launch: %v\n%s", err, out)
	}
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(logs.String(), `msg="link received" link=tel:+33-1-23-45-67-89`) {
		if time.Now().After(deadline) {
			t.Fatalf("the first Ligne did not receive the link; its log:\n%s", logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// buildLigne builds the window program once per test binary.
func buildLigne(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "ligne-bin")
		if err != nil {
			buildErr = err
			return
		}
		builtBin = filepath.Join(dir, "ligne")
		if out, err := exec.Command("go", "build", "-o", builtBin, ".").CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return builtBin
}

var (
	buildOnce sync.Once
	builtBin  string
	buildErr  error
)

// waitForFile waits until path exists (a failure guard).
func waitForFile(t *testing.T, path string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		if _, err := os.Stat(path); err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s never appeared", path)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// shots, when set, is where the screenshot tests also leave their pictures
// (make screenshot: go test -run TestScreenshots . -args -shots=docs/screenshots).
var shots = flag.String("shots", "", "copy the screenshots to this folder")

// keepShots copies the PNGs of dir matching pattern to -shots.
func keepShots(t *testing.T, dir, pattern string) {
	t.Helper()
	if *shots == "" {
		return
	}
	if err := os.MkdirAll(*shots, 0o755); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, pattern))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err == nil {
			err = os.WriteFile(filepath.Join(*shots, filepath.Base(f)), data, 0o644)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

var callUsers = map[string]string{"4021": "pw-4021", "4022": "pw-4022", "4023": "pw-4023"}

// TestScreenshotsOfCalls runs Ligne on a real line (Kamailio, two
// baresips, the password in a private keyring) and captures the window
// during a call and with the incoming-call banner.
func TestScreenshotsOfCalls(t *testing.T) {
	bin := buildLigne(t)
	testkeyring.Start(t)
	k := peers.StartKamailio(t, peers.KamailioOptions{Users: callUsers})
	start := func(user string, auto bool) *peers.Baresip {
		b := peers.StartBaresip(t, peers.BaresipOptions{User: user, Password: callUsers[user], Domain: k.Domain,
			Proxy: k.URI() + ";transport=udp", AutoAnswer: auto, ToneHz: 440})
		if err := b.WaitRegistered(context.Background()); err != nil {
			t.Fatal(err)
		}
		return b
	}
	start("4022", true)
	caller := start("4023", false)
	data := lineWorkspace(t, k)
	display := xvfb.Start(t, 1600, 1000)
	dir := t.TempDir()
	run := exec.Command(bin, "--data", data, "--screenshots", dir, "--screenshot-call", "4022")
	run.Env = append(os.Environ(), "DISPLAY="+display, "LANG=fr_FR.UTF-8")
	out := &syncbuf.Buffer{}
	run.Stdout, run.Stderr = out, out
	if err := run.Start(); err != nil {
		t.Fatal(err)
	}
	waitForFile(t, filepath.Join(dir, WaitingIncoming))
	if err := caller.Dial(context.Background(), "sip:4021@"+k.Domain); err != nil {
		t.Fatal(err)
	}
	if err := run.Wait(); err != nil {
		t.Fatalf("ligne: %v\n%s", err, out.String())
	}
	for _, name := range []string{"10-call.png", "11-incoming.png"} {
		img := decode(t, filepath.Join(dir, name))
		if n := distinctColors(img); n < 64 {
			t.Errorf("%s looks blank: %d colors", name, n)
		}
	}
	keepShots(t, dir, "1[01]-*.png") // the sections come from the demo test
}

// lineWorkspace makes a data folder whose account is 4021 on k, with a
// colleague directory, and the password in the keyring.
func lineWorkspace(t *testing.T, k *peers.Kamailio) string {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	db, err := store.Open(ctx, dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	p := selfcare.Profile{Schema: selfcare.ProfileSchema,
		Company: selfcare.Company{Name: "Lemoine Équipements SAS", SIPDomain: k.Domain, TimeZone: "Europe/Paris"},
		User:    selfcare.ProfileUser{ID: "u-4021", Name: "Camille Durand", Lines: []selfcare.ProfileLine{{Kind: selfcare.LineFixed, Extension: "4021"}}},
		Directory: []selfcare.DirectoryEntry{{ID: "u-4022", Name: "Julien Moreau", Extension: "4022"},
			{ID: "u-4023", Name: "Sophie Girard", Extension: "4023"}}}
	acct := selfcare.Account{DisplayName: "Camille Durand", User: "4021", Domain: k.Domain, OutboundProxy: k.Addr(), Transport: selfcare.TransportUDP}
	for _, err := range []error{db.ApplyProfile(ctx, p), db.SetAccount(ctx, acct), secrets.Keyring{}.Set(acct.SecretKey(), callUsers["4021"])} {
		if err != nil {
			t.Fatal(err)
		}
	}
	return dir
}
