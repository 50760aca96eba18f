package media

// G.722 sub-band ADPCM at 64 kbit/s (ITU-T G.722, mode 1), written from the
// Recommendation: a 24-tap QMF splits 16 kHz PCM into a low band coded on 6
// bits and a high band coded on 2 bits, one octet per pair of input samples.
// The encoder and decoder are bit-exact with the ITU algorithm, so that any
// conforming peer (ffmpeg, SpanDSP, desk phones) decodes what we send.

// g722Tables holds the QMF coefficients and the quantizer and adaptation
// tables of the Recommendation. Each encoder and decoder gets its own copy
// (about 1 KB) so that the package holds no mutable state; nothing writes
// to them.
type g722Tables struct {
	qmf               [12]int32 // the 12 distinct QMF coefficients, in the interleaved filter's order
	q6, iln, ilp, ilb [32]int32
	wl                [8]int32
	rl42, qm4         [16]int32
	qm6               [64]int32
	qm2, rh2          [4]int32
	ihn, ihp, wh      [3]int32
}

func newG722Tables() *g722Tables {
	return &g722Tables{
		qmf:  [12]int32{3, -11, 12, 32, -210, 951, 3876, -805, 362, -156, 53, -11},
		q6:   [32]int32{0, 35, 72, 110, 150, 190, 233, 276, 323, 370, 422, 473, 530, 587, 650, 714, 786, 858, 940, 1023, 1121, 1219, 1339, 1458, 1612, 1765, 1980, 2195, 2557, 2919, 0, 0},
		iln:  [32]int32{0, 63, 62, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 0},
		ilp:  [32]int32{0, 61, 60, 59, 58, 57, 56, 55, 54, 53, 52, 51, 50, 49, 48, 47, 46, 45, 44, 43, 42, 41, 40, 39, 38, 37, 36, 35, 34, 33, 32, 0},
		wl:   [8]int32{-60, -30, 58, 172, 334, 538, 1198, 3042},
		rl42: [16]int32{0, 7, 6, 5, 4, 3, 2, 1, 7, 6, 5, 4, 3, 2, 1, 0},
		ilb:  [32]int32{2048, 2093, 2139, 2186, 2233, 2282, 2332, 2383, 2435, 2489, 2543, 2599, 2656, 2714, 2774, 2834, 2896, 2960, 3025, 3091, 3158, 3228, 3298, 3371, 3444, 3520, 3597, 3676, 3756, 3838, 3922, 4008},
		qm4:  [16]int32{0, -20456, -12896, -8968, -6288, -4240, -2584, -1200, 20456, 12896, 8968, 6288, 4240, 2584, 1200, 0},
		qm6: [64]int32{
			-136, -136, -136, -136, -24808, -21904, -19008, -16704, -14984, -13512, -12280, -11192, -10232, -9360, -8576, -7856,
			-7192, -6576, -6000, -5456, -4944, -4464, -4008, -3576, -3168, -2776, -2400, -2032, -1688, -1360, -1040, -728,
			24808, 21904, 19008, 16704, 14984, 13512, 12280, 11192, 10232, 9360, 8576, 7856, 7192, 6576, 6000, 5456,
			4944, 4464, 4008, 3576, 3168, 2776, 2400, 2032, 1688, 1360, 1040, 728, 432, 136, -432, -136,
		},
		qm2: [4]int32{-7408, -1616, 7408, 1616},
		ihn: [3]int32{0, 1, 0},
		ihp: [3]int32{0, 3, 2},
		wh:  [3]int32{0, -214, 798},
		rh2: [4]int32{2, 1, 2, 1},
	}
}

// g722Band is the adaptive state of one sub-band (blocks 3 and 4 of the
// Recommendation): scale factor, pole-zero predictor and its history.
type g722Band struct {
	s, sp, sz int32    // signal estimate, pole part, zero part
	nb, det   int32    // log scale factor and quantizer step
	a1, a2    int32    // pole coefficients
	b         [6]int32 // zero coefficients
	dq        [6]int32 // past quantized differences, newest first
	r1, r2    int32    // past reconstructed signals
	p1, p2    int32    // past partially reconstructed signals
	t         *g722Tables
}

func newG722Band(det int32, t *g722Tables) g722Band {
	return g722Band{det: det, t: t}
}

func sat16(v int32) int32 {
	return int32(clip16(v))
}

func sameSign(x, y int32) bool {
	return (x >> 15) == (y >> 15)
}

// adapt runs block 4 (RECONS, PARREC, UPPOL2, UPPOL1, UPZERO, DELAY,
// FILTEP, FILTEZ, PREDIC) with the quantized difference d.
func (b *g722Band) adapt(d int32) {
	r := sat16(b.s + d)
	p := sat16(b.sz + d)
	a2 := b.nextA2(p)
	a1 := b.nextA1(p, a2)
	b.updateZeros(d)
	b.r2, b.r1 = b.r1, r
	b.p2, b.p1 = b.p1, p
	b.a1, b.a2 = a1, a2
	b.predict()
}

func (b *g722Band) nextA2(p int32) int32 {
	wd1 := sat16(b.a1 << 2)
	wd32 := wd1
	if sameSign(p, b.p1) {
		wd32 = -wd1
	}
	wd32 = min(wd32, 32767)
	wd3 := int32(-128)
	if sameSign(p, b.p2) {
		wd3 = 128
	}
	wd3 += wd32 >> 7
	wd3 += (b.a2 * 32512) >> 15
	return max(-12288, min(12288, wd3))
}

func (b *g722Band) nextA1(p, a2 int32) int32 {
	wd1 := int32(-192)
	if sameSign(p, b.p1) {
		wd1 = 192
	}
	a1 := sat16(wd1 + (b.a1*32640)>>15)
	lim := sat16(15360 - a2)
	return max(-lim, min(lim, a1))
}

func (b *g722Band) updateZeros(d int32) {
	g := int32(128)
	if d == 0 {
		g = 0
	}
	for i := range b.b {
		step := -g
		if sameSign(b.dq[i], d) {
			step = g
		}
		b.b[i] = sat16(step + (b.b[i]*32640)>>15)
	}
	copy(b.dq[1:], b.dq[:5])
	b.dq[0] = d
}

func (b *g722Band) predict() {
	b.sp = sat16((b.a1*sat16(b.r1+b.r1))>>15 + (b.a2*sat16(b.r2+b.r2))>>15)
	var sz int32
	for i := range b.b {
		sz += (b.b[i] * sat16(b.dq[i]+b.dq[i])) >> 15
	}
	b.sz = sat16(sz)
	b.s = sat16(b.sp + b.sz)
}

// scale updates the log scale factor with w and recomputes the step size
// (LOGSCL/SCALEL with limit 18432 and shift 8 for the low band,
// LOGSCH/SCALEH with 22528 and 10 for the high band).
func (b *g722Band) scale(w, limit, shift int32) {
	b.nb = max(0, min(limit, (b.nb*127)>>7+w))
	wd1 := (b.nb >> 6) & 31
	wd2 := shift - (b.nb >> 11)
	var wd3 int32
	if wd2 < 0 {
		wd3 = b.t.ilb[wd1] << -wd2
	} else {
		wd3 = b.t.ilb[wd1] >> wd2
	}
	b.det = wd3 << 2
}

// lowStep adapts the low band to the 6-bit code il and returns the
// quantized difference used by the predictor (4-bit resolution).
func (b *g722Band) lowStep(il int32) {
	ril := il >> 2
	d := (b.det * b.t.qm4[ril]) >> 15
	b.scale(b.t.wl[b.t.rl42[ril]], 18432, 8)
	b.adapt(d)
}

// highStep adapts the high band to the 2-bit code ih.
func (b *g722Band) highStep(ih int32) {
	d := (b.det * b.t.qm2[ih]) >> 15
	b.scale(b.t.wh[b.t.rh2[ih]], 22528, 10)
	b.adapt(d)
}

// G722Encoder encodes 16 kHz PCM to G.722 at 64 kbit/s.
type G722Encoder struct {
	x         [24]int32
	low, high g722Band
	t         *g722Tables
}

// NewG722Encoder returns an encoder in the reset state of the Recommendation.
func NewG722Encoder() *G722Encoder {
	t := newG722Tables()
	return &G722Encoder{low: newG722Band(32, t), high: newG722Band(8, t), t: t}
}

// Encode appends one octet per pair of samples of pcm to dst. An odd
// trailing sample is dropped (frames are always even at 16 kHz).
func (e *G722Encoder) Encode(dst []byte, pcm []int16) []byte {
	for i := 0; i+1 < len(pcm); i += 2 {
		xl, xh := e.split(pcm[i], pcm[i+1])
		il := e.quantLow(xl)
		ih := e.quantHigh(xh)
		dst = append(dst, byte(ih<<6|il))
	}
	return dst
}

// split runs the transmit QMF on two new samples and returns the low and
// high band samples.
func (e *G722Encoder) split(s0, s1 int16) (int32, int32) {
	copy(e.x[:22], e.x[2:])
	e.x[22], e.x[23] = int32(s0), int32(s1)
	var odd, even int32
	for i := range 12 {
		odd += e.x[2*i] * e.t.qmf[i]
		even += e.x[2*i+1] * e.t.qmf[11-i]
	}
	return (even + odd) >> 14, (even - odd) >> 14
}

func magnitude(e int32) int32 {
	if e >= 0 {
		return e
	}
	return -(e + 1)
}

func (e *G722Encoder) quantLow(xl int32) int32 {
	el := sat16(xl - e.low.s)
	wd := magnitude(el)
	i := 1
	for i < 30 && wd >= (e.t.q6[i]*e.low.det)>>12 {
		i++
	}
	il := e.t.ilp[i]
	if el < 0 {
		il = e.t.iln[i]
	}
	e.low.lowStep(il)
	return il
}

func (e *G722Encoder) quantHigh(xh int32) int32 {
	eh := sat16(xh - e.high.s)
	mih := 1
	if magnitude(eh) >= (564*e.high.det)>>12 {
		mih = 2
	}
	ih := e.t.ihp[mih]
	if eh < 0 {
		ih = e.t.ihn[mih]
	}
	e.high.highStep(ih)
	return ih
}

// G722Decoder decodes G.722 at 64 kbit/s to 16 kHz PCM.
type G722Decoder struct {
	x         [24]int32
	low, high g722Band
	t         *g722Tables
}

// NewG722Decoder returns a decoder in the reset state of the Recommendation.
func NewG722Decoder() *G722Decoder {
	t := newG722Tables()
	return &G722Decoder{low: newG722Band(32, t), high: newG722Band(8, t), t: t}
}

// Decode appends two samples per octet of payload to dst.
func (d *G722Decoder) Decode(dst []int16, payload []byte) []int16 {
	for _, code := range payload {
		rl := d.decodeLow(int32(code) & 0x3F)
		rh := d.decodeHigh(int32(code>>6) & 0x03)
		s0, s1 := d.merge(rl, rh)
		dst = append(dst, s0, s1)
	}
	return dst
}

func (d *G722Decoder) decodeLow(il int32) int32 {
	rl := d.low.s + (d.low.det*d.t.qm6[il])>>15
	rl = max(-16384, min(16383, rl))
	d.low.lowStep(il)
	return rl
}

func (d *G722Decoder) decodeHigh(ih int32) int32 {
	rh := d.high.s + (d.high.det*d.t.qm2[ih])>>15
	rh = max(-16384, min(16383, rh))
	d.high.highStep(ih)
	return rh
}

// merge runs the receive QMF on one low and one high band sample and
// returns two 16 kHz output samples.
func (d *G722Decoder) merge(rl, rh int32) (int16, int16) {
	copy(d.x[:22], d.x[2:])
	d.x[22], d.x[23] = rl+rh, rl-rh
	var out1, out2 int32
	for i := range 12 {
		out2 += d.x[2*i] * d.t.qmf[i]
		out1 += d.x[2*i+1] * d.t.qmf[11-i]
	}
	return clip16(out1 >> 11), clip16(out2 >> 11)
}
