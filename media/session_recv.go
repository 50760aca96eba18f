package media

import (
	"errors"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/pion/rtp"
)

// rxState is the receive side: the peer's stream, the playout and DTMF.
type rxState struct {
	stream     *rxStream
	play       *playout
	pcfg       playoutConfig
	dtmf       dtmfReceiver
	inband     *dtmfDetector // key presses in the audio, without telephone-event
	lastRTP    time.Time
	lastRTCP   time.Time
	lastStream time.Time // last packet of the adopted SSRC
	timedOut   bool
	candidate  uint32 // another SSRC on probation
	candCount  int
	unknownPT  uint64

	rtt            time.Duration
	remoteFraction uint8
	remoteJitter   uint32
	nextRTCP       time.Time
	phase          phaseTracker
}

const (
	ssrcSilence   = 100 * time.Millisecond // old stream silent this long: switch at once
	ssrcProbation = 3                      // else switch after this many packets of the new one
)

// configure resets the playout when the codec changes.
func (r *rxState) configure(prev Params, p Params, pcfg playoutConfig) error {
	r.dtmf.clock = p.Codec.ClockRate
	if r.play != nil && prev.Codec.Is(p.Codec) && prev.Codec.PayloadType == p.Codec.PayloadType {
		return nil
	}
	r.pcfg = pcfg
	return r.resetPlayout()
}

func (r *rxState) resetPlayout() error {
	play, err := newPlayout(r.pcfg)
	if err != nil {
		return err
	}
	r.play = play
	r.dtmf = dtmfReceiver{clock: r.dtmf.clock}
	r.inband = newDTMFDetector(r.pcfg.codec.SampleRate)
	return nil
}

// receiveRTP reads RTP until the socket closes (where the socket cannot
// be drained at the session's tick, see drainRTP).
func (s *Session) receiveRTP() {
	buf := make([]byte, 1500)
	for {
		n, addr, err := s.rtp.ReadFromUDP(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			s.log.Debug("rtp receive", "err", err)
			continue
		}
		s.receivedRTP(buf[:n], addr, s.now())
	}
}

// drainRTP handles, at the session's tick, the packets that arrived since
// the last one, each at the time the kernel received it: the jitter
// estimate and the playout see the true arrival times, and the session
// wakes once per 20 ms instead of once more per packet.
func (s *Session) drainRTP() {
	if s.rxBuf == nil {
		s.rxBuf = make([]byte, 1500)
	}
	now := s.now()
	err := s.drainer.Drain(s.rxBuf, func(n int, from *net.UDPAddr, at time.Time) {
		s.receivedRTP(s.rxBuf[:n], from, now.Add(-arrivalAge(now, at)))
	})
	if err != nil && !errors.Is(err, net.ErrClosed) {
		s.log.Debug("rtp receive", "err", err)
	}
}

// maxArrivalAge bounds how long ago a drained datagram may have arrived:
// the session drains every 20 ms, and a longer stall is rare. A kernel
// time further back (or ahead) means the wall clock was stepped meanwhile.
const maxArrivalAge = time.Second

// arrivalAge is how long before now a datagram stamped at (kernel time,
// the wall clock) arrived; now keeps its monotonic reading. A wall clock
// stepped between arrival and drain gives 0: the datagram counts as
// arrived now rather than an hour ago (or in the future).
func arrivalAge(now, at time.Time) time.Duration {
	age := now.Sub(at)
	if age < 0 || age > maxArrivalAge {
		return 0
	}
	return age
}

// receivedRTP decrypts, parses and handles one datagram.
func (s *Session) receivedRTP(b []byte, addr *net.UDPAddr, at time.Time) {
	if s.rxPlain == nil {
		s.rxPlain = make([]byte, 1500)
	}
	data, ok := unprotect(s.packetCrypto(), s.rxPlain, b, false)
	if !ok || s.rxPkt.Unmarshal(data) != nil || s.rxPkt.Version != 2 {
		return
	}
	s.mu.Lock()
	s.handleRTP(&s.rxPkt, addr, at)
	s.mu.Unlock()
}

type payloadKind int

const (
	kindUnknown payloadKind = iota
	kindAudio
	kindEvent
	kindCN
)

func (s *Session) classify(pt uint8) payloadKind {
	switch {
	case pt == s.params.Codec.PayloadType:
		return kindAudio
	case s.params.DTMFPayloadType != 0 && pt == s.params.DTMFPayloadType:
		return kindEvent
	case pt == PayloadTypeCN:
		return kindCN
	}
	return kindUnknown
}

// handleRTP processes one received packet under the lock.
func (s *Session) handleRTP(pkt *rtp.Packet, addr *net.UDPAddr, now time.Time) {
	if !s.configured {
		return
	}
	kind := s.classify(pkt.PayloadType)
	if kind == kindUnknown {
		s.rx.unknownPT++
		return
	}
	if !s.acceptSSRC(pkt, now) {
		return
	}
	s.latch(addr)
	s.rx.lastRTP, s.rx.lastStream, s.rx.timedOut = now, now, false
	ext, restarted, ok := s.rx.stream.update(pkt.SequenceNumber, len(pkt.Payload))
	if restarted {
		s.restartPlayout()
	}
	if !ok || !s.params.Recv {
		return
	}
	s.dispatch(kind, pkt, ext, now)
}

func (s *Session) dispatch(kind payloadKind, pkt *rtp.Packet, ext int64, now time.Time) {
	rx := &s.rx
	switch kind {
	case kindAudio:
		rx.stream.updateJitter(now, pkt.Timestamp)
		if pkt.Marker {
			rx.play.MarkTalkspurt()
		}
		rx.play.Push(uint64(ext), rx.stream.extendTS(pkt.Timestamp), pkt.Payload, now)
	case kindEvent:
		if ev, ok := parseTelephoneEvent(pkt.Payload); ok {
			for _, d := range rx.dtmf.handle(pkt.Timestamp, ev) {
				s.emit(d)
			}
		}
	case kindCN:
		if len(pkt.Payload) > 0 {
			rx.play.PushCN(pkt.Payload[0])
		}
	}
}

func (s *Session) restartPlayout() {
	if err := s.rx.resetPlayout(); err != nil {
		s.log.Warn("playout reset", "err", err)
	}
}

// acceptSSRC follows the peer's synchronization source: the first one is
// adopted; another one replaces it when the old one fell silent or after
// a few packets of probation (RFC 3550 section 8.2 style).
func (s *Session) acceptSSRC(pkt *rtp.Packet, now time.Time) bool {
	rx := &s.rx
	clock := s.params.Codec.ClockRate
	if rx.stream == nil {
		rx.stream = newRxStream(pkt.SSRC, pkt.SequenceNumber, clock)
		return true
	}
	if pkt.SSRC == rx.stream.ssrc {
		rx.candCount = 0
		return true
	}
	if pkt.SSRC != rx.candidate {
		rx.candidate, rx.candCount = pkt.SSRC, 0
	}
	rx.candCount++
	if now.Sub(rx.lastStream) < ssrcSilence && rx.candCount < ssrcProbation {
		return false
	}
	old := rx.stream.ssrc
	rx.stream = newRxStream(pkt.SSRC, pkt.SequenceNumber, clock)
	rx.candCount = 0
	s.restartPlayout()
	s.log.Info("peer ssrc changed", "old", old, "new", pkt.SSRC)
	s.emit(SSRCChangedEvent{Old: old, New: pkt.SSRC})
	return true
}

// latch implements symmetric RTP: send where the peer's stream comes from.
func (s *Session) latch(addr *net.UDPAddr) {
	if s.latched && sameAddr(addr, s.remote) {
		return
	}
	old := s.remote
	s.setRemote(addr, true)
	if !sameAddr(old, addr) {
		s.log.Info("symmetric rtp: peer address corrected", "from", addrString(old), "to", addr.String())
		s.emit(RemoteChangedEvent{From: old, To: s.remote})
	}
}

// sinkState is the PCM sink and the resampling chain from the codec rate.
// chain is only touched by the play goroutine.
type sinkState struct {
	w         io.Writer
	rate      int
	gen       uint64
	chain     io.Writer
	chainGen  uint64
	chainRate int
	buf       []byte
}

func (st *sinkState) set(w io.Writer, rate int) {
	st.w, st.rate = w, rate
	st.gen++
}

// playTick pulls 20 ms from the jitter buffer and writes it to the sink;
// it also checks the media timeout and sends RTCP when due. It returns how
// much earlier the playout would like the tick (phaseTracker), 0 when the
// sound card paces the clock (it cannot be moved: see sessionClock).
func (s *Session) playTick(at time.Time, paced bool) time.Duration {
	s.mu.Lock()
	if s.rx.play != nil {
		s.rx.play.phased = !paced
	}
	frame, rate := s.pullFrame(at)
	s.detectInband(frame)
	advance := s.phaseAdvance(paced)
	chain, gen := s.sinkForTick(rate)
	s.checkTimeout(at)
	s.maybeSendRTCP(at)
	s.mu.Unlock()
	if chain != nil {
		s.snk.buf = SamplesToBytes(s.snk.buf, frame)
		if _, err := chain.Write(s.snk.buf); err != nil {
			s.sinkFailed(gen, err)
		}
	}
	return advance
}

// detectInband looks for key presses in the frame played when the peer
// negotiated no telephone-event (s.mu held).
func (s *Session) detectInband(frame []int16) {
	if !s.configured || s.params.DTMFPayloadType != 0 || s.rx.inband == nil {
		return
	}
	if ev, ok := s.rx.inband.feed(frame); ok {
		s.emit(ev)
	}
}

// phaseAdvance feeds the playout's slack to the phase tracker.
func (s *Session) phaseAdvance(paced bool) time.Duration {
	if !s.configured || s.rx.play == nil {
		return 0
	}
	if paced {
		return s.rx.phase.observe(notPlaying) // start afresh if the timer takes over
	}
	return s.rx.phase.observe(s.rx.play.Slack())
}

// pullFrame returns 20 ms of received audio and its rate; before Configure
// it returns silence at the sink rate.
func (s *Session) pullFrame(at time.Time) ([]int16, int) {
	if !s.configured || s.rx.play == nil {
		rate := max(8000, s.snk.rate)
		return make([]int16, SamplesPerFrame(rate)), rate
	}
	return s.rx.play.Pull(at), s.params.Codec.SampleRate
}

func (s *Session) sinkForTick(rate int) (io.Writer, uint64) {
	st := &s.snk
	if st.w == nil {
		return nil, st.gen
	}
	if st.chain == nil || st.chainGen != st.gen || st.chainRate != rate {
		c, err := NewResampleWriter(st.w, rate, st.rate)
		if err != nil {
			s.log.Warn("media sink dropped", "err", err)
			st.w = nil
			return nil, st.gen
		}
		st.chain, st.chainGen, st.chainRate = c, st.gen, rate
	}
	return st.chain, st.gen
}

func (s *Session) sinkFailed(gen uint64, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.snk.gen == gen && s.snk.w != nil {
		s.log.Warn("media sink failed", "err", err)
		s.snk.w, s.snk.chain = nil, nil
		s.emit(SinkFailedEvent{Err: err})
	}
}

// checkTimeout reports TimeoutEvent once when no RTP arrived for the media
// timeout (times HoldTimeoutFactor on hold, when RTCP also counts).
func (s *Session) checkTimeout(now time.Time) {
	if !s.configured || s.rx.timedOut {
		return
	}
	hold := s.params.onHold()
	limit := s.cfg.MediaTimeout
	last := later(s.configAt, s.rx.lastRTP)
	if hold {
		limit *= time.Duration(s.cfg.HoldTimeoutFactor)
		last = later(last, s.rx.lastRTCP)
	}
	silent := now.Sub(last)
	if silent < limit {
		return
	}
	s.rx.timedOut = true
	reason := fmt.Sprintf("no media received for %s", silent.Round(time.Second))
	if hold {
		reason += " (on hold)"
	}
	s.log.Warn("media timeout", "silent", silent, "hold", hold)
	s.emitTerminal(TimeoutEvent{After: silent, OnHold: hold, Reason: reason})
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
