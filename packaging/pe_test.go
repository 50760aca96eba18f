package packaging

import (
	"debug/pe"
	"encoding/binary"
	"errors"
	"fmt"
	"unicode/utf16"
)

// Windows resource types the tests look for.
const (
	rtIcon      = 3
	rtGroupIcon = 14
	rtVersion   = 16
	rtManifest  = 24
)

// resource is one leaf of a PE file's resource tree.
type resource struct {
	Type, Name, Lang uint32
	Data             []byte
}

// peImage is what the tests read of a Windows executable.
type peImage struct {
	Machine   uint16
	PE32Plus  bool
	Subsystem uint16
	Resources []resource
}

// readPE reads the header fields and the resources of the executable at path.
func readPE(path string) (*peImage, error) {
	f, err := pe.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	defer f.Close()
	img := &peImage{Machine: f.Machine}
	switch h := f.OptionalHeader.(type) {
	case *pe.OptionalHeader64:
		img.PE32Plus, img.Subsystem = true, h.Subsystem
	case *pe.OptionalHeader32:
		img.Subsystem = h.Subsystem
	}
	s := f.Section(".rsrc")
	if s == nil {
		return img, nil
	}
	data, err := s.Data()
	if err != nil {
		return nil, fmt.Errorf("read .rsrc of %s: %w", path, err)
	}
	r := rsrcReader{data: data, base: s.VirtualAddress}
	img.Resources, err = r.walk(0, 0, nil)
	if err != nil {
		return nil, fmt.Errorf("resources of %s: %w", path, err)
	}
	return img, nil
}

// find returns the first resource of type typ.
func (img *peImage) find(typ uint32) *resource {
	for i := range img.Resources {
		if img.Resources[i].Type == typ {
			return &img.Resources[i]
		}
	}
	return nil
}

// rsrcReader walks an IMAGE_RESOURCE_DIRECTORY tree: type, name, language.
type rsrcReader struct {
	data []byte
	base uint32 // the section's virtual address: data entries hold RVAs
}

var errRsrc = errors.New("malformed resource section")

func (r rsrcReader) u16(off uint32) (uint16, error) {
	if int(off)+2 > len(r.data) {
		return 0, errRsrc
	}
	return binary.LittleEndian.Uint16(r.data[off:]), nil
}

func (r rsrcReader) u32(off uint32) (uint32, error) {
	if int(off)+4 > len(r.data) {
		return 0, errRsrc
	}
	return binary.LittleEndian.Uint32(r.data[off:]), nil
}

// walk reads the directory at off, depth 0 (types) to 2 (languages).
func (r rsrcReader) walk(off uint32, depth int, path []uint32) ([]resource, error) {
	if depth > 2 {
		return nil, errRsrc
	}
	named, err := r.u16(off + 12)
	if err != nil {
		return nil, err
	}
	ids, err := r.u16(off + 14)
	if err != nil {
		return nil, err
	}
	var out []resource
	for i := uint32(0); i < uint32(named)+uint32(ids); i++ {
		entry := off + 16 + 8*i
		id, err1 := r.u32(entry)
		target, err2 := r.u32(entry + 4)
		if err := errors.Join(err1, err2); err != nil {
			return nil, err
		}
		p := append(append([]uint32(nil), path...), id)
		if target&0x80000000 != 0 {
			sub, err := r.walk(target&0x7fffffff, depth+1, p)
			if err != nil {
				return nil, err
			}
			out = append(out, sub...)
			continue
		}
		leaf, err := r.leaf(target, p)
		if err != nil {
			return nil, err
		}
		out = append(out, leaf)
	}
	return out, nil
}

// leaf reads the IMAGE_RESOURCE_DATA_ENTRY at off.
func (r rsrcReader) leaf(off uint32, path []uint32) (resource, error) {
	rva, err1 := r.u32(off)
	size, err2 := r.u32(off + 4)
	if err := errors.Join(err1, err2); err != nil || len(path) != 3 {
		return resource{}, errRsrc
	}
	start := rva - r.base
	if rva < r.base || int(start)+int(size) > len(r.data) {
		return resource{}, errRsrc
	}
	return resource{Type: path[0], Name: path[1], Lang: path[2], Data: r.data[start : start+size]}, nil
}

// versionInfo is a decoded VS_VERSIONINFO resource.
type versionInfo struct {
	FileVersion, ProductVersion [4]uint16
	FileFlags                   uint32
	Strings                     map[string]string // StringFileInfo, every table merged
}

// versionNode is one node of the VS_VERSIONINFO tree: a key, a value, children.
type versionNode struct {
	Key      string
	Value    []byte
	Text     bool
	Children []versionNode
}

// parseVersionInfo decodes an RT_VERSION resource.
func parseVersionInfo(b []byte) (*versionInfo, error) {
	root, _, err := parseVersionNode(b)
	if err != nil {
		return nil, err
	}
	if root.Key != "VS_VERSION_INFO" || len(root.Value) < 52 || binary.LittleEndian.Uint32(root.Value) != 0xFEEF04BD {
		return nil, fmt.Errorf("not a VS_VERSIONINFO: key %q", root.Key)
	}
	v := root.Value
	split := func(ms, ls uint32) [4]uint16 {
		return [4]uint16{uint16(ms >> 16), uint16(ms), uint16(ls >> 16), uint16(ls)}
	}
	le := binary.LittleEndian
	info := &versionInfo{
		FileVersion:    split(le.Uint32(v[8:]), le.Uint32(v[12:])),
		ProductVersion: split(le.Uint32(v[16:]), le.Uint32(v[20:])),
		FileFlags:      le.Uint32(v[28:]) & le.Uint32(v[24:]),
		Strings:        map[string]string{},
	}
	for _, c := range root.Children {
		if c.Key != "StringFileInfo" {
			continue
		}
		for _, table := range c.Children {
			for _, s := range table.Children {
				info.Strings[s.Key] = utf16String(s.Value)
			}
		}
	}
	return info, nil
}

// parseVersionNode decodes the node at the start of b and returns it with
// its length rounded up to 32 bits.
func parseVersionNode(b []byte) (versionNode, int, error) {
	if len(b) < 6 {
		return versionNode{}, 0, errRsrc
	}
	le := binary.LittleEndian
	length, valueLen, typ := int(le.Uint16(b)), int(le.Uint16(b[2:])), le.Uint16(b[4:])
	if length < 6 || length > len(b) {
		return versionNode{}, 0, errRsrc
	}
	b = b[:length]
	n := versionNode{Text: typ == 1}
	pos := 6
	var key []uint16
	for ; pos+1 < len(b); pos += 2 {
		c := le.Uint16(b[pos:])
		if c == 0 {
			pos += 2
			break
		}
		key = append(key, c)
	}
	n.Key = string(utf16.Decode(key))
	pos = align4(pos)
	if n.Text {
		valueLen *= 2
	}
	if pos+valueLen > len(b) {
		return versionNode{}, 0, errRsrc
	}
	n.Value = b[pos : pos+valueLen]
	for pos = align4(pos + valueLen); pos < len(b); {
		child, size, err := parseVersionNode(b[pos:])
		if err != nil {
			return versionNode{}, 0, err
		}
		n.Children = append(n.Children, child)
		pos += size
	}
	return n, align4(length), nil
}

func align4(n int) int { return (n + 3) &^ 3 }

// utf16String decodes little-endian UTF-16 up to the first NUL.
func utf16String(b []byte) string {
	var u []uint16
	for i := 0; i+1 < len(b); i += 2 {
		c := binary.LittleEndian.Uint16(b[i:])
		if c == 0 {
			break
		}
		u = append(u, c)
	}
	return string(utf16.Decode(u))
}
