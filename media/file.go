package media

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/hajimehoshi/go-mp3"
)

// AudioFile is an opened sound file read as s16le mono PCM at Rate.
type AudioFile struct {
	io.Reader
	Rate   int
	Format string // "wav" or "mp3"
	closer io.Closer
}

// Close closes the underlying file.
func (f *AudioFile) Close() error {
	if f.closer == nil {
		return nil
	}
	return f.closer.Close()
}

// OpenAudioFile opens a WAV or MP3 file (recognized by its content, not its
// name) for reading as mono PCM at the file's own rate; chain it with
// NewResampleReader to reach a codec or device rate.
func OpenAudioFile(path string) (*AudioFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open audio %s: %w", path, err)
	}
	af, err := NewAudioReader(f)
	if err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("open audio %s: %w", path, err)
	}
	af.closer = f
	return af, nil
}

// NewAudioReader reads WAV or MP3 data from r as mono PCM.
func NewAudioReader(r io.Reader) (*AudioFile, error) {
	br := bufio.NewReaderSize(r, 64*1024)
	head, _ := br.Peek(12)
	switch {
	case len(head) >= 12 && string(head[0:4]) == "RIFF" && string(head[8:12]) == "WAVE":
		w, err := NewWAVReader(br)
		if err != nil {
			return nil, err
		}
		return &AudioFile{Reader: w, Rate: w.Info().SampleRate, Format: "wav"}, nil
	case looksLikeMP3(head):
		if err := skipID3(br); err != nil {
			return nil, err
		}
		return newMP3Reader(br)
	}
	return nil, fmt.Errorf("read audio: neither WAV nor MP3: %w", ErrBadFormat)
}

// looksLikeMP3 recognizes an ID3v2 tag or an MPEG audio frame sync.
func looksLikeMP3(head []byte) bool {
	if len(head) >= 3 && strings.HasPrefix(string(head), "ID3") {
		return true
	}
	return len(head) >= 2 && head[0] == 0xFF && head[1]&0xE0 == 0xE0
}

// skipID3 discards the ID3v2 tags at the start of an MP3 without holding
// them in memory: go-mp3 allocates a tag's announced size (up to 256 MB
// from a 10-byte header).
func skipID3(br *bufio.Reader) error {
	for {
		h, err := br.Peek(10)
		if err != nil || string(h[:3]) != "ID3" {
			return nil
		}
		size := int64(h[6]&0x7f)<<21 | int64(h[7]&0x7f)<<14 | int64(h[8]&0x7f)<<7 | int64(h[9]&0x7f)
		if h[5]&0x10 != 0 {
			size += 10 // footer
		}
		if _, err := io.CopyN(io.Discard, br, 10+size); err != nil {
			return fmt.Errorf("read mp3: id3 tag: %w", ErrBadFormat)
		}
	}
}

func newMP3Reader(r io.Reader) (af *AudioFile, err error) {
	defer recoverMP3(&err)
	d, err := mp3.NewDecoder(r)
	if err != nil {
		return nil, fmt.Errorf("read mp3: %w", err)
	}
	return &AudioFile{Reader: &stereoToMono{r: safeMP3{d}}, Rate: d.SampleRate(), Format: "mp3"}, nil
}

// safeMP3 reads a go-mp3 decoder, which panics on some corrupt frames
// (index out of range in its main data reader): a damaged file a user
// picked must end with an error, not end Ligne.
type safeMP3 struct{ d *mp3.Decoder }

func (s safeMP3) Read(p []byte) (n int, err error) {
	defer recoverMP3(&err)
	return s.d.Read(p)
}

// recoverMP3 turns a panic of the decoder into ErrBadFormat.
func recoverMP3(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("read mp3: corrupt data (%v): %w", r, ErrBadFormat)
	}
}

// stereoToMono mixes interleaved s16le stereo (what go-mp3 produces) down
// to mono.
type stereoToMono struct {
	r   io.Reader
	buf []byte
	odd []byte // a partial stereo frame carried to the next read
}

// Read fills p with mono samples, averaging each stereo pair.
func (s *stereoToMono) Read(p []byte) (int, error) {
	frames := len(p) / 2
	if frames == 0 {
		return 0, nil
	}
	if cap(s.buf) < 4*frames {
		s.buf = make([]byte, 4*frames)
	}
	buf := append(s.buf[:0], s.odd...)
	n, err := s.r.Read(buf[len(buf) : 4*frames])
	buf = buf[:len(buf)+n]
	whole := len(buf) / 4 * 4
	s.odd = append(s.odd[:0], buf[whole:]...)
	for i := 0; i < whole; i += 4 {
		l := int32(int16(binary.LittleEndian.Uint16(buf[i:])))
		r := int32(int16(binary.LittleEndian.Uint16(buf[i+2:])))
		binary.LittleEndian.PutUint16(p[i/2:], uint16(int16((l+r)/2)))
	}
	if whole > 0 && err == io.EOF {
		err = nil
	}
	return whole / 2, err
}
