package packaging

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// The artefacts under test are stamped with this version, given to the dist
// scripts the way make dist gives them git describe: the third commit after
// a v0.42.0 tag.
const (
	testVersion    = "v0.42.0-3-gfeedbee"
	testPkgVersion = "0.42.0+3.gfeedbee" // Debian, AppStream
	testWinVersion = "0.42.0.3"          // Windows version resources
	testAppVersion = "0.42.0"            // fyne, CFBundleShortVersionString
)

var (
	// root is the repository's top folder (absolute).
	root string
	// scratch holds what the tests build; TestMain removes it.
	scratch string
	// fyneAppToml is FyneApp.toml before any build: packaging must not change it.
	fyneAppToml []byte
)

func TestMain(m *testing.M) {
	var err error
	if root, err = filepath.Abs(".."); err != nil {
		fmt.Fprintln(os.Stderr, "packaging tests:", err)
		os.Exit(1)
	}
	if scratch, err = os.MkdirTemp("", "ligne-packaging-test-"); err != nil {
		fmt.Fprintln(os.Stderr, "packaging tests:", err)
		os.Exit(1)
	}
	if fyneAppToml, err = os.ReadFile(filepath.Join(root, "FyneApp.toml")); err != nil {
		fmt.Fprintln(os.Stderr, "packaging tests:", err)
		os.Exit(1)
	}
	dependOnSourceTree()
	code := m.Run()
	os.RemoveAll(scratch)
	os.Exit(code)
}

// dependOnSourceTree opens every file of the repository, so that go test's
// result cache is invalidated when any of them changes: the artefacts are
// built from all of them by scripts this test binary does not link.
func dependOnSourceTree() {
	out, err := exec.Command("git", "-C", root, "ls-files", "-co", "--exclude-standard").Output()
	if err != nil {
		return // not a git checkout: nothing to list, the tests still run
	}
	for _, name := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if f, err := os.Open(filepath.Join(root, name)); err == nil {
			f.Close()
		}
	}
}

// distDir is the one output folder of the dist scripts in this run; each
// target is built into it once (sync.OnceValue), whichever test asks first.
func distDir() string { return filepath.Join(scratch, "dist") }

var (
	linuxBuild   = sync.OnceValue(func() error { return runDist("linux") })
	windowsBuild = sync.OnceValue(func() error { return runDist("windows") })
)

// runDist runs scripts/dist.sh for targets with the test version.
func runDist(targets ...string) error {
	args := append([]string{"-o", distDir()}, targets...)
	_, err := runScript(nil, "scripts/dist.sh", args...)
	return err
}

// runScript runs a script of the repository with VERSION=testVersion plus
// env, and returns its standard output; the error carries the end of its
// standard error.
func runScript(env []string, script string, args ...string) (string, error) {
	cmd := exec.Command(filepath.Join(root, script), args...)
	cmd.Dir = root
	cmd.Env = append(append(os.Environ(), "VERSION="+testVersion), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.String(), fmt.Errorf("%s %s: %w\n%s", script, strings.Join(args, " "), err, tail(stderr.String(), 4000))
	}
	return stdout.String(), nil
}

// tail returns the last n bytes of s.
func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "..." + s[len(s)-n:]
}

// needLinux builds the Linux artefacts (once) and fails the test if that failed.
func needLinux(t *testing.T) {
	t.Helper()
	if err := linuxBuild(); err != nil {
		t.Fatalf("build the Linux artefacts: %v", err)
	}
}

// needWindows builds the Windows artefacts (once) and fails the test if that failed.
func needWindows(t *testing.T) {
	t.Helper()
	if err := windowsBuild(); err != nil {
		t.Fatalf("build the Windows artefacts: %v", err)
	}
}

// artefact returns the path of the built file named name.
func artefact(t *testing.T, name string) string {
	t.Helper()
	p := filepath.Join(distDir(), name)
	if _, err := os.Stat(p); err != nil {
		entries, _ := os.ReadDir(distDir())
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Fatalf("%s was not built; dist holds %v", name, names)
	}
	return p
}

// run runs a command and returns its combined output, failing the test on error.
func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, tail(string(out), 4000))
	}
	return string(out)
}

// stdout runs a command and returns its standard output, failing the test
// on error. (Fyne logs to standard error, for instance about LANG=C.)
func stdout(t *testing.T, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	var errBuf bytes.Buffer
	cmd.Stderr = &errBuf
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, tail(errBuf.String(), 4000))
	}
	return string(out)
}

// TestChecksumsAndReleaseNotes runs the last steps of make dist on the Linux
// and Windows artefacts: every artefact is in SHA256SUMS and checks with
// sha256sum -c, and the release notes name the version and every file.
func TestChecksumsAndReleaseNotes(t *testing.T) {
	needLinux(t)
	needWindows(t)
	if err := runDist("checksums", "notes"); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"ligne_" + testPkgVersion + "_amd64.deb",
		"ligne_" + testPkgVersion + "_linux_amd64.tar.xz",
		"ligne_" + testPkgVersion + "_windows_amd64.zip",
		"ligne_" + testPkgVersion + "_windows_amd64_setup.exe",
	}
	cmd := exec.Command("sha256sum", "--strict", "-c", "SHA256SUMS")
	cmd.Dir = distDir()
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("sha256sum -c SHA256SUMS: %v\n%s", err, out)
	}
	for _, name := range want {
		if !strings.Contains(string(out), name+": OK") {
			t.Errorf("SHA256SUMS does not vouch for %s:\n%s", name, out)
		}
	}
	notes, err := os.ReadFile(filepath.Join(distDir(), "RELEASE_NOTES.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range append(want, "# Ligne "+testVersion) {
		if !strings.Contains(string(notes), s) {
			t.Errorf("RELEASE_NOTES.md does not mention %q", s)
		}
	}
}

// TestPackagingLeavesTheTreeAsItWas checks, after the builds, what fyne
// package is known to do to a source folder: raise Build in FyneApp.toml,
// leave a .syso, an .exe, a tarball or its staging folder behind.
func TestPackagingLeavesTheTreeAsItWas(t *testing.T) {
	needLinux(t)
	needWindows(t)
	now, err := os.ReadFile(filepath.Join(root, "FyneApp.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(now, fyneAppToml) {
		t.Errorf("FyneApp.toml changed during packaging:\n%s", now)
	}
	for _, name := range []string{"fyne.syso", "FyneApp.ico", "tmp-pkg", "Ligne.tar.xz", "Ligne.app", "ligne.exe", "lignectl.exe"} {
		if _, err := os.Stat(filepath.Join(root, name)); err == nil {
			t.Errorf("packaging left %s in the source tree", name)
		}
	}
}
