package media

import "math"

// concealer hides lost frames in the spirit of ITU-T G.711 Appendix I: on a
// loss it repeats the last pitch period of the decoded history, widens the
// repeated span to two then three periods as the loss goes on (so a long
// loss does not buzz), fades out by 20 % per 10 ms after the first 10 ms,
// reaches silence after 60 ms, and cross-fades into the first good frame.
// It works at any sample rate (8 kHz for G.711, 16 kHz for G.722).
type concealer struct {
	rate     int
	hist     []int16   // last histLen good or concealed samples, oldest first
	histLen  int       // 48.75 ms
	lost     int       // samples concealed in the current loss, 0 when none
	pitch    int       // detected period, samples
	pbuf     []float32 // last three pitch periods at the start of the loss
	periods  int       // periods currently cycled (1..3)
	offset   int       // position within the cycled span
	fadeFrom []float32 // samples of the old span for an overlap-add
	fadePos  int       // next index in fadeFrom
}

func newConcealer(rate int) *concealer {
	n := rate * 39 / 800 // 48.75 ms
	return &concealer{rate: rate, histLen: n, hist: make([]int16, 0, 2*n)}
}

func (c *concealer) ms(n int) int {
	return c.rate * n / 1000
}

// good records decoded samples; after a loss it cross-fades their start
// with the continuation of the synthetic signal (in place).
func (c *concealer) good(frame []int16) {
	if c.lost > 0 {
		c.mergeAfterLoss(frame)
		c.lost = 0
	}
	c.remember(frame)
}

func (c *concealer) remember(s []int16) {
	c.hist = append(c.hist, s...)
	if extra := len(c.hist) - c.histLen; extra > 0 {
		n := copy(c.hist, c.hist[extra:])
		c.hist = c.hist[:n]
	}
}

// mergeAfterLoss overlap-adds the synthetic continuation into the first
// 4 ms of the good frame, plus 1 ms per 10 ms of loss (at most 10 ms).
func (c *concealer) mergeAfterLoss(frame []int16) {
	n := min(len(frame), c.ms(4)+c.lost/c.ms(10)*c.ms(1), c.ms(10))
	if n == 0 {
		return
	}
	syn := make([]int16, n)
	c.synthesize(syn)
	for i := range n {
		w := float64(i+1) / float64(n+1)
		frame[i] = clipFloat(float64(syn[i])*(1-w) + float64(frame[i])*w)
	}
}

// conceal fills out with the synthetic continuation and returns the gain
// reached at its end (1 = full level, 0 = faded to silence).
func (c *concealer) conceal(out []int16) float64 {
	if c.lost == 0 && !c.begin() {
		clear(out)
		c.lost += len(out)
		return 0
	}
	g := c.synthesize(out)
	c.remember(out)
	return g
}

// begin prepares the pitch buffer at the start of a loss; it reports false
// when there is not enough history to conceal.
func (c *concealer) begin() bool {
	maxLag := c.ms(15)
	if len(c.hist) < maxLag+c.ms(20) {
		return false
	}
	c.pitch = c.findPitch()
	n := min(3*c.pitch, len(c.hist))
	c.pbuf = c.pbuf[:0]
	for _, v := range c.hist[len(c.hist)-n:] {
		c.pbuf = append(c.pbuf, float32(v))
	}
	c.periods, c.offset = 1, 0
	c.fadeFrom, c.fadePos = nil, 0
	return true
}

// findPitch returns the lag between 5 and 15 ms with the highest normalized
// correlation between the last 20 ms of history and the lagged history.
func (c *concealer) findPitch() int {
	h := c.hist
	win := c.ms(20)
	end := len(h)
	best, bestScore := c.ms(5), math.Inf(-1)
	for lag := c.ms(5); lag <= c.ms(15); lag++ {
		var xy, yy float64
		for i := end - win; i < end; i++ {
			x, y := float64(h[i]), float64(h[i-lag])
			xy += x * y
			yy += y * y
		}
		if yy == 0 {
			continue
		}
		if score := xy / math.Sqrt(yy); score > bestScore {
			best, bestScore = lag, score
		}
	}
	return best
}

// synthesize writes the next concealment samples into out and returns the
// gain at the end. It also serves to continue the signal into a good frame.
func (c *concealer) synthesize(out []int16) float64 {
	if len(c.pbuf) == 0 {
		clear(out)
		return 0
	}
	g := 0.0
	for i := range out {
		c.widen()
		g = c.gainAt(c.lost)
		out[i] = clipFloat(float64(c.next()) * g)
		c.lost++
	}
	return g
}

// widen switches to two periods after 10 ms and three after 20 ms of loss,
// starting an overlap-add of a quarter period.
func (c *concealer) widen() {
	want := min(3, 1+c.lost/c.ms(10))
	if want <= c.periods || want*c.pitch > len(c.pbuf) {
		return
	}
	span := c.periods * c.pitch
	c.fadeFrom, c.fadePos = c.fadeFrom[:0], 0
	for i := range max(1, c.pitch/4) {
		c.fadeFrom = append(c.fadeFrom, c.at(span, c.offset+i))
	}
	c.periods = want
	c.offset %= c.pitch
}

// at returns the sample at position pos of the cycled span of the last
// span samples of the pitch buffer.
func (c *concealer) at(span, pos int) float32 {
	return c.pbuf[len(c.pbuf)-span+pos%span]
}

func (c *concealer) next() float32 {
	span := c.periods * c.pitch
	v := c.at(span, c.offset)
	if c.fadePos < len(c.fadeFrom) {
		w := float32(c.fadePos+1) / float32(len(c.fadeFrom)+1)
		v = c.fadeFrom[c.fadePos]*(1-w) + v*w
		c.fadePos++
	}
	c.offset = (c.offset + 1) % span
	return v
}

// gainAt is 1 for the first 10 ms of a loss, then falls 20 % per 10 ms.
func (c *concealer) gainAt(lost int) float64 {
	ten := float64(c.ms(10))
	if float64(lost) < ten {
		return 1
	}
	return max(0, 1-0.2*(float64(lost)-ten)/ten)
}
