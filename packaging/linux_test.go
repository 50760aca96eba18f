package packaging

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
)

const (
	appID       = "app.ligne.desktop"
	desktopFile = appID + ".desktop"
)

var (
	debName     = "ligne_" + testPkgVersion + "_amd64.deb"
	tarballName = "ligne_" + testPkgVersion + "_linux_amd64.tar.xz"
	// The handlers the desktop entry declares, for the links users click.
	urlHandlers = []string{"x-scheme-handler/tel", "x-scheme-handler/sip", "x-scheme-handler/callto"}
	iconSizes   = []int{16, 24, 32, 48, 64, 128, 256, 512}
)

// debTree returns a folder holding the files of the built .deb, unpacked
// once with dpkg-deb -x (no installation).
var debTree = sync.OnceValues(func() (string, error) {
	if err := linuxBuild(); err != nil {
		return "", err
	}
	dir := filepath.Join(scratch, "deb-files")
	out, err := exec.Command("dpkg-deb", "-x", filepath.Join(distDir(), debName), dir).CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("dpkg-deb -x: %v: %s", err, out)
	}
	return dir, nil
})

// unpackedDeb returns the folder of the unpacked .deb, failing the test if it is missing.
func unpackedDeb(t *testing.T) string {
	t.Helper()
	dir, err := debTree()
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// desktopEntry reads the keys of the [Desktop Entry] group of a .desktop file.
func desktopEntry(t *testing.T, path string) map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	keys := map[string]string{}
	group := ""
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "[") {
			group = line
			continue
		}
		if k, v, ok := strings.Cut(line, "="); ok && group == "[Desktop Entry]" {
			keys[k] = v
		}
	}
	return keys
}

// checkDesktopEntry validates a desktop entry with desktop-file-validate and
// checks that it starts ligne with the clicked link and declares the URL handlers.
func checkDesktopEntry(t *testing.T, path, exec string) {
	t.Helper()
	run(t, "desktop-file-validate", path)
	e := desktopEntry(t, path)
	if e["Exec"] != exec+" %u" {
		t.Errorf("%s: Exec=%q, want %q (the link is passed to Ligne)", path, e["Exec"], exec+" %u")
	}
	mimes := strings.Split(e["MimeType"], ";")
	for _, h := range urlHandlers {
		if !contains(mimes, h) {
			t.Errorf("%s: MimeType=%q lacks %s", path, e["MimeType"], h)
		}
	}
	if e["Icon"] != appID || e["Name"] != "Ligne" || e["StartupWMClass"] != "Ligne" {
		t.Errorf("%s: Icon=%q Name=%q StartupWMClass=%q, want %s, Ligne, Ligne (the window's class)",
			path, e["Icon"], e["Name"], e["StartupWMClass"], appID)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestDebDesktopEntry: the desktop entry the .deb installs validates and
// makes Ligne the handler of tel:, sip: and callto: links.
func TestDebDesktopEntry(t *testing.T) {
	dir := unpackedDeb(t)
	checkDesktopEntry(t, filepath.Join(dir, "usr/share/applications", desktopFile), "ligne")
}

// metainfo is the part of an AppStream file the tests read.
type metainfo struct {
	ID         string `xml:"id"`
	Launchable struct {
		Type string `xml:"type,attr"`
		ID   string `xml:",chardata"`
	} `xml:"launchable"`
	Binaries []string `xml:"provides>binary"`
	Releases []struct {
		Version string `xml:"version,attr"`
		Date    string `xml:"date,attr"`
	} `xml:"releases>release"`
}

// TestDebAppStream: the AppStream file validates with appstreamcli, names
// the packaged version as its release, and points at the installed desktop entry.
func TestDebAppStream(t *testing.T) {
	dir := unpackedDeb(t)
	path := filepath.Join(dir, "usr/share/metainfo", appID+".metainfo.xml")
	run(t, "appstreamcli", "validate", "--no-net", "--pedantic", path)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m metainfo
	if err := xml.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if m.ID != appID || m.Launchable.Type != "desktop-id" || m.Launchable.ID != desktopFile {
		t.Errorf("id %q, launchable %s %q; want %s and desktop-id %s", m.ID, m.Launchable.Type, m.Launchable.ID, appID, desktopFile)
	}
	if _, err := os.Stat(filepath.Join(dir, "usr/share/applications", m.Launchable.ID)); err != nil {
		t.Errorf("the launchable %s is not in the package", m.Launchable.ID)
	}
	if len(m.Releases) == 0 || m.Releases[0].Version != testPkgVersion || !regexp.MustCompile(`^\d{4}-\d\d-\d\d$`).MatchString(m.Releases[0].Date) {
		t.Errorf("releases %+v, want %s with a date first", m.Releases, testPkgVersion)
	}
	if !contains(m.Binaries, "ligne") || !contains(m.Binaries, "lignectl") {
		t.Errorf("provides binaries %v, want ligne and lignectl", m.Binaries)
	}
}

// TestDebControl: the .deb's metadata: name, version, architecture and the
// libraries the window loads.
func TestDebControl(t *testing.T) {
	needLinux(t)
	deb := artefact(t, debName)
	field := func(name string) string {
		return strings.TrimSpace(run(t, "dpkg-deb", "-f", deb, name))
	}
	for name, want := range map[string]string{"Package": "ligne", "Version": testPkgVersion, "Architecture": "amd64", "Section": "comm"} {
		if got := field(name); got != want {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
	}
	depends := strings.Split(field("Depends"), ", ")
	for _, lib := range []string{"libgl1", "libx11-6", "libxcursor1", "libxrandr2", "libxinerama1", "libxi6", "libxxf86vm1", "libasound2 | libpulse0"} {
		if !contains(depends, lib) {
			t.Errorf("Depends %v lacks %s", depends, lib)
		}
	}
	if !regexp.MustCompile(`^libc6 \(>= 2\.\d+\)$`).MatchString(depends[0]) {
		t.Errorf("Depends %v should start with the glibc the binaries need, libc6 (>= 2.x)", depends)
	}
	if d := field("Description"); !strings.Contains(d, "softphone") || !strings.Contains(d, "lignectl") {
		t.Errorf("Description %q", d)
	}
}

// TestDebIcons: the icon at every usual size, each a PNG of that size,
// under the name the desktop entry asks for, plus the SVG.
func TestDebIcons(t *testing.T) {
	dir := unpackedDeb(t)
	for _, n := range iconSizes {
		path := filepath.Join(dir, fmt.Sprintf("usr/share/icons/hicolor/%dx%d/apps/%s.png", n, n, appID))
		f, err := os.Open(path)
		if err != nil {
			t.Errorf("no %dx%d icon: %v", n, n, err)
			continue
		}
		cfg, err := png.DecodeConfig(f)
		f.Close()
		if err != nil || cfg.Width != n || cfg.Height != n {
			t.Errorf("%s: %dx%d %v, want a %dx%d PNG", path, cfg.Width, cfg.Height, err, n, n)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "usr/share/icons/hicolor/scalable/apps", appID+".svg")); err != nil {
		t.Errorf("no scalable icon: %v", err)
	}
}

// TestFyneTarball: the tarball of fyne package installs for the user with
// make user-install: ligne and lignectl on ~/.local/bin printing the
// version, the desktop entry with the URL handlers, the icon; make
// user-uninstall takes them away again.
func TestFyneTarball(t *testing.T) {
	needLinux(t)
	dir := t.TempDir()
	run(t, "tar", "-xJf", artefact(t, tarballName), "-C", dir)
	src := filepath.Join(dir, "ligne")
	home := t.TempDir()
	make := func(target string) {
		t.Helper()
		cmd := exec.Command("make", "-C", src, target, "HOME="+home)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("make %s: %v\n%s", target, err, out)
		}
	}
	make("user-install")
	bin := filepath.Join(home, ".local/bin")
	if out := stdout(t, filepath.Join(bin, "ligne"), "--version"); strings.TrimSpace(out) != "ligne "+testVersion {
		t.Errorf("ligne --version: %q, want %q", out, "ligne "+testVersion)
	}
	if out := stdout(t, filepath.Join(bin, "lignectl"), "version"); strings.TrimSpace(out) != "lignectl "+testVersion {
		t.Errorf("lignectl version: %q, want %q", out, "lignectl "+testVersion)
	}
	desktop := filepath.Join(home, ".local/share/applications", desktopFile)
	checkDesktopEntry(t, desktop, filepath.Join(bin, "ligne"))
	if _, err := os.Stat(filepath.Join(home, ".local/share/icons", appID+".png")); err != nil {
		t.Errorf("no icon: %v", err)
	}
	make("user-uninstall")
	for _, p := range []string{filepath.Join(bin, "ligne"), filepath.Join(bin, "lignectl"), desktop} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("make user-uninstall left %s", p)
		}
	}
}
