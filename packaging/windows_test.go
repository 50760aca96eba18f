package packaging

import (
	"archive/zip"
	"bytes"
	"debug/pe"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

var (
	zipName   = "ligne_" + testPkgVersion + "_windows_amd64.zip"
	setupName = "ligne_" + testPkgVersion + "_windows_amd64_setup.exe"
	// The URL schemes the installer registers.
	schemes = []string{"tel", "sip", "callto"}
)

const (
	hkcu           = -0x7fffffff // HKEY_CURRENT_USER as NSIS stores it (0x80000001)
	openCommand    = `"$INSTDIR\ligne.exe" "%1"`
	uninstallKey   = `Software\Microsoft\Windows\CurrentVersion\Uninstall\Ligne`
	vsFFPrerelease = 0x2
)

// unzipPortable returns the folder where the portable zip was unpacked (once).
var unzipPortable = sync.OnceValues(func() (string, error) {
	if err := windowsBuild(); err != nil {
		return "", err
	}
	dir := filepath.Join(scratch, "zip")
	zr, err := zip.OpenReader(filepath.Join(distDir(), zipName))
	if err != nil {
		return "", err
	}
	defer zr.Close()
	for _, f := range zr.File {
		if err := unzipFile(f, filepath.Join(dir, filepath.Base(f.Name))); err != nil {
			return "", err
		}
	}
	return dir, nil
})

func unzipFile(f *zip.File, dst string) error {
	r, err := f.Open()
	if err != nil {
		return err
	}
	defer r.Close()
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	w, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(w, r); err != nil {
		w.Close()
		return err
	}
	return w.Close()
}

// unpackInstaller returns the folder where 7-Zip unpacked the installer's
// payload (once): the programs and the uninstaller NSIS writes.
var unpackInstaller = sync.OnceValues(func() (string, error) {
	if err := windowsBuild(); err != nil {
		return "", err
	}
	dir := filepath.Join(scratch, "setup")
	out, err := exec.Command("7zz", "x", "-y", "-o"+dir, filepath.Join(distDir(), setupName)).CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("7zz x: %v\n%s", err, out)
	}
	return dir, nil
})

// must calls get and fails the test on its error.
func must(t *testing.T, get func() (string, error)) string {
	t.Helper()
	dir, err := get()
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestWindowsExecutables: ligne.exe is a 64-bit GUI program, lignectl.exe a
// console one, both with the icon, the manifest and the version resource
// carrying the stamped version.
func TestWindowsExecutables(t *testing.T) {
	dir := must(t, unzipPortable)
	for _, c := range []struct {
		exe       string
		subsystem uint16
	}{{"ligne", pe.IMAGE_SUBSYSTEM_WINDOWS_GUI}, {"lignectl", pe.IMAGE_SUBSYSTEM_WINDOWS_CUI}} {
		img, err := readPE(filepath.Join(dir, c.exe+".exe"))
		if err != nil {
			t.Fatal(err)
		}
		if !img.PE32Plus || img.Machine != pe.IMAGE_FILE_MACHINE_AMD64 || img.Subsystem != c.subsystem {
			t.Errorf("%s.exe: PE32+ %v, machine %#x, subsystem %d; want PE32+, amd64, subsystem %d",
				c.exe, img.PE32Plus, img.Machine, img.Subsystem, c.subsystem)
		}
		checkVersionResource(t, c.exe, img)
		checkManifest(t, c.exe, img)
		checkIcon(t, c.exe, img)
	}
}

// checkVersionResource checks the version resource of exe.
func checkVersionResource(t *testing.T, exe string, img *peImage) {
	t.Helper()
	r := img.find(rtVersion)
	if r == nil {
		t.Errorf("%s.exe has no version resource", exe)
		return
	}
	v, err := parseVersionInfo(r.Data)
	if err != nil {
		t.Errorf("%s.exe: %v", exe, err)
		return
	}
	want := [4]uint16{0, 42, 0, 3}
	if v.FileVersion != want || v.ProductVersion != want {
		t.Errorf("%s.exe: file version %v, product version %v, want %v", exe, v.FileVersion, v.ProductVersion, want)
	}
	for k, w := range map[string]string{"ProductVersion": testVersion, "FileVersion": testWinVersion,
		"ProductName": "Ligne", "OriginalFilename": exe + ".exe"} {
		if v.Strings[k] != w {
			t.Errorf("%s.exe: %s = %q, want %q", exe, k, v.Strings[k], w)
		}
	}
	if v.FileFlags&vsFFPrerelease == 0 {
		t.Errorf("%s.exe: %s is not a release, the file flags should say pre-release", exe, testVersion)
	}
}

// checkManifest checks that exe runs without elevation and names its version.
func checkManifest(t *testing.T, exe string, img *peImage) {
	t.Helper()
	r := img.find(rtManifest)
	if r == nil {
		t.Errorf("%s.exe has no manifest", exe)
		return
	}
	m := string(r.Data)
	for _, want := range []string{`level="asInvoker"`, `version="` + testWinVersion + `"`, "PerMonitorV2", "{8e0f7a12-bfb3-4fe8-b9a5-48fd50a15a9a}"} {
		if !strings.Contains(m, want) {
			t.Errorf("%s.exe manifest lacks %s", exe, want)
		}
	}
}

// checkIcon checks that exe's icon group holds the usual sizes up to 256.
func checkIcon(t *testing.T, exe string, img *peImage) {
	t.Helper()
	g := img.find(rtGroupIcon)
	if g == nil || len(g.Data) < 6 {
		t.Errorf("%s.exe has no icon", exe)
		return
	}
	var sizes []int
	for i := 0; i < int(binary.LittleEndian.Uint16(g.Data[4:])) && 6+14*i+14 <= len(g.Data); i++ {
		w := int(g.Data[6+14*i])
		if w == 0 {
			w = 256
		}
		sizes = append(sizes, w)
	}
	if fmt.Sprint(sizes) != "[16 24 32 48 64 128 256]" {
		t.Errorf("%s.exe icon sizes %v, want 16 to 256", exe, sizes)
	}
}

// TestInstallerPayload: the installer carries the very programs of the
// portable zip, an uninstaller, its own version, and asks for no elevation.
func TestInstallerPayload(t *testing.T) {
	files := must(t, unpackInstaller)
	portable := must(t, unzipPortable)
	for _, exe := range []string{"ligne.exe", "lignectl.exe"} {
		a, err1 := os.ReadFile(filepath.Join(files, exe))
		b, err2 := os.ReadFile(filepath.Join(portable, exe))
		if err1 != nil || err2 != nil || !bytes.Equal(a, b) {
			t.Errorf("%s in the installer differs from the zip's (%v, %v)", exe, err1, err2)
		}
	}
	if _, err := os.Stat(filepath.Join(files, "uninstall.exe")); err != nil {
		t.Errorf("no uninstaller in the installer: %v", err)
	}
	img, err := readPE(artefact(t, setupName))
	if err != nil {
		t.Fatal(err)
	}
	if m := img.find(rtManifest); m == nil || !strings.Contains(string(m.Data), `level="asInvoker"`) {
		t.Errorf("the installer's manifest does not run it as the invoking user (no admin)")
	}
	if r := img.find(rtVersion); r == nil {
		t.Error("the installer has no version resource")
	} else if v, err := parseVersionInfo(r.Data); err != nil || v.Strings["ProductVersion"] != testVersion || v.FileVersion != [4]uint16{0, 42, 0, 3} {
		t.Errorf("installer version: %+v %v", v, err)
	}
}

// opcodes are the NSIS instruction numbers of this makensis and where each
// instruction keeps its parameters, learnt by calibrate (makensis versions
// differ: 3.08 keeps DeleteRegKey's root key in the second parameter).
type opcodes struct {
	writeReg, delReg, readReg, shortcut, rmdir, deleteFile int32
	// parameter positions
	writeRoot, writeKey, writeName, writeValue  int
	delRoot, delKey, delName, delAction         int
	readKey, readName                           int
	linkFile, linkTarget, rmdirPath, deletePath int
	// EW_DELREG's action values
	delKeyAction, delValueAction int32
}

// calibrate compiles a script whose instructions are known with the same
// makensis and reads the opcodes back from it.
var calibrate = sync.OnceValues(func() (opcodes, error) {
	dir, err := os.MkdirTemp(scratch, "calibrate")
	if err != nil {
		return opcodes{}, err
	}
	script := filepath.Join(dir, "calibrate.nsi")
	err = os.WriteFile(script, []byte(`Unicode true
SetCompressor /SOLID lzma
RequestExecutionLevel user
OutFile "`+filepath.Join(dir, "calibrate.exe")+`"
Section
  WriteRegStr HKCU "calibrate\write" "calibrate.name" "calibrate.data"
  DeleteRegKey HKCU "calibrate\deletekey"
  DeleteRegValue HKCU "calibrate\deletevalue" "calibrate.value"
  ReadRegStr $0 HKCU "calibrate\read" "calibrate.readname"
  CreateShortCut "$TEMP\calibrate.lnk" "$TEMP\calibrate.exe"
  RMDir /r "$TEMP\calibrate.dir"
  Delete "$TEMP\calibrate.file"
SectionEnd
`), 0o644)
	if err != nil {
		return opcodes{}, err
	}
	if out, err := exec.Command("makensis", "-V2", script).CombinedOutput(); err != nil {
		return opcodes{}, fmt.Errorf("makensis calibrate.nsi: %v\n%s", err, out)
	}
	s, err := readNSIS(filepath.Join(dir, "calibrate.exe"))
	if err != nil {
		return opcodes{}, err
	}
	return learnOpcodes(s)
})

// calibration finds the instructions of the calibration script.
type calibration struct {
	s    *nsisScript
	errs []error
}

// locate returns the instruction with a string parameter equal to value,
// and that parameter's position.
func (c *calibration) locate(value string) (nsisEntry, int) {
	for _, e := range c.s.Entries {
		for i, p := range e.Params {
			if p >= 0 && c.s.str(p) == value {
				return e, i
			}
		}
	}
	c.errs = append(c.errs, fmt.Errorf("calibration: no instruction with %q", value))
	return nsisEntry{}, -1
}

// param returns the position of value (a string, or HKCU) in e.
func (c *calibration) param(e nsisEntry, value string) int {
	for i, p := range e.Params {
		if value == "HKCU" && p == hkcu || value != "HKCU" && p >= 0 && c.s.str(p) == value {
			return i
		}
	}
	c.errs = append(c.errs, fmt.Errorf("calibration: %q not in %+v", value, e))
	return -1
}

// learnOpcodes reads the opcodes and parameter positions off the calibration script.
func learnOpcodes(s *nsisScript) (opcodes, error) {
	c := &calibration{s: s}
	var o opcodes
	w, _ := c.locate(`calibrate\write`)
	o.writeReg, o.writeRoot, o.writeKey = w.Which, c.param(w, "HKCU"), c.param(w, `calibrate\write`)
	o.writeName, o.writeValue = c.param(w, "calibrate.name"), c.param(w, "calibrate.data")
	dk, _ := c.locate(`calibrate\deletekey`)
	dv, _ := c.locate(`calibrate\deletevalue`)
	o.delReg, o.delRoot, o.delKey = dk.Which, c.param(dk, "HKCU"), c.param(dk, `calibrate\deletekey`)
	o.delName = c.param(dv, "calibrate.value")
	o.delAction = -1
	for i := range dk.Params {
		if i != o.delKey && i != o.delName && dk.Params[i] != dv.Params[i] {
			o.delAction, o.delKeyAction, o.delValueAction = i, dk.Params[i], dv.Params[i]
		}
	}
	if dv.Which != dk.Which || o.delAction < 0 {
		c.errs = append(c.errs, errors.New("calibration: DeleteRegKey and DeleteRegValue are not one opcode with distinct actions"))
	}
	r, _ := c.locate(`calibrate\read`)
	o.readReg, o.readKey, o.readName = r.Which, c.param(r, `calibrate\read`), c.param(r, "calibrate.readname")
	l, _ := c.locate(`$TEMP\calibrate.lnk`)
	o.shortcut, o.linkFile, o.linkTarget = l.Which, c.param(l, `$TEMP\calibrate.lnk`), c.param(l, `$TEMP\calibrate.exe`)
	rd, _ := c.locate(`$TEMP\calibrate.dir`)
	o.rmdir, o.rmdirPath = rd.Which, c.param(rd, `$TEMP\calibrate.dir`)
	df, _ := c.locate(`$TEMP\calibrate.file`)
	o.deleteFile, o.deletePath = df.Which, c.param(df, `$TEMP\calibrate.file`)
	return o, errors.Join(c.errs...)
}

// regWrite is a registry write of the script, strings decoded.
type regWrite struct {
	Root             int32
	Key, Name, Value string
}

// regWrites lists the registry writes of s.
func regWrites(s *nsisScript, op opcodes) []regWrite {
	var w []regWrite
	for _, e := range s.Entries {
		if e.Which == op.writeReg {
			p := e.Params
			w = append(w, regWrite{p[op.writeRoot], s.str(p[op.writeKey]), s.str(p[op.writeName]), s.str(p[op.writeValue])})
		}
	}
	return w
}

// scriptOf reads the compiled script of the installer at path and the opcodes.
func scriptOf(t *testing.T, path string) (*nsisScript, opcodes) {
	t.Helper()
	op, err := calibrate()
	if err != nil {
		t.Fatal(err)
	}
	s, err := readNSIS(path)
	if err != nil {
		t.Fatal(err)
	}
	return s, op
}

// TestInstallerRegistersURLProtocols reads the script compiled into the
// installer: per-user keys only, and for tel:, sip: and callto: a URL
// protocol that opens "$INSTDIR\ligne.exe" "%1", plus Ligne's ProgID and
// capabilities for Windows' Default apps; a Start menu shortcut and an
// entry in Apps & features.
func TestInstallerRegistersURLProtocols(t *testing.T) {
	needWindows(t)
	s, op := scriptOf(t, artefact(t, setupName))
	if s.Uninstaller {
		t.Fatal("the installer's header says uninstaller")
	}
	writes := regWrites(s, op)
	has := func(key, name, value string) bool {
		for _, w := range writes {
			if w.Root == hkcu && w.Key == key && w.Name == name && (value == "*" || w.Value == value) {
				return true
			}
		}
		return false
	}
	for _, w := range writes {
		if w.Root != hkcu {
			t.Errorf("write outside HKEY_CURRENT_USER (root %#x): %s\\%s: a per-user install must not", uint32(w.Root), w.Key, w.Name)
		}
	}
	for _, sc := range schemes {
		for _, key := range []string{`Software\Classes\` + sc, `Software\Classes\Ligne.Url.` + sc} {
			if !has(key, "URL Protocol", "") || !has(key, "", "*") {
				t.Errorf("%s: no URL protocol (URL Protocol value and description)", key)
			}
			if !has(key+`\shell\open\command`, "", openCommand) {
				t.Errorf("%s\\shell\\open\\command does not open %s", key, openCommand)
			}
		}
		if !has(`Software\Ligne\Capabilities\URLAssociations`, sc, "Ligne.Url."+sc) {
			t.Errorf("Ligne's capabilities do not list %s", sc)
		}
	}
	if !has(`Software\RegisteredApplications`, "Ligne", `Software\Ligne\Capabilities`) {
		t.Error("Ligne is not in RegisteredApplications (Default apps)")
	}
	if !has(uninstallKey, "UninstallString", `"$INSTDIR\uninstall.exe"`) || !has(uninstallKey, "DisplayVersion", testVersion) {
		t.Error("no Apps & features entry with the uninstaller and the version")
	}
	if !hasEntry(s, op.shortcut, op.linkFile, `$SMPROGRAMS\Ligne.lnk`, op.linkTarget, `$INSTDIR\ligne.exe`) {
		t.Error(`no Start menu shortcut $SMPROGRAMS\Ligne.lnk to $INSTDIR\ligne.exe`)
	}
}

// hasEntry reports whether s has an instruction which with parameter p1
// equal to v1 and p2 equal to v2.
func hasEntry(s *nsisScript, which int32, p1 int, v1 string, p2 int, v2 string) bool {
	for _, e := range s.Entries {
		if e.Which == which && s.str(e.Params[p1]) == v1 && s.str(e.Params[p2]) == v2 {
			return true
		}
	}
	return false
}

// TestUninstallerRemovesRegistrationsKeepsData reads the script compiled
// into the uninstaller: it deletes the URL protocols (the scheme key only
// after reading that it still opens this Ligne), the ProgIDs, the
// capabilities and the shortcut; the user's data goes only in a section
// that is not selected unless the user asks.
func TestUninstallerRemovesRegistrationsKeepsData(t *testing.T) {
	dir := must(t, unpackInstaller)
	s, op := scriptOf(t, filepath.Join(dir, "uninstall.exe"))
	if !s.Uninstaller {
		t.Fatal("uninstall.exe's header does not say uninstaller")
	}
	deleted := func(key, value string) bool {
		for _, e := range s.Entries {
			p := e.Params
			if e.Which != op.delReg || p[op.delRoot] != hkcu || s.str(p[op.delKey]) != key {
				continue
			}
			action := p[op.delAction]
			if value == "" && action == op.delKeyAction || value != "" && action == op.delValueAction && s.str(p[op.delName]) == value {
				return true
			}
		}
		return false
	}
	for _, sc := range schemes {
		for _, key := range []string{`Software\Classes\` + sc, `Software\Classes\Ligne.Url.` + sc} {
			if !deleted(key, "") {
				t.Errorf("the uninstaller does not delete %s", key)
			}
		}
		if !hasEntry(s, op.readReg, op.readKey, `Software\Classes\`+sc+`\shell\open\command`, op.readName, "") {
			t.Errorf("the uninstaller does not check who owns %s: before deleting it", sc)
		}
	}
	for _, k := range []struct{ key, value string }{{`Software\Ligne`, ""}, {uninstallKey, ""}, {`Software\RegisteredApplications`, "Ligne"}} {
		if !deleted(k.key, k.value) {
			t.Errorf("the uninstaller leaves %s %s", k.key, k.value)
		}
	}
	checkDataSection(t, s, op)
}

// checkDataSection: exactly one uninstaller section removes $APPDATA\Ligne;
// it is unselected by default and the program's section is selected and fixed.
func checkDataSection(t *testing.T, s *nsisScript, op opcodes) {
	t.Helper()
	var dataSections, programSections []int
	for i := range s.Sections {
		data, program := false, false
		for _, e := range s.entriesIn(i) {
			data = data || e.Which == op.rmdir && strings.HasPrefix(s.str(e.Params[op.rmdirPath]), `$APPDATA\`)
			program = program || e.Which == op.deleteFile && s.str(e.Params[op.deletePath]) == `$INSTDIR\ligne.exe`
		}
		if data {
			dataSections = append(dataSections, i)
		}
		if program {
			programSections = append(programSections, i)
		}
	}
	if len(programSections) != 1 || s.Sections[programSections[0]].Flags&(sfSelected|sfRO) != sfSelected|sfRO {
		t.Errorf("the section removing ligne.exe: %v %+v, want one, selected and read-only", programSections, s.Sections)
	}
	if len(dataSections) == 0 {
		t.Fatal(`no uninstaller section removes $APPDATA\Ligne: the user cannot ask for the data to go`)
	}
	for _, i := range dataSections {
		if s.Sections[i].Flags&sfSelected != 0 {
			t.Errorf("section %d removes the user's data and is selected by default", i)
		}
		if len(programSections) == 1 && i == programSections[0] {
			t.Errorf("the program's section removes the user's data")
		}
	}
	if !hasEntry(s, op.rmdir, op.rmdirPath, `$APPDATA\Ligne`, op.rmdirPath, `$APPDATA\Ligne`) {
		t.Error(`the data section does not remove $APPDATA\Ligne`)
	}
	if !s.hasString("/DELETEDATA") {
		t.Error("the uninstaller does not read /DELETEDATA (data removal in a silent uninstall)")
	}
}
