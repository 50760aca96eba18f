package packaging

import (
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ligne-app/ligne/internal/xvfb"
	"github.com/ligne-app/ligne/ui"
)

// asRoot runs a command as root: directly when the tests run as root, else
// through sudo -n (no password prompt). It returns the combined output.
func asRoot(name string, args ...string) (string, error) {
	if os.Geteuid() != 0 {
		args = append([]string{"-n", name}, args...)
		name = "sudo"
	}
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
	out, err := cmd.CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("%s %s: %w\n%s", name, strings.Join(args, " "), err, tail(string(out), 4000))
	}
	return string(out), nil
}

// dpkg runs dpkg as root, waiting while another package manager holds
// dpkg's lock (other work on the machine may be installing packages).
func dpkg(args ...string) (string, error) {
	for wait := time.Second; ; wait *= 2 {
		out, err := asRoot("dpkg", args...)
		if err == nil || !strings.Contains(out, "lock") || wait > time.Minute {
			return out, err
		}
		time.Sleep(wait)
	}
}

// installedVersion returns the version of the installed ligne package, or "".
func installedVersion() string {
	out, err := exec.Command("dpkg-query", "-W", "-f", "${Status} ${Version}", "ligne").Output()
	if err != nil || !strings.HasPrefix(string(out), "install ok installed ") {
		return ""
	}
	return strings.TrimPrefix(string(out), "install ok installed ")
}

// installDeb installs the built .deb as a user would (dpkg -i, then
// apt-get -f install for missing dependencies) and purges it when the test
// ends. A ligne package installed by someone else stops the test rather
// than being replaced.
func installDeb(t *testing.T, deb string) {
	t.Helper()
	switch v := installedVersion(); v {
	case "":
	case testPkgVersion: // left by an interrupted run of this test
		if _, err := dpkg("--purge", "ligne"); err != nil {
			t.Fatal(err)
		}
	default:
		t.Fatalf("ligne %s is installed on this machine; this test installs and removes its own build: remove yours first (apt remove ligne)", v)
	}
	if _, err := dpkg("-i", deb); err != nil {
		if _, ferr := asRoot("apt-get", "-o", "DPkg::Lock::Timeout=300", "-f", "-y", "install"); ferr != nil {
			t.Fatalf("%v\nthen apt-get -f install: %v", err, ferr)
		}
	}
	t.Cleanup(func() {
		if installedVersion() != "" {
			dpkg("--purge", "ligne")
		}
	})
	if v := installedVersion(); v != testPkgVersion {
		t.Fatalf("after installing %s, dpkg reports ligne %q", filepath.Base(deb), v)
	}
}

// TestDebInstallRunRemove installs the .deb on this machine, starts the
// installed Ligne under Xvfb and takes a picture of every section, checks
// the versions, the tel:/sip:/callto: registration, then removes the
// package and checks that nothing of it stays.
func TestDebInstallRunRemove(t *testing.T) {
	needLinux(t)
	deb := artefact(t, debName)
	installDeb(t, deb)
	files := strings.Fields(run(t, "dpkg-query", "-L", "ligne"))

	t.Run("versions", func(t *testing.T) {
		if out := stdout(t, "/usr/bin/ligne", "--version"); strings.TrimSpace(out) != "ligne "+testVersion {
			t.Errorf("ligne --version: %q, want %q", out, "ligne "+testVersion)
		}
		if out := stdout(t, "/usr/bin/lignectl", "version"); strings.TrimSpace(out) != "lignectl "+testVersion {
			t.Errorf("lignectl version: %q, want %q", out, "lignectl "+testVersion)
		}
	})
	t.Run("url handlers registered", func(t *testing.T) {
		checkDesktopEntry(t, "/usr/share/applications/"+desktopFile, "ligne")
		cache := handlersInMimeCache(t)
		for _, h := range urlHandlers {
			if !contains(cache[h], desktopFile) {
				t.Errorf("mimeinfo.cache: %s=%v, want %s among them", h, cache[h], desktopFile)
			}
		}
	})
	t.Run("window", func(t *testing.T) { screenshotInstalled(t) })

	if _, err := dpkg("--remove", "ligne"); err != nil {
		t.Fatal(err)
	}
	if _, err := dpkg("--purge", "ligne"); err != nil {
		t.Fatal(err)
	}
	if v := installedVersion(); v != "" {
		t.Errorf("after dpkg --purge, ligne %s is still installed", v)
	}
	for _, f := range files {
		if st, err := os.Stat(f); err == nil && !st.IsDir() {
			t.Errorf("%s stayed after removal", f)
		}
	}
	for _, h := range urlHandlers {
		if contains(handlersInMimeCache(t)[h], desktopFile) {
			t.Errorf("mimeinfo.cache still names %s for %s", desktopFile, h)
		}
	}
}

// handlersInMimeCache reads /usr/share/applications/mimeinfo.cache, which
// desktop-file-utils' dpkg trigger rebuilds, into type -> desktop files.
func handlersInMimeCache(t *testing.T) map[string][]string {
	t.Helper()
	b, err := os.ReadFile("/usr/share/applications/mimeinfo.cache")
	if err != nil {
		t.Fatalf("read the desktop database: %v (is desktop-file-utils installed?)", err)
	}
	m := map[string][]string{}
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, "="); ok {
			m[k] = strings.Split(strings.TrimSuffix(v, ";"), ";")
		}
	}
	return m
}

// screenshotInstalled runs /usr/bin/ligne on a fresh demo workspace under a
// private Xvfb with --screenshots, and checks the picture of each section:
// the window's size, not blank.
func screenshotInstalled(t *testing.T) {
	display := xvfb.Start(t, 1600, 1000)
	shots := t.TempDir()
	cmd := exec.Command("/usr/bin/ligne", "--data", t.TempDir(), "--demo", "--screenshots", shots)
	cmd.Env = append(os.Environ(), "DISPLAY="+display, "LANG=fr_FR.UTF-8")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("ligne --screenshots: %v\n%s", err, tail(string(out), 4000))
	}
	ids := ui.SectionIDs()
	for i, id := range ids {
		file := filepath.Join(shots, fmt.Sprintf("%02d-%s.png", i+1, id))
		img, err := readPNG(file)
		if err != nil {
			t.Errorf("section %s: %v", id, err)
			continue
		}
		if b := img.Bounds(); b.Dx() != ui.WindowWidth || b.Dy() != ui.WindowHeight {
			t.Errorf("%s is %dx%d, the window is %dx%d", filepath.Base(file), b.Dx(), b.Dy(), ui.WindowWidth, ui.WindowHeight)
		}
		if n := colors(img); n < 64 {
			t.Errorf("%s looks blank: %d colours", filepath.Base(file), n)
		}
	}
}

func readPNG(path string) (image.Image, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return png.Decode(f)
}

// colors counts the distinct colours on a sparse grid: a drawn window has
// text and icons, a blank one a handful of colours.
func colors(img image.Image) int {
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
