package media

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
)

// WAVInfo describes the audio of a WAV file.
type WAVInfo struct {
	SampleRate    int
	Channels      int
	BitsPerSample int
	Float         bool
	DataBytes     int64 // size of the data chunk, -1 when unknown (streamed file)
}

// Duration returns the length of the audio, 0 when unknown.
func (i WAVInfo) Duration() float64 {
	if i.DataBytes < 0 || i.SampleRate == 0 {
		return 0
	}
	frame := int64(i.Channels * i.BitsPerSample / 8)
	return float64(i.DataBytes/frame) / float64(i.SampleRate)
}

// WAVReader reads a RIFF/WAVE file as s16le mono PCM at the file's rate:
// 8, 16, 24 and 32-bit integer PCM and 32-bit float, any number of channels
// (mixed down to mono).
type WAVReader struct {
	info WAVInfo
	r    *bufio.Reader
	left int64 // data bytes left, -1 = until EOF
	buf  []byte
}

// NewWAVReader parses the header of r and positions it at the audio data.
func NewWAVReader(r io.Reader) (*WAVReader, error) {
	br := bufio.NewReader(r)
	var riff [12]byte
	if _, err := io.ReadFull(br, riff[:]); err != nil {
		return nil, fmt.Errorf("read wav header: %w", err)
	}
	if string(riff[0:4]) != "RIFF" || string(riff[8:12]) != "WAVE" {
		return nil, fmt.Errorf("read wav header: not RIFF/WAVE: %w", ErrBadFormat)
	}
	w := &WAVReader{r: br}
	if err := w.readChunks(); err != nil {
		return nil, err
	}
	return w, nil
}

// readChunks reads chunks until "data", keeping "fmt ".
func (w *WAVReader) readChunks() error {
	haveFmt := false
	for {
		var hdr [8]byte
		if _, err := io.ReadFull(w.r, hdr[:]); err != nil {
			return fmt.Errorf("read wav chunk: %w", err)
		}
		id, size := string(hdr[0:4]), int64(binary.LittleEndian.Uint32(hdr[4:]))
		switch id {
		case "fmt ":
			if err := w.readFormat(size); err != nil {
				return err
			}
			haveFmt = true
		case "data":
			if !haveFmt {
				return fmt.Errorf("read wav: data before fmt: %w", ErrBadFormat)
			}
			w.setDataSize(size)
			return nil
		default:
			if _, err := w.r.Discard(int(size + size%2)); err != nil {
				return fmt.Errorf("skip wav chunk %q: %w", id, err)
			}
		}
	}
}

func (w *WAVReader) setDataSize(size int64) {
	w.info.DataBytes, w.left = size, size
	if size == 0xFFFFFFFF || size == 0 {
		w.info.DataBytes, w.left = -1, -1 // streamed: read to EOF
	}
}

// maxWAVChannels bounds the channel count a header may announce (reads
// allocate a buffer of whole frames).
const maxWAVChannels = 64

// maxFmtChunk bounds the "fmt " chunk (16 to 40 bytes in real files):
// its size comes from the file and is allocated.
const maxFmtChunk = 4096

func (w *WAVReader) readFormat(size int64) error {
	if size < 16 || size > maxFmtChunk {
		return fmt.Errorf("read wav fmt: chunk of %d bytes: %w", size, ErrBadFormat)
	}
	b := make([]byte, size+size%2)
	if _, err := io.ReadFull(w.r, b); err != nil {
		return fmt.Errorf("read wav fmt: %w", err)
	}
	tag := binary.LittleEndian.Uint16(b[0:])
	if tag == 0xFFFE && size >= 26 { // WAVE_FORMAT_EXTENSIBLE: sub-format GUID starts at 24
		tag = binary.LittleEndian.Uint16(b[24:])
	}
	w.info = WAVInfo{
		Channels:      int(binary.LittleEndian.Uint16(b[2:])),
		SampleRate:    int(binary.LittleEndian.Uint32(b[4:])),
		BitsPerSample: int(binary.LittleEndian.Uint16(b[14:])),
		Float:         tag == 3,
	}
	return w.checkFormat(tag)
}

func (w *WAVReader) checkFormat(tag uint16) error {
	i := w.info
	okInt := tag == 1 && (i.BitsPerSample == 8 || i.BitsPerSample == 16 || i.BitsPerSample == 24 || i.BitsPerSample == 32)
	okFloat := tag == 3 && i.BitsPerSample == 32
	if (!okInt && !okFloat) || i.Channels < 1 || i.Channels > maxWAVChannels || i.SampleRate <= 0 {
		return fmt.Errorf("read wav: format %d, %d bits, %d channels: %w", tag, i.BitsPerSample, i.Channels, ErrBadFormat)
	}
	return nil
}

// Info returns the file's format.
func (w *WAVReader) Info() WAVInfo {
	return w.info
}

// Read fills p with s16le mono samples.
func (w *WAVReader) Read(p []byte) (int, error) {
	frame := w.info.Channels * w.info.BitsPerSample / 8
	want := len(p) / 2 * frame
	if w.left >= 0 {
		want = int(min(int64(want), w.left))
	}
	if want < frame {
		if len(p) < 2 {
			return 0, nil
		}
		return 0, io.EOF
	}
	if cap(w.buf) < want {
		w.buf = make([]byte, want)
	}
	n, err := io.ReadFull(w.r, w.buf[:want/frame*frame])
	n = n / frame * frame
	if w.left >= 0 {
		w.left -= int64(n)
	}
	for f := range n / frame {
		binary.LittleEndian.PutUint16(p[2*f:], uint16(w.mono(w.buf[f*frame:(f+1)*frame])))
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || (err == io.EOF && n > 0) {
		err = nil
	}
	return 2 * (n / frame), err
}

// mono mixes one frame of channels down to a 16-bit sample.
func (w *WAVReader) mono(frame []byte) int16 {
	ch := w.info.Channels
	size := len(frame) / ch
	var sum float64
	for c := range ch {
		sum += w.sample(frame[c*size : (c+1)*size])
	}
	return clipFloat(sum / float64(ch))
}

// sample decodes one sample to the 16-bit scale.
func (w *WAVReader) sample(b []byte) float64 {
	switch {
	case w.info.Float:
		return float64(math.Float32frombits(binary.LittleEndian.Uint32(b))) * 32768
	case len(b) == 1:
		return (float64(b[0]) - 128) * 256
	case len(b) == 2:
		return float64(int16(binary.LittleEndian.Uint16(b)))
	case len(b) == 3:
		return float64(int32(uint32(b[0])<<8|uint32(b[1])<<16|uint32(b[2])<<24)>>8) / 256
	default:
		return float64(int32(binary.LittleEndian.Uint32(b))) / 65536
	}
}

// WAVFile is a WAV file opened for reading; Close closes the file.
type WAVFile struct {
	*WAVReader
	f *os.File
}

// OpenWAV opens a WAV file for reading.
func OpenWAV(path string) (*WAVFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open wav %s: %w", path, err)
	}
	r, err := NewWAVReader(f)
	if err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("open wav %s: %w", path, err)
	}
	return &WAVFile{WAVReader: r, f: f}, nil
}

// Close closes the file.
func (w *WAVFile) Close() error {
	return w.f.Close()
}
