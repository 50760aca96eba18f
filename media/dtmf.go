package media

import (
	"encoding/binary"
	"fmt"
	"strings"
	"time"
)

// RFC 4733 telephone events: digits 0-9, *, #, A-D are events 0-15.
const dtmfDigits = "0123456789*#ABCD"

// DTMFEventCode returns the RFC 4733 event code of a digit.
func DTMFEventCode(digit rune) (uint8, error) {
	i := strings.IndexRune(dtmfDigits, toUpperDigit(digit))
	if i < 0 {
		return 0, fmt.Errorf("dtmf %q: %w", digit, ErrInvalidDigit)
	}
	return uint8(i), nil
}

// DTMFDigit returns the digit of an RFC 4733 event code, or 0 when the code
// is not a DTMF digit.
func DTMFDigit(code uint8) rune {
	if int(code) >= len(dtmfDigits) {
		return 0
	}
	return rune(dtmfDigits[code])
}

func toUpperDigit(r rune) rune {
	if r >= 'a' && r <= 'd' {
		return r - 'a' + 'A'
	}
	return r
}

// telephoneEvent is the 4-byte RFC 4733 payload.
type telephoneEvent struct {
	code     uint8
	end      bool
	volume   uint8 // 0..63, -dBm0
	duration uint16
}

func (e telephoneEvent) marshal() []byte {
	b := make([]byte, 4)
	b[0] = e.code
	b[1] = e.volume & 0x3F
	if e.end {
		b[1] |= 0x80
	}
	binary.BigEndian.PutUint16(b[2:], e.duration)
	return b
}

func parseTelephoneEvent(b []byte) (telephoneEvent, bool) {
	if len(b) < 4 {
		return telephoneEvent{}, false
	}
	return telephoneEvent{
		code:     b[0],
		end:      b[1]&0x80 != 0,
		volume:   b[1] & 0x3F,
		duration: binary.BigEndian.Uint16(b[2:]),
	}, true
}

// dtmfSender is the send-side state machine of queued digits: while a digit
// plays, each 20 ms tick yields one event packet instead of audio; the end
// packet goes three times; a pause of audio separates digits.
type dtmfSender struct {
	queue   []dtmfRequest
	cur     *dtmfRequest
	startTS uint32 // timestamp of the event (its first frame)
	elapsed int    // RTP units sent so far
	ends    int    // end packets sent
	gap     int    // audio frames still to send before the next digit
}

type dtmfRequest struct {
	code     uint8
	digit    rune
	duration int // RTP units
}

const (
	dtmfMinDuration = 40 * time.Millisecond
	dtmfMaxDuration = 5 * time.Second
	dtmfGapFrames   = 3 // 60 ms of audio between digits
	dtmfVolume      = 10
)

func (d *dtmfSender) enqueue(code uint8, digit rune, dur time.Duration, clock int) {
	dur = max(dtmfMinDuration, min(dtmfMaxDuration, dur))
	units := int(dur.Seconds() * float64(clock))
	d.queue = append(d.queue, dtmfRequest{code: code, digit: digit, duration: units})
}

// busy reports whether a digit is playing or waiting.
func (d *dtmfSender) busy() bool {
	return d.cur != nil || len(d.queue) > 0
}

// next returns the event payload to send in place of the audio frame that
// starts at ts, and whether it starts the event (marker bit). ok is false
// when this frame carries audio.
func (d *dtmfSender) next(ts uint32, frameTS int) (payload []byte, marker, ok bool) {
	if d.cur == nil && !d.start(ts) {
		return nil, false, false
	}
	marker = d.elapsed == 0 && d.ends == 0
	d.elapsed = min(d.elapsed+frameTS, d.cur.duration)
	ev := telephoneEvent{code: d.cur.code, volume: dtmfVolume, duration: uint16(min(d.elapsed, 0xFFFF))}
	if d.elapsed >= d.cur.duration {
		ev.end = true
		d.ends++
		if d.ends == 3 {
			d.cur, d.gap = nil, dtmfGapFrames
		}
	}
	return ev.marshal(), marker, true
}

// start takes the next queued digit once the inter-digit pause is over.
func (d *dtmfSender) start(ts uint32) bool {
	if d.gap > 0 {
		d.gap--
		return false
	}
	if len(d.queue) == 0 {
		return false
	}
	r := d.queue[0]
	d.queue = d.queue[1:]
	d.cur, d.startTS, d.elapsed, d.ends = &r, ts, 0, 0
	return true
}

// dtmfReceiver turns incoming event packets into one DTMFEvent per key
// press, reported when the end bit arrives (or when the next event starts,
// if every end packet was lost).
type dtmfReceiver struct {
	active   bool
	ts       uint32
	code     uint8
	duration uint16
	reported bool
	clock    int
}

// handle processes one event packet and returns the key presses to report.
func (r *dtmfReceiver) handle(ts uint32, ev telephoneEvent) []DTMFEvent {
	var out []DTMFEvent
	if !r.active || ts != r.ts {
		if prev, ok := r.flush(); ok {
			out = append(out, prev)
		}
		r.active, r.ts, r.code, r.reported = true, ts, ev.code, false
	}
	r.duration = max(r.duration, ev.duration)
	if ev.end && !r.reported {
		r.reported = true
		if e := r.event(); e.Digit != 0 {
			out = append(out, e)
		}
	}
	return out
}

// flush reports the current event if its end was never seen.
func (r *dtmfReceiver) flush() (DTMFEvent, bool) {
	if !r.active || r.reported {
		r.duration = 0
		return DTMFEvent{}, false
	}
	ev := r.event()
	r.reported, r.duration = true, 0
	return ev, ev.Digit != 0
}

func (r *dtmfReceiver) event() DTMFEvent {
	return DTMFEvent{
		Digit:    DTMFDigit(r.code),
		Duration: time.Duration(r.duration) * time.Second / time.Duration(r.clock),
	}
}

// nextInband advances an in-band digit by one frame. It returns the event
// code to play in this frame, whether the digit starts with it, and false
// when the frame carries ordinary audio.
func (d *dtmfSender) nextInband(frameTS int) (code uint8, started, ok bool) {
	if d.cur == nil {
		if !d.start(0) {
			return 0, false, false
		}
		started = true
	}
	code = d.cur.code
	d.elapsed += frameTS
	if d.elapsed >= d.cur.duration {
		d.cur, d.gap = nil, dtmfGapFrames
	}
	return code, started, true
}
