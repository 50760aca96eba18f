// Package syncbuf is a bytes.Buffer safe for one writer (a process's
// output, a logger) and readers on other goroutines (the test).
package syncbuf

import (
	"bytes"
	"sync"
)

// Buffer collects bytes under a lock.
type Buffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write appends p.
func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns what was written so far.
func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
