package media

import (
	"math"
	"net"
	"time"
)

// Stats is a snapshot of one session's quality, for the call-quality view
// and the call history.
type Stats struct {
	Codec      Codec
	Remote     *net.UDPAddr // where RTP is sent (after symmetric RTP)
	LocalSSRC  uint32
	RemoteSSRC uint32

	PacketsSent     uint64
	BytesSent       uint64
	PacketsReceived uint64 // distinct audio and event packets
	BytesReceived   uint64
	PacketsExpected uint64 // from the sequence numbers seen
	PacketsLost     int64  // expected - received (RFC 3550 cumulative loss)
	LossPercent     float64
	LatePackets     uint64 // arrived after their playout time (late loss)
	LateLossPercent float64
	Duplicates      uint64
	Jitter          time.Duration // RFC 3550 interarrival jitter of the peer's stream

	JitterBufferDelay  time.Duration // mean arrival -> playout of played packets
	JitterBufferTarget time.Duration // current target beyond the nominal arrival
	ConcealedTime      time.Duration // audio synthesized for missing packets

	RemoteLossPercent float64       // the peer's view of our stream (its last report)
	RemoteJitter      time.Duration // the peer's view of our stream
	RTT               time.Duration // from RTCP SR/RR, 0 until known

	MOS          float64   // estimated listening quality (ITU-T G.107 E-model), 1..4.5
	LastReceived time.Time // last RTP packet from the peer
}

// estimateMOS applies the simplified E-model (ITU-T G.107): R = 93.2 - Id -
// Ie,eff, with the delay impairment Id of the one-way mouth-to-ear delay and
// the loss impairment of G.711 with packet loss concealment (Ie = 0,
// Bpl = 25.1, random loss). G.722 is scored on the same narrowband scale,
// which under-rates it slightly. It returns the MOS (1 to 4.5).
func estimateMOS(oneWay time.Duration, lossPercent float64) float64 {
	ta := float64(oneWay) / float64(time.Millisecond)
	id := 0.024 * ta
	if ta > 177.3 {
		id += 0.11 * (ta - 177.3)
	}
	const ie, bpl = 0.0, 25.1
	ppl := max(0, lossPercent)
	ieEff := ie + (95-ie)*ppl/(ppl+bpl)
	return mosFromR(93.2 - id - ieEff)
}

func mosFromR(r float64) float64 {
	switch {
	case r <= 0:
		return 1
	case r >= 100:
		return 4.5
	}
	return 1 + 0.035*r + r*(r-60)*(100-r)*7e-6
}

// rxStream follows the peer's RTP stream as RFC 3550 appendix A does:
// extended sequence numbers across wraps, restarts after large jumps,
// expected/received counts and the interarrival jitter.
type rxStream struct {
	ssrc      uint32
	active    bool
	baseExt   int64
	maxExt    int64
	badSeq    int32 // sequence that would confirm a restart, -1 if none
	received  uint64
	bytes     uint64
	seen      seqWindow
	dups      uint64
	prevExp   uint64
	prevRecv  uint64
	transit   float64 // seconds
	jitter    float64 // RTP units
	haveTrans bool
	clock     float64
	lsr       uint32    // middle 32 bits of the last SR's NTP time
	lsrAt     time.Time // when that SR arrived
	maxTS     int64     // highest extended timestamp
	haveTS    bool
}

const (
	maxDropout  = 3000
	maxMisorder = 100
)

func newRxStream(ssrc uint32, seq uint16, clock int) *rxStream {
	s := &rxStream{ssrc: ssrc, active: true, clock: float64(clock), badSeq: -1}
	s.baseExt, s.maxExt = int64(seq), int64(seq)-1
	return s
}

// update accounts for a packet with sequence seq. It returns the extended
// sequence number and whether the packet should be processed (false for a
// duplicate or a packet of a suspected restart).
func (s *rxStream) update(seq uint16, size int) (ext int64, restarted, ok bool) {
	delta := int64(int16(seq - uint16(s.maxExt)))
	ext = s.maxExt + delta
	if delta > maxDropout || delta < -maxMisorder {
		if int32(seq) != s.badSeq {
			s.badSeq = int32(seq+1) & 0xFFFF
			return 0, false, false
		}
		s.restart(seq)
		ext, restarted = int64(seq), true
	}
	s.badSeq = -1
	if s.seen.check(uint64(ext)) {
		s.dups++
		return ext, restarted, false
	}
	s.maxExt = max(s.maxExt, ext)
	s.received++
	s.bytes += uint64(size)
	return ext, restarted, true
}

func (s *rxStream) restart(seq uint16) {
	*s = rxStream{ssrc: s.ssrc, active: true, clock: s.clock, badSeq: -1,
		baseExt: int64(seq), maxExt: int64(seq) - 1, lsr: s.lsr, lsrAt: s.lsrAt}
}

// updateJitter folds one audio packet into the RFC 3550 jitter estimate.
func (s *rxStream) updateJitter(arrival time.Time, ts uint32) {
	transit := float64(arrival.UnixNano())/1e9 - float64(ts)/s.clock
	if s.haveTrans {
		d := (transit - s.transit) * s.clock
		// the timestamp wraps every few days at 8 kHz; ignore that step
		if math.Abs(d) < s.clock*10 {
			s.jitter += (math.Abs(d) - s.jitter) / 16
		}
	}
	s.transit, s.haveTrans = transit, true
}

func (s *rxStream) expected() uint64 {
	return uint64(max(0, s.maxExt-s.baseExt+1))
}

func (s *rxStream) lost() int64 {
	return int64(s.expected()) - int64(s.received)
}

// intervalFraction returns the RTCP "fraction lost" since the last call.
func (s *rxStream) intervalFraction() uint8 {
	exp, recv := s.expected(), s.received
	de, dr := int64(exp-s.prevExp), int64(recv-s.prevRecv)
	s.prevExp, s.prevRecv = exp, recv
	if de <= 0 || dr >= de {
		return 0
	}
	return uint8(((de - dr) << 8) / de)
}

func (s *rxStream) jitterDuration() time.Duration {
	return time.Duration(s.jitter / s.clock * float64(time.Second))
}

// extendTS unwraps a 32-bit RTP timestamp around the highest one seen.
func (s *rxStream) extendTS(ts uint32) int64 {
	if !s.haveTS {
		s.haveTS, s.maxTS = true, int64(ts)
		return s.maxTS
	}
	ext := s.maxTS + int64(int32(ts-uint32(s.maxTS)))
	s.maxTS = max(s.maxTS, ext)
	return ext
}
