package media

import (
	"math"
	"math/bits"
	"math/cmplx"
)

// fft is an in-place iterative radix-2 complex FFT of one fixed size.
type fft struct {
	n       int
	twiddle []complex128 // e^{-2πik/n}, k < n/2
	rev     []int
}

func newFFT(n int) *fft {
	f := &fft{n: n, twiddle: make([]complex128, n/2), rev: make([]int, n)}
	for k := range f.twiddle {
		f.twiddle[k] = cmplx.Rect(1, -2*math.Pi*float64(k)/float64(n))
	}
	shift := 64 - bits.Len(uint(n-1))
	for i := range f.rev {
		f.rev[i] = int(bits.Reverse64(uint64(i)) >> shift)
	}
	return f
}

// forward transforms x in place.
func (f *fft) forward(x []complex128) {
	f.transform(x, false)
}

// inverse transforms x in place, scaled by 1/n.
func (f *fft) inverse(x []complex128) {
	f.transform(x, true)
	s := complex(1/float64(f.n), 0)
	for i := range x {
		x[i] *= s
	}
}

func (f *fft) transform(x []complex128, inv bool) {
	for i, j := range f.rev {
		if i < j {
			x[i], x[j] = x[j], x[i]
		}
	}
	for size := 2; size <= f.n; size <<= 1 {
		half, step := size/2, f.n/size
		for start := 0; start < f.n; start += size {
			for k := range half {
				w := f.twiddle[k*step]
				if inv {
					w = cmplx.Conj(w)
				}
				a, b := x[start+k], x[start+k+half]*w
				x[start+k], x[start+k+half] = a+b, a-b
			}
		}
	}
}
