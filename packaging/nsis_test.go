package packaging

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"unicode/utf16"
)

// This file reads the script compiled into an NSIS 3 Unicode installer (or
// uninstaller): the instructions ("entries") and the sections of its header.
// The layout is NSIS's Source/exehead/fileform.h: a firstheader on a
// 512-byte boundary, then the LZMA-compressed header; the header holds
// blocks (pages, sections, entries, strings, ...), each entry an opcode and
// six parameters, strings as UTF-16 with escape codes for variables, shell
// folders and language strings. LZMA is decoded by xz.
//
// Opcode numbers depend on how makensis was configured, so the tests learn
// them from a small script compiled by the same makensis (see calibrate in
// windows_test.go) instead of hard-coding them.

// nsisEntry is one instruction: the opcode and its six parameters.
type nsisEntry struct {
	Which  int32
	Params [6]int32
}

// nsisSection is a section of the script: its flags and code range.
type nsisSection struct {
	Flags, Code, CodeSize int32
}

// Section flags (fileform.h).
const (
	sfSelected = 1
	sfRO       = 16
)

// nsisScript is the decoded header of an installer.
type nsisScript struct {
	Uninstaller bool
	Entries     []nsisEntry
	Sections    []nsisSection
	strings     []byte
}

const (
	fhSig           = 0xDEADBEEF
	fhFlagUninstall = 1
	nsisBlocks      = 8 // pages, sections, entries, strings, langtables, ctlcolors, bgfont, data
)

// readNSIS decodes the header of the installer at path.
func readNSIS(path string) (*nsisScript, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	fh, err := findFirstHeader(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	le := binary.LittleEndian
	flags := le.Uint32(data[fh:])
	headerLen := int(le.Uint32(data[fh+20:]))
	header, err := decompressHeader(data[fh+28:], headerLen)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	s, err := parseHeader(header)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	s.Uninstaller = flags&fhFlagUninstall != 0
	return s, nil
}

// findFirstHeader returns the offset of the firstheader struct.
func findFirstHeader(data []byte) (int, error) {
	sig := []byte{0xEF, 0xBE, 0xAD, 0xDE, 'N', 'u', 'l', 'l', 's', 'o', 'f', 't', 'I', 'n', 's', 't'}
	for off := 0; off+28 <= len(data); off += 512 {
		if bytes.Equal(data[off+4:off+20], sig) {
			return off, nil
		}
	}
	return 0, errors.New("no NSIS firstheader: not an NSIS installer")
}

// decompressHeader returns the header block of headerLen bytes from the
// data that follows the firstheader: stored, solid LZMA (the header is the
// first length-prefixed block of one stream) or a non-solid LZMA block.
// The exehead knows which from how it was built; a reader tries each.
func decompressHeader(d []byte, headerLen int) ([]byte, error) {
	if len(d) < 9 {
		return nil, errors.New("truncated installer data")
	}
	n := binary.LittleEndian.Uint32(d)
	if int(n) == headerLen { // stored
		return d[4 : 4+headerLen], nil
	}
	out, solidErr := unlzma(d, 4+headerLen)
	if solidErr == nil && int(binary.LittleEndian.Uint32(out)) == headerLen {
		return out[4 : 4+headerLen], nil
	}
	if n&0x80000000 != 0 && int(n&0x7fffffff) <= len(d)-4 {
		out, err := unlzma(d[4:4+int(n&0x7fffffff)], headerLen)
		if err == nil {
			return out[:headerLen], nil
		}
		return nil, fmt.Errorf("neither a solid (%v) nor a block LZMA header (%v)", solidErr, err)
	}
	return nil, fmt.Errorf("no LZMA header: %v", solidErr)
}

// unlzma decodes an NSIS LZMA stream (5 bytes of properties, then raw
// LZMA1) with xz and returns at least the first need bytes. NSIS streams
// carry no end marker, so xz's complaint at the end is expected.
func unlzma(d []byte, need int) ([]byte, error) {
	p := int(d[0])
	if p >= 9*5*5 {
		return nil, fmt.Errorf("not an LZMA stream (properties byte %#x)", p)
	}
	lc, lp, pb := p%9, (p/9)%5, p/45
	dict := binary.LittleEndian.Uint32(d[1:])
	opts := fmt.Sprintf("--lzma1=lc=%d,lp=%d,pb=%d,dict=%d", lc, lp, pb, max(dict, 4096))
	cmd := exec.Command("xz", "--format=raw", opts, "--decompress", "--stdout")
	cmd.Stdin = bytes.NewReader(d[5:])
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	err := cmd.Run()
	if out.Len() < need {
		return nil, fmt.Errorf("xz decoded %d bytes of %d: %v %s", out.Len(), need, err, stderr.String())
	}
	return out.Bytes(), nil
}

// parseHeader reads the sections, entries and strings blocks.
func parseHeader(h []byte) (*nsisScript, error) {
	if len(h) < 4+8*nsisBlocks {
		return nil, errors.New("header too short")
	}
	le := binary.LittleEndian
	var off, num [nsisBlocks]int
	for i := range nsisBlocks {
		off[i] = int(le.Uint32(h[4+8*i:]))
		num[i] = int(le.Uint32(h[8+8*i:]))
	}
	const sections, entries, strs, langtables = 1, 2, 3, 4
	if off[entries]+28*num[entries] > len(h) || off[langtables] > len(h) || off[strs] > off[langtables] {
		return nil, errors.New("header blocks out of range")
	}
	s := &nsisScript{strings: h[off[strs]:off[langtables]]}
	for i := range num[entries] {
		var e nsisEntry
		b := h[off[entries]+28*i:]
		e.Which = int32(le.Uint32(b))
		for j := range e.Params {
			e.Params[j] = int32(le.Uint32(b[4+4*j:]))
		}
		s.Entries = append(s.Entries, e)
	}
	if num[sections] > 0 {
		size := (off[entries] - off[sections]) / num[sections]
		for i := range num[sections] {
			b := h[off[sections]+size*i:]
			s.Sections = append(s.Sections, nsisSection{
				Flags: int32(le.Uint32(b[8:])), Code: int32(le.Uint32(b[12:])), CodeSize: int32(le.Uint32(b[16:])),
			})
		}
	}
	return s, nil
}

// NSIS string escape codes (Unicode builds).
const (
	nsLangCode  = 1
	nsShellCode = 2
	nsVarCode   = 3
	nsSkipCode  = 4
)

// str decodes the string at parameter value p (an offset in UTF-16 units
// into the strings block), rendering variables as $INSTDIR, $0, $R0...,
// shell folders as $APPDATA, $SMPROGRAMS... and language strings as $(LANG:n).
// A negative p is a language string.
func (s *nsisScript) str(p int32) string {
	if p < 0 {
		return fmt.Sprintf("$(LANG:%d)", -(p + 1))
	}
	var units []uint16
	for i := 2 * int(p); i+1 < len(s.strings); i += 2 {
		c := binary.LittleEndian.Uint16(s.strings[i:])
		if c == 0 {
			break
		}
		units = append(units, c)
	}
	var b strings.Builder
	for i := 0; i < len(units); i++ {
		c := units[i]
		if c > nsSkipCode || i+1 == len(units) {
			b.WriteString(string(utf16.Decode([]uint16{c})))
			continue
		}
		i++
		arg := units[i]
		switch c {
		case nsSkipCode:
			b.WriteString(string(utf16.Decode([]uint16{arg})))
		case nsVarCode:
			b.WriteString(varName(int(arg>>8&0x7f)<<7 | int(arg&0x7f)))
		case nsShellCode:
			b.WriteString(shellFolder(arg))
		case nsLangCode:
			fmt.Fprintf(&b, "$(LANG:%d)", int(arg>>8&0x7f)<<7|int(arg&0x7f))
		}
	}
	return b.String()
}

// varName names NSIS's built-in variables by index.
func varName(i int) string {
	switch {
	case i < 10:
		return fmt.Sprintf("$%d", i)
	case i < 20:
		return fmt.Sprintf("$R%d", i-10)
	}
	names := map[int]string{20: "$CMDLINE", 21: "$INSTDIR", 22: "$OUTDIR", 23: "$EXEDIR", 24: "$LANGUAGE", 25: "$TEMP", 26: "$PLUGINSDIR"}
	if n, ok := names[i]; ok {
		return n
	}
	return fmt.Sprintf("$VAR%d", i)
}

// shellFolder names a shell folder by its current-user CSIDL (low byte).
func shellFolder(code uint16) string {
	names := map[uint16]string{0x02: "$SMPROGRAMS", 0x1A: "$APPDATA", 0x1C: "$LOCALAPPDATA", 0x10: "$DESKTOP", 0x0B: "$STARTMENU"}
	if n, ok := names[code&0xff]; ok {
		return n
	}
	return fmt.Sprintf("$SHELL%#04x", code)
}

// entriesIn returns the entries of section i.
func (s *nsisScript) entriesIn(i int) []nsisEntry {
	sec := s.Sections[i]
	if sec.Code < 0 || int(sec.Code+sec.CodeSize) > len(s.Entries) {
		return nil
	}
	return s.Entries[sec.Code : sec.Code+sec.CodeSize]
}

// hasString reports whether any string of the script's string table equals v.
func (s *nsisScript) hasString(v string) bool {
	for i := 0; 2*i < len(s.strings); i++ {
		if (i == 0 || binary.LittleEndian.Uint16(s.strings[2*i-2:]) == 0) && s.str(int32(i)) == v {
			return true
		}
	}
	return false
}
