package media

import (
	"errors"
	"io"
	"math"
	"sync"
	"time"
)

// EchoCanceller removes the far end's voice picked up by the microphone
// when a call is on speakers. It is a partitioned-block frequency-domain
// adaptive filter (overlap-save, per-bin normalized step, gradient
// constraint applied to one partition per block in turn) with a
// double-talk detector that freezes adaptation while the local user
// speaks, and a divergence guard. It runs at the codec rate (8 or 16 kHz)
// in pure Go: no cgo library to carry to Windows and macOS. See
// docs/media.md for the choice and the measured echo return loss
// enhancement.
type EchoCanceller struct {
	mu      sync.Mutex
	enabled bool
	n       int // block length (samples)
	parts   int // partitions (tail / n)
	f       *fft
	xHist   [][]complex128 // far-end spectra, newest first
	w       [][]complex128 // filter partitions
	xPrev   []float64      // previous far-end block (overlap)
	pxx     []float64      // smoothed far-end power per bin
	mu0     float64
	constr  int // next partition to constrain
	// double talk
	farPeak  []float64 // block peaks of the far end over the tail
	hangover int       // blocks of adaptation still frozen
	geigel   float64   // Geigel threshold (near peak / far peak)
	blocked  int       // blocks frozen by Geigel before convergence
	erleHat  float64   // smoothed mic/error power ratio over adapting blocks
	peSmooth float64   // smoothed error power (divergence guard)
	pdSmooth float64   // smoothed microphone power
	// buffering to blocks
	micBuf, refBuf, outBuf []int16
	scratch                []complex128
	ybuf                   []complex128
	span                   []float64    // far-end power per bin summed over the partitions
	norm                   []float64    // step per bin
	lastX                  []complex128 // the spectrum leaving the span
	blocks                 int
}

// NewEchoCanceller returns a canceller for rate (8000 or 16000 Hz) that
// covers echo paths up to tail long (bulk delay of the sound card
// included; 200 ms is a safe default).
func NewEchoCanceller(rate int, tail time.Duration) *EchoCanceller {
	n := 64 * max(1, rate/8000) // 8 ms blocks
	parts := max(1, int(math.Ceil(tail.Seconds()*float64(rate)/float64(n))))
	e := &EchoCanceller{enabled: true, n: n, parts: parts, f: newFFT(2 * n), mu0: 0.5, geigel: 0.5, erleHat: 1,
		xPrev: make([]float64, n), pxx: make([]float64, 2*n), farPeak: make([]float64, parts),
		scratch: make([]complex128, 2*n), ybuf: make([]complex128, 2*n), outBuf: make([]int16, n),
		span: make([]float64, 2*n), norm: make([]float64, n+1), lastX: make([]complex128, 2*n)}
	for range parts {
		e.xHist = append(e.xHist, make([]complex128, 2*n))
		e.w = append(e.w, make([]complex128, 2*n))
	}
	return e
}

// SetEnabled switches cancellation on or off (off passes the microphone
// through untouched); the learned echo path is kept.
func (e *EchoCanceller) SetEnabled(on bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.enabled = on
}

// Enabled reports whether cancellation is on.
func (e *EchoCanceller) Enabled() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.enabled
}

// Process cancels the echo of ref (what the loudspeaker played) in mic and
// appends exactly len(mic) samples to out. mic and ref must have the same
// length. The output lags the input by one 8 ms block.
func (e *EchoCanceller) Process(out, mic, ref []int16) []int16 {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.micBuf = append(e.micBuf, mic...)
	e.refBuf = append(e.refBuf, ref...)
	for len(e.micBuf) >= e.n && len(e.refBuf) >= e.n {
		e.outBuf = e.block(e.outBuf, e.micBuf[:e.n], e.refBuf[:e.n])
		e.micBuf = append(e.micBuf[:0], e.micBuf[e.n:]...)
		e.refBuf = append(e.refBuf[:0], e.refBuf[e.n:]...)
	}
	k := min(len(e.outBuf), len(mic))
	out = append(out, e.outBuf[:k]...)
	e.outBuf = append(e.outBuf[:0], e.outBuf[k:]...)
	return out
}

// farSilence is the far-end peak (about -66 dBFS) below which the
// loudspeaker played nothing that could come back as an audible echo.
const farSilence = 16

// block processes one block of n samples.
func (e *EchoCanceller) block(out, mic, ref []int16) []int16 {
	e.pushFar(ref)
	if !e.enabled || e.farSilent() {
		// nothing to cancel: the filter is neither run nor adapted, which
		// also spares the CPU while the other side listens
		return append(out, mic...)
	}
	y := e.estimate()
	errs := make([]float64, e.n)
	var pe, pd, py float64
	for i := range e.n {
		d := float64(mic[i])
		errs[i] = d - y[i]
		pe += errs[i] * errs[i]
		pd += d * d
		py += y[i] * y[i]
	}
	doubleTalk := e.detectDoubleTalk(mic, pd, py)
	e.peSmooth = 0.98*e.peSmooth + 0.02*pe
	e.pdSmooth = 0.98*e.pdSmooth + 0.02*pd
	if pe > pd {
		// the estimate makes this block worse (an onset the filter has not
		// learned yet): let the microphone through rather than add echo
		copy(errs, floatsOf(mic))
	}
	switch {
	case e.peSmooth > 4*e.pdSmooth+1e6: // diverged for good: start learning again
		e.reset()
	case !doubleTalk:
		e.adapt(e.errFor(mic, y))
		if e.farPeak[0] > 1000 && pd > 1e4*float64(e.n) {
			e.erleHat = 0.95*e.erleHat + 0.05*min(pd/max(pe, 1), 1e4)
		}
	}
	for _, v := range errs {
		out = append(out, clipFloat(v))
	}
	return out
}

// pushFar shifts the far-end history and transforms [previous, current].
func (e *EchoCanceller) pushFar(ref []int16) {
	last := e.xHist[e.parts-1]
	copy(e.lastX, last)
	copy(e.xHist[1:], e.xHist[:e.parts-1])
	e.xHist[0] = last
	x := e.xHist[0]
	last = e.lastX
	peak := 0.0
	for i := range e.n {
		x[i] = complex(e.xPrev[i], 0)
		v := float64(ref[i])
		x[e.n+i] = complex(v, 0)
		e.xPrev[i] = v
		peak = max(peak, math.Abs(v))
	}
	if peak < farSilence && e.farPeak[0] < farSilence {
		clear(x) // silent for two blocks: a spectrum of (next to) nothing
	} else {
		e.f.forward(x)
	}
	for k := range x {
		p := power(x[k])
		e.pxx[k] = 0.9*e.pxx[k] + 0.1*p
		e.span[k] += p - power(last[k]) // last was the oldest spectrum
	}
	if e.blocks++; e.blocks%256 == 0 {
		e.recomputeSpan() // wipe the rounding of the running sum
	}
	copy(e.farPeak[1:], e.farPeak[:e.parts-1])
	e.farPeak[0] = peak
}

// farSilent reports whether the far end stayed below farSilence over the
// whole echo tail.
func (e *EchoCanceller) farSilent() bool {
	for _, p := range e.farPeak {
		if p >= farSilence {
			return false
		}
	}
	return true
}

func power(c complex128) float64 {
	return real(c)*real(c) + imag(c)*imag(c)
}

// recomputeSpan sums the far-end power per bin over the filter span.
func (e *EchoCanceller) recomputeSpan() {
	clear(e.span)
	for p := range e.parts {
		for k, x := range e.xHist[p] {
			e.span[k] += power(x)
		}
	}
}

// mirror fills the upper half of a spectrum of real data (conjugate
// symmetric): the loops work on bins 0..n only.
func (e *EchoCanceller) mirror(v []complex128) {
	for k := 1; k < e.n; k++ {
		v[2*e.n-k] = complexConj(v[k])
	}
}

// estimate returns the echo estimate for the current block.
func (e *EchoCanceller) estimate() []float64 {
	y := e.ybuf
	clear(y)
	for p := range e.parts {
		w, x := e.w[p][:e.n+1], e.xHist[p][:e.n+1]
		for k := range w {
			y[k] += w[k] * x[k]
		}
	}
	e.mirror(y)
	e.f.inverse(y)
	out := make([]float64, e.n)
	for i := range out {
		out[i] = real(y[e.n+i])
	}
	return out
}

// adapt updates every partition with the normalized gradient and applies
// the gradient constraint to one partition.
func (e *EchoCanceller) adapt(errs []float64) {
	ev := e.scratch
	for i := range e.n {
		ev[i] = 0
		ev[e.n+i] = complex(errs[i], 0)
	}
	e.f.forward(ev)
	// normalize by the far-end power over the whole filter span, as NLMS
	// does with |x|^2, floored by its smoothed level so that a speech onset
	// after silence does not take a huge step
	norm := e.norm
	for k := range norm {
		norm[k] = e.mu0 / (max(e.span[k], float64(e.parts)*e.pxx[k]) + 1e4*float64(2*e.n))
	}
	for p := range e.parts {
		w, x := e.w[p], e.xHist[p]
		for k := range e.n + 1 {
			w[k] += complex(norm[k], 0) * complexConj(x[k]) * ev[k]
		}
		e.mirror(w)
	}
	e.constrain(e.constr)
	e.constr = (e.constr + 1) % e.parts
}

func complexConj(c complex128) complex128 {
	return complex(real(c), -imag(c))
}

// constrain keeps partition p a causal n-tap filter (zeroes the second half
// of its impulse response).
func (e *EchoCanceller) constrain(p int) {
	w := e.w[p]
	e.f.inverse(w)
	for i := e.n; i < 2*e.n; i++ {
		w[i] = 0
	}
	e.f.forward(w)
}

// detectDoubleTalk tells when the local user speaks over the echo, to
// freeze adaptation (the local voice would otherwise pull the filter away
// from the echo path). Once the filter has converged (it removes more than
// 6 dB), the local voice shows as microphone power well above the echo
// estimate. Before that, the Geigel test applies: microphone peak above a
// threshold times the far end's peak over the tail; the threshold starts at
// 0.5 and rises when the echo itself is louder than that (loud speakers),
// which would otherwise freeze learning for ever. Adaptation stays frozen
// 30 ms after.
func (e *EchoCanceller) detectDoubleTalk(mic []int16, pd, py float64) bool {
	far := 0.0
	for _, p := range e.farPeak {
		far = max(far, p)
	}
	near := 0.0
	for _, v := range mic {
		near = max(near, math.Abs(float64(v)))
	}
	converged := e.erleHat > 4
	talk := false
	if converged {
		talk = pd > 4*py+1e4*float64(e.n)
	} else if near > e.geigel*far+50 {
		talk = true
		e.learnGeigel(far)
	}
	if talk {
		e.hangover = 4
	}
	if e.hangover > 0 {
		e.hangover--
		return true
	}
	return false
}

// learnGeigel doubles the Geigel threshold after 1 s of far-end speech
// during which it blocked learning.
func (e *EchoCanceller) learnGeigel(far float64) {
	if far < 1000 {
		return
	}
	e.blocked++
	if e.blocked > 125 && e.geigel < 4 {
		e.geigel *= 2
		e.blocked = 0
	}
}

// errFor is the true error d - y, which the adaptation needs even when
// the output fell back to the microphone.
func (e *EchoCanceller) errFor(mic []int16, y []float64) []float64 {
	out := make([]float64, len(mic))
	for i, v := range mic {
		out[i] = float64(v) - y[i]
	}
	return out
}

func (e *EchoCanceller) reset() {
	for p := range e.w {
		clear(e.w[p])
	}
	e.erleHat = 1
	e.peSmooth, e.pdSmooth = 0, 0
}

func floatsOf(s []int16) []float64 {
	out := make([]float64, len(s))
	for i, v := range s {
		out[i] = float64(v)
	}
	return out
}

// EchoStage is the capture-side stage of echo cancellation: Read returns
// the microphone (mic) with the echo of the far end removed; the far end
// comes from ref, at the same rate, usually a Ring that the playback path
// also writes to (io.MultiWriter(ring, speaker)).
type EchoStage struct {
	ec       *EchoCanceller
	mic, ref io.Reader
	mbuf     []byte
	rbuf     []byte
	out      []int16
}

// NewEchoStage returns the microphone stream of mic cleaned by ec.
func NewEchoStage(ec *EchoCanceller, mic, ref io.Reader) *EchoStage {
	return &EchoStage{ec: ec, mic: mic, ref: ref}
}

// Read fills p with cancelled microphone samples.
func (s *EchoStage) Read(p []byte) (int, error) {
	n := len(p) &^ 1
	s.mbuf = growBytes(s.mbuf, n)
	got, err := io.ReadFull(s.mic, s.mbuf)
	got &^= 1
	s.rbuf = growBytes(s.rbuf, got)
	if k, _ := io.ReadFull(s.ref, s.rbuf); k < got {
		clear(s.rbuf[k:])
	}
	mic, ref := BytesToSamples(nil, s.mbuf[:got]), BytesToSamples(nil, s.rbuf)
	s.out = s.ec.Process(s.out[:0], mic, ref)
	SamplesToBytes(p[:0], s.out)
	if errors.Is(err, io.ErrUnexpectedEOF) {
		err = io.EOF
	}
	if got > 0 && errors.Is(err, io.EOF) {
		err = nil
	}
	return got, err
}

func growBytes(b []byte, n int) []byte {
	if cap(b) < n {
		return make([]byte, n)
	}
	return b[:n]
}
