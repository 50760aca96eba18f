package media

import (
	"fmt"
	"io"
	"math"
)

// Resampler converts a mono PCM stream from one sample rate to another with
// a polyphase windowed-sinc (Kaiser) filter: exact rational ratios such as
// 8000 -> 44100 (441/80), about 60 dB of stopband, pass band up to 45 % of
// the lower rate. It keeps the filter history between calls.
type Resampler struct {
	from, to int
	up, down int         // ratio to/from reduced: up/down
	taps     int         // coefficients per phase
	coef     [][]float32 // [phase][tap]
	buf      []float32   // input history and pending input
	phase    int         // (k*down) mod up for the next output k
	base     int         // index in buf of the newest input the next output uses
}

// NewResampler returns a resampler from rate from to rate to (Hz).
func NewResampler(from, to int) (*Resampler, error) {
	if from <= 0 || to <= 0 {
		return nil, fmt.Errorf("new resampler %d->%d: %w", from, to, ErrBadRate)
	}
	g := gcd(from, to)
	r := &Resampler{from: from, to: to, up: to / g, down: from / g}
	if r.protoLen() > maxFilterLen {
		return nil, fmt.Errorf("new resampler %d->%d: ratio too complex: %w", from, to, ErrBadRate)
	}
	r.design()
	r.buf = make([]float32, r.taps-1)
	r.base = r.taps - 1
	return r, nil
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// maxFilterLen bounds the prototype filter, and so the memory a
// resampler takes (12 bytes a coefficient while designing): usual rates
// need at most about 25 000 coefficients; an odd rate such as 767999 Hz
// in a file's header would ask for tens of millions.
const maxFilterLen = 1 << 20

// resampleAtten is the stopband attenuation of the filter, in dB.
const resampleAtten = 60.0

// protoLen is the length of the prototype low-pass the ratio needs.
func (r *Resampler) protoLen() int {
	lower := float64(min(r.from, r.to))
	transition := 0.1 * lower             // Hz, centred on the cutoff
	fs := float64(r.from) * float64(r.up) // rate of the upsampled signal
	return int(math.Ceil((resampleAtten - 7.95) / (14.36 * transition / fs)))
}

// design computes the polyphase coefficients of the prototype low-pass.
func (r *Resampler) design() {
	const atten = resampleAtten
	lower := float64(min(r.from, r.to))
	cutoff := 0.5 * lower                 // Hz
	fs := float64(r.from) * float64(r.up) // rate of the upsampled signal
	n := r.protoLen()
	r.taps = max(2, (n+r.up-1)/r.up)
	n = r.taps * r.up
	beta := 0.1102 * (atten - 8.7)
	proto := make([]float64, n)
	mid := float64(n-1) / 2
	for i := range proto {
		t := float64(i) - mid
		proto[i] = 2 * cutoff / fs * sinc(2*cutoff/fs*t) * kaiser(t/mid, beta) * float64(r.up)
	}
	r.coef = make([][]float32, r.up)
	for p := range r.coef {
		r.coef[p] = make([]float32, r.taps)
		for j := range r.taps {
			r.coef[p][j] = float32(proto[p+j*r.up])
		}
	}
}

func sinc(x float64) float64 {
	if x == 0 {
		return 1
	}
	return math.Sin(math.Pi*x) / (math.Pi * x)
}

// kaiser evaluates the Kaiser window at x in [-1, 1].
func kaiser(x, beta float64) float64 {
	if x < -1 || x > 1 {
		return 0
	}
	return besselI0(beta*math.Sqrt(1-x*x)) / besselI0(beta)
}

func besselI0(x float64) float64 {
	sum, term := 1.0, 1.0
	for k := 1; k < 50; k++ {
		term *= (x / (2 * float64(k))) * (x / (2 * float64(k)))
		sum += term
		if term < sum*1e-12 {
			break
		}
	}
	return sum
}

// Rates returns the input and output rates.
func (r *Resampler) Rates() (from, to int) {
	return r.from, r.to
}

// Delay returns the group delay the filter adds, in output samples.
func (r *Resampler) Delay() int {
	return (r.taps*r.up - 1) / 2 / r.down
}

// Process appends to dst the output for the input samples src and returns it.
// Outputs are produced as soon as their input is available.
func (r *Resampler) Process(dst, src []int16) []int16 {
	if r.up == r.down {
		return append(dst, src...)
	}
	for _, s := range src {
		r.buf = append(r.buf, float32(s))
	}
	for r.base < len(r.buf) {
		dst = append(dst, clipFloat(float64(r.dot(r.base, r.coef[r.phase]))))
		r.phase += r.down
		r.base += r.phase / r.up
		r.phase %= r.up
	}
	r.compact()
	return dst
}

// dot convolves the taps of one phase with the input ending at index end.
func (r *Resampler) dot(end int, c []float32) float32 {
	x := r.buf[end-len(c)+1 : end+1]
	var acc float32
	for j, v := range c {
		acc += v * x[len(x)-1-j]
	}
	return acc
}

// compact drops the input no future output needs.
func (r *Resampler) compact() {
	keep := r.base - (r.taps - 1)
	if keep <= 0 || keep < len(r.buf)/2 {
		return
	}
	n := copy(r.buf, r.buf[keep:])
	r.buf = r.buf[:n]
	r.base -= keep
}

// ResampleReader is an io.Reader stage that resamples the s16le PCM of
// another reader.
type ResampleReader struct {
	src     io.Reader
	r       *Resampler
	in      []byte
	odd     []byte
	samples []int16
	out     []byte
	err     error
}

// NewResampleReader returns src converted from rate from to rate to. When
// the rates are equal it returns src itself.
func NewResampleReader(src io.Reader, from, to int) (io.Reader, error) {
	if from == to {
		return src, nil
	}
	r, err := NewResampler(from, to)
	if err != nil {
		return nil, err
	}
	return &ResampleReader{src: src, r: r, in: make([]byte, 2*max(1, from/100))}, nil
}

// Read fills p with resampled PCM; it returns the source's error once the
// output converted so far is drained.
func (rr *ResampleReader) Read(p []byte) (int, error) {
	for len(rr.out) < len(p) && rr.err == nil {
		if rr.fill() == 0 {
			break
		}
	}
	n := copy(p, rr.out)
	rr.out = rr.out[n:]
	if n == 0 && rr.err != nil {
		return 0, rr.err
	}
	return n, nil
}

// fill reads one chunk of the source and converts it; it returns the
// number of bytes read.
func (rr *ResampleReader) fill() int {
	n, err := rr.src.Read(rr.in)
	data := append(rr.odd, rr.in[:n]...)
	even := len(data) &^ 1
	rr.samples = BytesToSamples(rr.samples, data[:even])
	rr.odd = append(rr.odd[:0], data[even:]...)
	conv := rr.r.Process(nil, rr.samples)
	rr.out = append(rr.out, SamplesToBytes(nil, conv)...)
	if err != nil {
		rr.err = err
	}
	return n
}

// ResampleWriter is an io.Writer stage that resamples s16le PCM before
// writing it to another writer.
type ResampleWriter struct {
	dst     io.Writer
	r       *Resampler
	odd     []byte
	samples []int16
	conv    []int16
	out     []byte
}

// NewResampleWriter returns a writer that converts from rate from to rate to
// and writes to dst. When the rates are equal it returns dst itself.
func NewResampleWriter(dst io.Writer, from, to int) (io.Writer, error) {
	if from == to {
		return dst, nil
	}
	r, err := NewResampler(from, to)
	if err != nil {
		return nil, err
	}
	return &ResampleWriter{dst: dst, r: r}, nil
}

// Write converts p and writes the result; it reports len(p) on success.
func (rw *ResampleWriter) Write(p []byte) (int, error) {
	data := p
	if len(rw.odd) > 0 {
		data = append(rw.odd, p...)
	}
	even := len(data) &^ 1
	rw.samples = BytesToSamples(rw.samples, data[:even])
	rw.odd = append(rw.odd[:0], data[even:]...)
	rw.conv = rw.r.Process(rw.conv[:0], rw.samples)
	rw.out = SamplesToBytes(rw.out, rw.conv)
	if _, err := rw.dst.Write(rw.out); err != nil {
		return 0, fmt.Errorf("resample write: %w", err)
	}
	return len(p), nil
}
