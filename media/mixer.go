package media

import (
	"io"
	"sync"
)

// Mixer sums several s16le PCM sources at one rate into one stream, for a
// local three-way conference (each party hears the others plus the local
// microphone) or a tone over a call. Read always fills its buffer (silence
// when there is no input) and never returns EOF; an input that ends is
// removed.
type Mixer struct {
	mu     sync.Mutex
	inputs map[int]io.Reader
	nextID int
	buf    []byte
	acc    []int32
}

// NewMixer returns an empty mixer.
func NewMixer() *Mixer {
	return &Mixer{inputs: map[int]io.Reader{}}
}

// Add adds an input and returns its id for Remove.
func (m *Mixer) Add(r io.Reader) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.nextID++
	m.inputs[m.nextID] = r
	return m.nextID
}

// Remove removes an input (no effect if it already ended).
func (m *Mixer) Remove(id int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.inputs, id)
}

// Len returns the number of inputs.
func (m *Mixer) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.inputs)
}

// Read mixes len(p)/2 samples of every input into p.
func (m *Mixer) Read(p []byte) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := len(p) &^ 1
	m.acc = append(m.acc[:0], make([]int32, n/2)...)
	if cap(m.buf) < n {
		m.buf = make([]byte, n)
	}
	for id, r := range m.inputs {
		if !m.addInput(r, m.buf[:n]) {
			delete(m.inputs, id)
		}
	}
	for i, v := range m.acc {
		s := clip16(v)
		p[2*i], p[2*i+1] = byte(uint16(s)), byte(uint16(s)>>8)
	}
	return n, nil
}

// addInput reads one block of r into the accumulator; false when r ended.
func (m *Mixer) addInput(r io.Reader, buf []byte) bool {
	got, err := io.ReadFull(r, buf)
	for i := 0; i+1 < got; i += 2 {
		m.acc[i/2] += int32(int16(uint16(buf[i]) | uint16(buf[i+1])<<8))
	}
	return err == nil // EOF, a short last block, or a failure: the input is done
}
