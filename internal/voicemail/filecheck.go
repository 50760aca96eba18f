package voicemail

import (
	"errors"
	"fmt"
)

// errTruncated reports an MP3 or WAV file cut short.
var errTruncated = errors.New("the file is cut short (incomplete)")

// Layer III bitrates in kbit/s by bitrate index, for MPEG-1 and MPEG-2/2.5.
var (
	mp3RatesV1 = [16]int{0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, -1}
	mp3RatesV2 = [16]int{0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, -1}
	mp3Freqs   = [4]int{44100, 48000, 32000, -1}
)

// checkMP3Frames walks the MPEG audio frames of an MP3 file and reports a
// file whose frame chain does not end with the file (a cut download): go-mp3
// decodes such a file quietly up to the cut.
func checkMP3Frames(b []byte) error {
	off := skipID3v2(b)
	end := len(b)
	if end-off >= 128 && string(b[end-128:end-125]) == "TAG" {
		end -= 128 // ID3v1 trailer
	}
	frames := 0
	for off < end {
		n, err := mp3FrameLen(b[off:end])
		if err != nil {
			if frames > 0 && off+4 > end {
				return errTruncated
			}
			return err
		}
		if off+n > end {
			return errTruncated
		}
		off += n
		frames++
	}
	if frames == 0 {
		return errors.New("no MP3 frame")
	}
	return nil
}

// skipID3v2 returns the offset after an ID3v2 tag, or 0.
func skipID3v2(b []byte) int {
	if len(b) < 10 || string(b[:3]) != "ID3" {
		return 0
	}
	size := int(b[6]&0x7f)<<21 | int(b[7]&0x7f)<<14 | int(b[8]&0x7f)<<7 | int(b[9]&0x7f)
	if b[5]&0x10 != 0 {
		size += 10 // footer
	}
	return min(len(b), 10+size)
}

// mp3FrameLen returns the length in bytes of the Layer III frame at b.
func mp3FrameLen(b []byte) (int, error) {
	if len(b) < 4 || b[0] != 0xFF || b[1]&0xE0 != 0xE0 {
		return 0, errTruncated
	}
	version, layer := (b[1]>>3)&3, (b[1]>>1)&3
	if version == 1 || layer != 1 {
		return 0, fmt.Errorf("not an MPEG Layer III frame")
	}
	freq := mp3Freqs[(b[2]>>2)&3]
	rates, coef := mp3RatesV1, 144
	if version != 3 { // MPEG-2 or 2.5
		rates, coef = mp3RatesV2, 72
		freq /= map[byte]int{2: 2, 0: 4}[version]
	}
	rate := rates[b[2]>>4]
	if rate <= 0 || freq <= 0 {
		return 0, fmt.Errorf("bad MP3 frame header")
	}
	return coef*rate*1000/freq + int((b[2]>>1)&1), nil
}

// checkWAVData refuses a WAV whose data chunk announces more audio than
// the file holds (a cut copy). A streamed header (size 0 or 0xFFFFFFFF)
// announces nothing and passes.
func checkWAVData(b []byte) error {
	for off := 12; off+8 <= len(b); {
		id, size := string(b[off:off+4]), int64(uint32(b[off+4])|uint32(b[off+5])<<8|uint32(b[off+6])<<16|uint32(b[off+7])<<24)
		if id == "data" {
			if size == 0 || size == 0xFFFFFFFF || int64(off+8)+size <= int64(len(b))+1 {
				return nil
			}
			return errTruncated
		}
		off += 8 + int(size) + int(size%2)
	}
	return nil
}
