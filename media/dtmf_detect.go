package media

import (
	"math"
	"time"
)

// In-band DTMF detection: a peer that did not negotiate telephone-event
// (an old gateway, some PBXs) sends key presses as dual tones in the
// audio. The session looks for them in each 20 ms frame it plays, with
// the Goertzel algorithm at the eight DTMF frequencies, and reports them
// as DTMFEvent (InBand), so that the voicemail's menu and the window hear
// them as they hear RFC 4733 events.
//
// A frame holds a digit when its strongest row tone and strongest column
// tone each stand 6 dB above the others of their group, the two are
// within 8 dB of each other (twist), they carry at least 70 % of the
// frame's power (speech spreads its power wider) and the frame is louder
// than -36 dBFS. A key press is two such frames in a row with the same
// digit (40 ms, what ITU-T Q.24 asks to accept); it is reported when the
// tone stops, with its duration.

var dtmfRows = [4]float64{697, 770, 852, 941}
var dtmfCols = [4]float64{1209, 1336, 1477, 1633}

const (
	dtmfKeypad       = "123A456B789C*0#D"
	dtmfMinFrames    = 2
	dtmfDominance    = 4.0   // 6 dB over the other tones of its group
	dtmfMaxTwist     = 6.31  // 8 dB between row and column
	dtmfMinShare     = 0.7   // of the frame's power in the two tones
	dtmfMinMeanPower = 2.7e4 // mean square of -36 dBFS (a full-scale sine: 5.4e8)
)

// dtmfDetector finds key presses in the frames played.
type dtmfDetector struct {
	coeffs [8]float64
	digit  rune // the digit of the frames seen in a row, 0 for none
	frames int  // how many frames in a row carried it
}

func newDTMFDetector(rate int) *dtmfDetector {
	d := &dtmfDetector{}
	for i, f := range append(dtmfRows[:], dtmfCols[:]...) {
		d.coeffs[i] = 2 * math.Cos(2*math.Pi*f/float64(rate))
	}
	return d
}

// feed takes one 20 ms frame and returns a key press that just ended (0
// when none).
func (d *dtmfDetector) feed(frame []int16) (DTMFEvent, bool) {
	digit := d.frameDigit(frame)
	if digit == d.digit && digit != 0 {
		d.frames++
		return DTMFEvent{}, false
	}
	ended := DTMFEvent{Digit: d.digit, Duration: time.Duration(d.frames) * FrameDuration, InBand: true}
	pressed := d.digit != 0 && d.frames >= dtmfMinFrames
	d.digit, d.frames = digit, 0
	if digit != 0 {
		d.frames = 1
	}
	return ended, pressed
}

// frameDigit returns the digit a frame's dual tone stands for, 0 when it
// holds none.
func (d *dtmfDetector) frameDigit(frame []int16) rune {
	if len(frame) == 0 {
		return 0
	}
	var total float64
	for _, v := range frame {
		total += float64(v) * float64(v)
	}
	if total/float64(len(frame)) < dtmfMinMeanPower {
		return 0
	}
	var p [8]float64
	for i, c := range d.coeffs {
		p[i] = goertzelPower(frame, c)
	}
	row, rowP, rowOK := strongest(p[:4])
	col, colP, colOK := strongest(p[4:])
	if !rowOK || !colOK || rowP > dtmfMaxTwist*colP || colP > dtmfMaxTwist*rowP {
		return 0
	}
	if (rowP+colP)/total < dtmfMinShare {
		return 0
	}
	return rune(dtmfKeypad[row*4+col])
}

// strongest returns the index and power of the strongest tone of a group,
// and whether it dominates the others.
func strongest(p []float64) (int, float64, bool) {
	best := 0
	for i := range p {
		if p[i] > p[best] {
			best = i
		}
	}
	for i := range p {
		if i != best && p[best] < dtmfDominance*p[i] {
			return best, p[best], false
		}
	}
	return best, p[best], true
}

// goertzelPower is the power of frame at the frequency of coefficient c,
// scaled like the frame's sum of squares (a lone sine scores its share).
func goertzelPower(frame []int16, c float64) float64 {
	var s1, s2 float64
	for _, v := range frame {
		s0 := float64(v) + c*s1 - s2
		s2, s1 = s1, s0
	}
	return 2 * (s1*s1 + s2*s2 - c*s1*s2) / float64(len(frame))
}
