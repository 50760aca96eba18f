package media

import (
	"errors"
	"math/rand/v2"
	"net"
	"time"

	"github.com/pion/rtcp"
)

// ntpTime converts t to a 64-bit NTP timestamp.
func ntpTime(t time.Time) uint64 {
	secs := uint64(t.Unix()) + 2208988800
	frac := (uint64(t.Nanosecond()) << 32) / 1e9
	return secs<<32 | frac
}

// ntpMiddle returns the middle 32 bits used by LSR and DLSR (1/65536 s).
func ntpMiddle(t time.Time) uint32 {
	return uint32(ntpTime(t) >> 16)
}

// receiveRTCP reads RTCP until the socket closes.
func (s *Session) receiveRTCP() {
	buf, plain := make([]byte, 1500), make([]byte, 1500)
	for {
		n, addr, err := s.rtcp.ReadFromUDP(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue
		}
		data, ok := unprotect(s.packetCrypto(), plain, buf[:n], true)
		if !ok {
			continue
		}
		pkts, err := rtcp.Unmarshal(data)
		if err != nil {
			continue
		}
		s.mu.Lock()
		s.handleRTCP(pkts, addr, s.now())
		s.mu.Unlock()
	}
}

func (s *Session) handleRTCP(pkts []rtcp.Packet, addr *net.UDPAddr, now time.Time) {
	s.rx.lastRTCP = now
	for _, p := range pkts {
		switch p := p.(type) {
		case *rtcp.SenderReport:
			s.onSenderReport(p, addr, now)
			s.onReports(p.Reports, now)
		case *rtcp.ReceiverReport:
			s.latchRTCP(p.SSRC, addr)
			s.onReports(p.Reports, now)
		case *rtcp.Goodbye:
			s.log.Info("peer sent rtcp bye", "ssrcs", p.Sources)
		}
	}
}

func (s *Session) onSenderReport(p *rtcp.SenderReport, addr *net.UDPAddr, now time.Time) {
	s.latchRTCP(p.SSRC, addr)
	if st := s.rx.stream; st != nil && st.ssrc == p.SSRC {
		st.lsr, st.lsrAt = uint32(p.NTPTime>>16), now
	}
}

// latchRTCP sends our RTCP where the peer's RTCP comes from.
func (s *Session) latchRTCP(ssrc uint32, addr *net.UDPAddr) {
	if st := s.rx.stream; st != nil && st.ssrc == ssrc && !sameAddr(addr, s.remoteRTCP) {
		s.remoteRTCP = &net.UDPAddr{IP: addr.IP, Port: addr.Port}
	}
}

// onReports takes the peer's view of our stream: loss, jitter and the
// round trip (RFC 3550 section 6.4.1: A - LSR - DLSR).
func (s *Session) onReports(reports []rtcp.ReceptionReport, now time.Time) {
	for _, r := range reports {
		if r.SSRC != s.tx.ssrc {
			continue
		}
		s.rx.remoteFraction, s.rx.remoteJitter = r.FractionLost, r.Jitter
		if r.LastSenderReport == 0 {
			continue
		}
		rtt := ntpMiddle(now) - r.LastSenderReport - r.Delay
		if rtt < 1<<31 {
			s.rx.rtt = time.Duration(uint64(rtt) * uint64(time.Second) >> 16)
		}
	}
}

// maybeSendRTCP sends a report when the randomized interval elapsed.
func (s *Session) maybeSendRTCP(now time.Time) {
	if !s.configured || s.remoteRTCP == nil {
		return
	}
	if s.rx.nextRTCP.IsZero() {
		s.rx.nextRTCP = now.Add(s.rtcpInterval() / 2)
		return
	}
	if now.Before(s.rx.nextRTCP) {
		return
	}
	s.rx.nextRTCP = now.Add(s.rtcpInterval())
	s.writeRTCP(s.report(now))
}

// rtcpInterval is the configured interval randomized over [0.5, 1.5].
func (s *Session) rtcpInterval() time.Duration {
	return time.Duration((0.5 + rand.Float64()) * float64(s.cfg.RTCPInterval))
}

// report builds a compound packet: SR when we sent RTP since the last
// report (RR otherwise) and an SDES CNAME.
func (s *Session) report(now time.Time) []rtcp.Packet {
	var blocks []rtcp.ReceptionReport
	if st := s.rx.stream; st != nil {
		blocks = append(blocks, s.receptionReport(st, now))
	}
	sdes := rtcp.NewCNAMESourceDescription(s.tx.ssrc, s.cname)
	t := &s.tx
	if t.packets > 0 && now.Sub(t.lastSent) < 2*s.cfg.RTCPInterval {
		elapsed := now.Sub(t.lastSent).Seconds() * float64(t.codec.ClockRate)
		sr := &rtcp.SenderReport{
			SSRC: t.ssrc, NTPTime: ntpTime(now), RTPTime: t.lastTS + uint32(elapsed),
			PacketCount: uint32(t.packets), OctetCount: uint32(t.bytes), Reports: blocks,
		}
		return []rtcp.Packet{sr, sdes}
	}
	return []rtcp.Packet{&rtcp.ReceiverReport{SSRC: t.ssrc, Reports: blocks}, sdes}
}

func (s *Session) receptionReport(st *rxStream, now time.Time) rtcp.ReceptionReport {
	lost := max(-(1 << 23), min(1<<23-1, st.lost()))
	r := rtcp.ReceptionReport{
		SSRC:               st.ssrc,
		FractionLost:       st.intervalFraction(),
		TotalLost:          uint32(lost) & 0xFFFFFF,
		LastSequenceNumber: uint32(st.maxExt),
		Jitter:             uint32(st.jitter),
		LastSenderReport:   st.lsr,
	}
	if st.lsr != 0 {
		r.Delay = uint32(now.Sub(st.lsrAt).Seconds() * 65536)
	}
	return r
}

func (s *Session) writeRTCP(pkts []rtcp.Packet) {
	b, err := rtcp.Marshal(pkts)
	if err != nil {
		s.log.Warn("rtcp marshal", "err", err)
		return
	}
	if b, err = protect(s.params.Crypto, nil, b, true); err != nil {
		s.log.Warn("srtcp protect", "err", err)
		return
	}
	if _, err := s.rtcp.WriteToUDP(b, s.remoteRTCP); err != nil {
		s.log.Debug("rtcp send", "err", err)
	}
}

// sendBye tells the peer our stream ends (RFC 3550 section 6.6).
func (s *Session) sendBye() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.configured || s.remoteRTCP == nil {
		return
	}
	pkts := s.report(s.now())
	pkts = append(pkts, &rtcp.Goodbye{Sources: []uint32{s.tx.ssrc}})
	s.writeRTCP(pkts)
}

// Stats returns a snapshot of the session's quality figures.
func (s *Session) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := Stats{
		Codec: s.params.Codec, LocalSSRC: s.tx.ssrc,
		PacketsSent: s.tx.packets, BytesSent: s.tx.bytes,
		RTT: s.rx.rtt, LastReceived: s.rx.lastRTP,
		RemoteLossPercent: float64(s.rx.remoteFraction) * 100 / 256,
	}
	if s.remote != nil {
		st.Remote = &net.UDPAddr{IP: s.remote.IP, Port: s.remote.Port}
	}
	if c := s.params.Codec.ClockRate; c > 0 {
		st.RemoteJitter = time.Duration(float64(s.rx.remoteJitter) / float64(c) * float64(time.Second))
	}
	s.fillReceiveStats(&st)
	st.MOS = estimateMOS(st.RTT/2+st.JitterBufferDelay+FrameDuration, st.LossPercent+st.LateLossPercent)
	return st
}

func (s *Session) fillReceiveStats(st *Stats) {
	if rs := s.rx.stream; rs != nil {
		st.RemoteSSRC, st.PacketsReceived, st.BytesReceived = rs.ssrc, rs.received, rs.bytes
		st.PacketsExpected, st.PacketsLost, st.Duplicates = rs.expected(), rs.lost(), rs.dups
		st.Jitter = rs.jitterDuration()
		if st.PacketsExpected > 0 {
			st.LossPercent = 100 * float64(max(0, st.PacketsLost)) / float64(st.PacketsExpected)
		}
	}
	p := s.rx.play
	if p == nil {
		return
	}
	ps := p.stats
	st.LatePackets = ps.Late
	st.Duplicates += ps.Duplicates
	if st.PacketsExpected > 0 {
		st.LateLossPercent = 100 * float64(ps.Late) / float64(st.PacketsExpected)
	}
	if ps.DelayCount > 0 {
		st.JitterBufferDelay = ps.DelaySum / time.Duration(ps.DelayCount)
	}
	st.JitterBufferTarget = p.est.targetDelay()
	st.ConcealedTime = time.Duration(ps.Concealed) * time.Second / time.Duration(p.codec.SampleRate)
}
