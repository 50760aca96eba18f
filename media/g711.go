package media

import "math/bits"

// G.711 companding (ITU-T G.711), computed rather than tabulated so the
// package holds no mutable tables.

// ulawCodec is G.711 mu-law (PCMU).
type ulawCodec struct{}

// Encode appends the mu-law codes of pcm to dst.
func (ulawCodec) Encode(dst []byte, pcm []int16) []byte {
	for _, s := range pcm {
		dst = append(dst, LinearToUlaw(s))
	}
	return dst
}

// Decode appends the samples of the mu-law payload to dst.
func (ulawCodec) Decode(dst []int16, payload []byte) []int16 {
	for _, b := range payload {
		dst = append(dst, UlawToLinear(b))
	}
	return dst
}

// alawCodec is G.711 A-law (PCMA).
type alawCodec struct{}

// Encode appends the A-law codes of pcm to dst.
func (alawCodec) Encode(dst []byte, pcm []int16) []byte {
	for _, s := range pcm {
		dst = append(dst, LinearToAlaw(s))
	}
	return dst
}

// Decode appends the samples of the A-law payload to dst.
func (alawCodec) Decode(dst []int16, payload []byte) []int16 {
	for _, b := range payload {
		dst = append(dst, AlawToLinear(b))
	}
	return dst
}

const (
	ulawBias = 0x84
	ulawClip = 32635
)

// LinearToUlaw compresses one 16-bit sample to G.711 mu-law.
func LinearToUlaw(s int16) byte {
	v := int32(s)
	var sign byte
	if v < 0 {
		sign = 0x80
		v = -v
	}
	v = min(v, ulawClip) + ulawBias
	exp := bits.Len32(uint32(v>>7)) - 1
	mant := byte(v>>(exp+3)) & 0x0F
	return ^(sign | byte(exp)<<4 | mant)
}

// UlawToLinear expands one G.711 mu-law byte to a 16-bit sample.
func UlawToLinear(u byte) int16 {
	u = ^u
	t := (int32(u&0x0F) << 3) + ulawBias
	t <<= (u & 0x70) >> 4
	if u&0x80 != 0 {
		return int16(ulawBias - t)
	}
	return int16(t - ulawBias)
}

// LinearToAlaw compresses one 16-bit sample to G.711 A-law.
func LinearToAlaw(s int16) byte {
	v := int32(s) >> 3
	mask := byte(0xD5)
	if v < 0 {
		mask = 0x55
		v = -v - 1
	}
	seg := max(0, bits.Len32(uint32(v))-5)
	if seg >= 8 {
		return 0x7F ^ mask
	}
	a := byte(seg) << 4
	if seg < 2 {
		a |= byte(v>>1) & 0x0F
	} else {
		a |= byte(v>>seg) & 0x0F
	}
	return a ^ mask
}

// AlawToLinear expands one G.711 A-law byte to a 16-bit sample.
func AlawToLinear(a byte) int16 {
	a ^= 0x55
	t := int32(a&0x0F) << 4
	seg := (a & 0x70) >> 4
	switch seg {
	case 0:
		t += 8
	case 1:
		t += 0x108
	default:
		t += 0x108
		t <<= seg - 1
	}
	if a&0x80 != 0 {
		return int16(t)
	}
	return int16(-t)
}
