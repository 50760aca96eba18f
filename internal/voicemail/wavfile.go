package voicemail

import (
	"encoding/binary"
	"fmt"
	"os"
	"sync"
	"time"
)

// Rate is the sample rate of stored messages and greetings (mono, 16-bit):
// the narrowband codecs' rate.
const Rate = 8000

// wavHeaderSize is the canonical 44-byte PCM header.
const wavHeaderSize = 44

// safeWAV is a mono 16-bit WAV file whose header is rewritten at least
// once per second of audio, so that a process killed mid-recording leaves
// a valid file holding everything up to the last second.
type safeWAV struct {
	mu       sync.Mutex
	f        *os.File
	rate     int
	data     int64 // bytes of samples written
	synced   int64 // data size the header announces
	every    int64 // bytes between header rewrites
	closed   bool
	writeErr error
}

// createSafeWAV creates path (0600) with an empty header.
func createSafeWAV(path string, rate int) (*safeWAV, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("create message %s: %w", path, err)
	}
	w := &safeWAV{f: f, rate: rate, every: int64(rate) * 2}
	if _, err := f.Write(wavHeader(rate, 0)); err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("create message %s: %w", path, err)
	}
	return w, nil
}

// wavHeader returns the header of a mono 16-bit PCM file of data bytes.
func wavHeader(rate int, data int64) []byte {
	h := make([]byte, wavHeaderSize)
	copy(h[0:], "RIFF")
	binary.LittleEndian.PutUint32(h[4:], uint32(data+36))
	copy(h[8:], "WAVEfmt ")
	binary.LittleEndian.PutUint32(h[16:], 16)
	binary.LittleEndian.PutUint16(h[20:], 1)
	binary.LittleEndian.PutUint16(h[22:], 1)
	binary.LittleEndian.PutUint32(h[24:], uint32(rate))
	binary.LittleEndian.PutUint32(h[28:], uint32(rate*2))
	binary.LittleEndian.PutUint16(h[32:], 2)
	binary.LittleEndian.PutUint16(h[34:], 16)
	copy(h[36:], "data")
	binary.LittleEndian.PutUint32(h[40:], uint32(data))
	return h
}

// Write appends s16le samples (an odd trailing byte is dropped).
func (w *safeWAV) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed || w.writeErr != nil {
		return 0, fmt.Errorf("record message: %w", os.ErrClosed)
	}
	even := p[:len(p)&^1]
	if _, err := w.f.Write(even); err != nil {
		w.writeErr = err
		return 0, fmt.Errorf("record message: %w", err)
	}
	w.data += int64(len(even))
	if w.data-w.synced >= w.every {
		w.syncHeader()
	}
	return len(p), nil
}

// syncHeader announces the data written so far (called with mu held).
func (w *safeWAV) syncHeader() {
	if _, err := w.f.WriteAt(wavHeader(w.rate, w.data), 0); err != nil {
		w.writeErr = err
		return
	}
	w.synced = w.data
}

// Duration returns the audio written so far.
func (w *safeWAV) Duration() time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	return bytesDuration(w.data, w.rate)
}

// Truncate keeps only the first d of audio (trailing silence).
func (w *safeWAV) Truncate(d time.Duration) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	keep := int64(d.Seconds()*float64(w.rate)) * 2
	if keep >= w.data || w.closed {
		return nil
	}
	if err := w.f.Truncate(wavHeaderSize + keep); err != nil {
		return fmt.Errorf("trim message: %w", err)
	}
	if _, err := w.f.Seek(0, 2); err != nil {
		return fmt.Errorf("trim message: %w", err)
	}
	w.data = keep
	w.syncHeader()
	return nil
}

// Close writes the final header and closes the file.
func (w *safeWAV) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return nil
	}
	w.closed = true
	w.syncHeader()
	err := w.writeErr
	if cerr := w.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("close message: %w", err)
	}
	return nil
}

func bytesDuration(n int64, rate int) time.Duration {
	return time.Duration(n/2) * time.Second / time.Duration(rate)
}

// repairWAV fixes the header of a message cut by a crash so that it
// announces every whole sample in the file, and returns its duration.
func repairWAV(path string) (time.Duration, error) {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return 0, fmt.Errorf("repair message %s: %w", path, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return 0, fmt.Errorf("repair message %s: %w", path, err)
	}
	h := make([]byte, wavHeaderSize)
	if _, err := f.ReadAt(h, 0); err != nil {
		return 0, fmt.Errorf("repair message %s: %w", path, err)
	}
	rate := int(binary.LittleEndian.Uint32(h[24:]))
	if string(h[:4]) != "RIFF" || rate <= 0 {
		return 0, fmt.Errorf("repair message %s: not a message file", path)
	}
	data := (st.Size() - wavHeaderSize) &^ 1
	if _, err := f.WriteAt(wavHeader(rate, data), 0); err != nil {
		return 0, fmt.Errorf("repair message %s: %w", path, err)
	}
	return bytesDuration(data, rate), nil
}
