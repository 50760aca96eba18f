package packaging

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// baseVersion returns FyneApp.toml's Version, the base of untagged builds.
func baseVersion(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, "FyneApp.toml"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^\s*Version\s*=\s*"([^"]+)"`).FindSubmatch(b)
	if m == nil {
		t.Fatal("FyneApp.toml has no Version")
	}
	return string(m[1])
}

// versionForms runs scripts/dist-version.sh on describe (with 42 commits in
// the history) and returns its assignments.
func versionForms(t *testing.T, describe string) (map[string]string, error) {
	t.Helper()
	out, err := runScript([]string{"COMMITS=42"}, "scripts/dist-version.sh", describe)
	if err != nil {
		return nil, err
	}
	forms := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		k, v, _ := strings.Cut(line, "=")
		forms[k] = strings.Trim(v, "'")
	}
	return forms, nil
}

// TestVersionForms: what git describe says becomes the version each package
// format wants.
func TestVersionForms(t *testing.T) {
	base := baseVersion(t)
	cases := []struct{ describe, pkg, win, app, release string }{
		{"v1.2.3", "1.2.3", "1.2.3.0", "1.2.3", "1"},
		{"v1.2", "1.2.0", "1.2.0.0", "1.2.0", "1"},
		{"v1.2.3-rc1", "1.2.3~rc1", "1.2.3.0", "1.2.3", "0"},
		{"v1.2.3-4-gabc1234", "1.2.3+4.gabc1234", "1.2.3.4", "1.2.3", "0"},
		{"v1.2.3-4-gabc1234-dirty", "1.2.3+4.gabc1234.dirty", "1.2.3.4", "1.2.3", "0"},
		{"v1.2.3-dirty", "1.2.3+dirty", "1.2.3.0", "1.2.3", "0"},
		{"abc1234", base + "~dev.42.gabc1234", base + ".42", base, "0"}, // no tag: FyneApp.toml's version
		{"abc1234-dirty", base + "~dev.42.gabc1234.dirty", base + ".42", base, "0"},
		{testVersion, testPkgVersion, testWinVersion, testAppVersion, "0"},
	}
	for _, c := range cases {
		got, err := versionForms(t, c.describe)
		if err != nil {
			t.Errorf("%s: %v", c.describe, err)
			continue
		}
		want := map[string]string{"VERSION": c.describe, "PKG_VERSION": c.pkg, "WIN_VERSION": c.win,
			"APP_VERSION": c.app, "APP_BUILD": "42", "RELEASE": c.release}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("%s: %s = %q, want %q", c.describe, k, got[k], v)
			}
		}
	}
}

// TestVersionRefusesUnknownTags: a tag that is not vX.Y.Z stops make dist
// with a message instead of producing a package version apt cannot order.
func TestVersionRefusesUnknownTags(t *testing.T) {
	_, err := versionForms(t, "release-2024")
	if err == nil || !strings.Contains(err.Error(), "vX.Y.Z") {
		t.Fatalf("dist-version.sh release-2024: %v, want a refusal naming vX.Y.Z", err)
	}
}

// TestPackageVersionsUpgradeInOrder: apt upgrades from a development build
// (no tag yet) to the release it prepares, and from a release candidate to
// the release, to later commits, to the next release.
func TestPackageVersionsUpgradeInOrder(t *testing.T) {
	upgrades(t, []string{"abc1234", "v" + baseVersion(t)})
	upgrades(t, []string{"v1.2.3-rc1", "v1.2.3-rc1-2-gdef5678", "v1.2.3", "v1.2.3-1-g1111111", "v1.2.3-5-g0000000", "v1.2.4"})
}

// upgrades checks that dpkg orders the package versions of the describe
// strings in order, each before the next.
func upgrades(t *testing.T, order []string) {
	t.Helper()
	var pkgs []string
	for _, d := range order {
		f, err := versionForms(t, d)
		if err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, f["PKG_VERSION"])
	}
	for i := 1; i < len(pkgs); i++ {
		if err := exec.Command("dpkg", "--compare-versions", pkgs[i-1], "lt", pkgs[i]).Run(); err != nil {
			t.Errorf("dpkg does not order %s (%s) before %s (%s)", pkgs[i-1], order[i-1], pkgs[i], order[i])
		}
	}
}
