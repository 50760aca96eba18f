package media

import (
	"encoding/binary"
	"time"
)

// FrameDuration is the packetization interval of a session: one RTP packet
// and one source read / sink write every 20 ms.
const FrameDuration = 20 * time.Millisecond

// SamplesPerFrame returns the number of samples in one 20 ms frame at rate.
func SamplesPerFrame(rate int) int {
	return rate / 50
}

// BytesToSamples decodes s16le bytes into dst (resized) and returns it.
// A trailing odd byte is ignored.
func BytesToSamples(dst []int16, b []byte) []int16 {
	n := len(b) / 2
	dst = growInt16(dst, n)
	for i := range n {
		dst[i] = int16(binary.LittleEndian.Uint16(b[2*i:]))
	}
	return dst
}

// SamplesToBytes encodes samples as s16le into dst (resized) and returns it.
func SamplesToBytes(dst []byte, s []int16) []byte {
	if cap(dst) < 2*len(s) {
		dst = make([]byte, 2*len(s))
	}
	dst = dst[:2*len(s)]
	for i, v := range s {
		binary.LittleEndian.PutUint16(dst[2*i:], uint16(v))
	}
	return dst
}

func growInt16(s []int16, n int) []int16 {
	if cap(s) < n {
		return make([]int16, n)
	}
	return s[:n]
}

// clip16 saturates v to the int16 range.
func clip16(v int32) int16 {
	if v > 32767 {
		return 32767
	}
	if v < -32768 {
		return -32768
	}
	return int16(v)
}

// clipFloat saturates a float sample to the int16 range, rounding to nearest.
func clipFloat(v float64) int16 {
	if v >= 32767 {
		return 32767
	}
	if v <= -32768 {
		return -32768
	}
	if v < 0 {
		return int16(v - 0.5)
	}
	return int16(v + 0.5)
}
