package media

import (
	"math"
	"math/rand/v2"
)

// comfortNoise fills silence (before the first packet, after a long loss,
// while the peer sends RFC 3389 comfort noise) with low-level noise at the
// background level measured on the received speech, so that the line never
// sounds dead. The level is capped so that a wrong estimate stays quiet.
type comfortNoise struct {
	rng   *rand.Rand
	level float64 // RMS of the noise to generate; 0 = none known yet
	prev  float64 // one-pole smoothing state
}

const (
	cnMaxLevel  = 150.0 // about -47 dBov: never louder than this
	cnRiseRatio = 1.006 // +0.05 dB per frame when the background gets louder
)

func newComfortNoise(seed uint64) *comfortNoise {
	return &comfortNoise{rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
}

// observe tracks the background level from a good frame: it follows
// quieter frames at once and louder ones slowly (a minimum tracker).
func (c *comfortNoise) observe(frame []int16) {
	rms := frameRMS(frame)
	switch {
	case c.level == 0 || rms < c.level:
		c.level = rms
	default:
		c.level *= cnRiseRatio
	}
	c.level = min(c.level, cnMaxLevel)
}

// setDBov sets the level from an RFC 3389 noise level (0..127 -dBov).
func (c *comfortNoise) setDBov(dbov byte) {
	c.level = min(cnMaxLevel, 32767*math.Pow(10, -float64(dbov&0x7F)/20))
}

// add mixes noise scaled by gain (0..1 of the background level) into out.
func (c *comfortNoise) add(out []int16, gain float64) {
	if c.level == 0 || gain <= 0 {
		return
	}
	// white noise of RMS 1 through y = (x + y)/2 keeps RMS ~ 0.577; rescale
	amp := c.level * gain * math.Sqrt(3) / 0.577
	for i := range out {
		x := c.rng.Float64()*2 - 1
		c.prev = 0.5*x + 0.5*c.prev
		out[i] = clipFloat(float64(out[i]) + amp*c.prev)
	}
}

func frameRMS(s []int16) float64 {
	if len(s) == 0 {
		return 0
	}
	var e float64
	for _, v := range s {
		e += float64(v) * float64(v)
	}
	return math.Sqrt(e / float64(len(s)))
}
