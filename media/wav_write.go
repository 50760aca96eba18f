package media

import (
	"encoding/binary"
	"fmt"
	"io"
	"os"
)

// WAVWriter writes s16le mono PCM as a 16-bit WAV file, mono or with the
// sample duplicated on each channel. When the destination can seek, Close
// writes the final sizes; otherwise the header announces a streamed file.
type WAVWriter struct {
	w        io.Writer
	rate     int
	channels int
	data     int64
	odd      []byte
	buf      []byte
	closer   io.Closer
	closed   bool
}

// NewWAVWriter writes a WAV header for rate and channels (1 or 2) to w.
func NewWAVWriter(w io.Writer, rate, channels int) (*WAVWriter, error) {
	if rate <= 0 || channels < 1 || channels > 2 {
		return nil, fmt.Errorf("new wav writer %d Hz %d ch: %w", rate, channels, ErrBadFormat)
	}
	ww := &WAVWriter{w: w, rate: rate, channels: channels}
	if _, err := w.Write(ww.header(0xFFFFFFFF)); err != nil {
		return nil, fmt.Errorf("write wav header: %w", err)
	}
	return ww, nil
}

// CreateWAV creates the file path and returns a writer to it.
func CreateWAV(path string, rate, channels int) (*WAVWriter, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("create wav %s: %w", path, err)
	}
	w, err := NewWAVWriter(f, rate, channels)
	if err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("create wav %s: %w", path, err)
	}
	w.closer = f
	return w, nil
}

// header returns the 44-byte canonical header for data bytes of audio.
func (w *WAVWriter) header(data int64) []byte {
	h := make([]byte, 44)
	block := w.channels * 2
	copy(h[0:], "RIFF")
	binary.LittleEndian.PutUint32(h[4:], uint32(min(data+36, 0xFFFFFFFF)))
	copy(h[8:], "WAVEfmt ")
	binary.LittleEndian.PutUint32(h[16:], 16)
	binary.LittleEndian.PutUint16(h[20:], 1)
	binary.LittleEndian.PutUint16(h[22:], uint16(w.channels))
	binary.LittleEndian.PutUint32(h[24:], uint32(w.rate))
	binary.LittleEndian.PutUint32(h[28:], uint32(w.rate*block))
	binary.LittleEndian.PutUint16(h[32:], uint16(block))
	binary.LittleEndian.PutUint16(h[34:], 16)
	copy(h[36:], "data")
	binary.LittleEndian.PutUint32(h[40:], uint32(min(data, 0xFFFFFFFF)))
	return h
}

// Write appends s16le mono samples.
func (w *WAVWriter) Write(p []byte) (int, error) {
	if w.closed {
		return 0, fmt.Errorf("write wav: %w", ErrClosed)
	}
	data := p
	if len(w.odd) > 0 {
		data = append(w.odd, p...)
	}
	even := len(data) &^ 1
	out := data[:even]
	if w.channels == 2 {
		out = w.stereo(data[:even])
	}
	if _, err := w.w.Write(out); err != nil {
		return 0, fmt.Errorf("write wav: %w", err)
	}
	w.data += int64(len(out))
	w.odd = append(w.odd[:0], data[even:]...)
	return len(p), nil
}

func (w *WAVWriter) stereo(mono []byte) []byte {
	w.buf = w.buf[:0]
	for i := 0; i+1 < len(mono); i += 2 {
		w.buf = append(w.buf, mono[i], mono[i+1], mono[i], mono[i+1])
	}
	return w.buf
}

// Close writes the final sizes when possible and closes the file it created.
func (w *WAVWriter) Close() error {
	if w.closed {
		return nil
	}
	w.closed = true
	err := w.finish()
	if w.closer != nil {
		if cerr := w.closer.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("close wav: %w", cerr)
		}
	}
	return err
}

func (w *WAVWriter) finish() error {
	s, ok := w.w.(io.WriteSeeker)
	if !ok {
		return nil
	}
	if _, err := s.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("finish wav: %w", err)
	}
	if _, err := s.Write(w.header(w.data)); err != nil {
		return fmt.Errorf("finish wav: %w", err)
	}
	if _, err := s.Seek(0, io.SeekEnd); err != nil {
		return fmt.Errorf("finish wav: %w", err)
	}
	return nil
}
