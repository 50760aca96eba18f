package media

import (
	"errors"
	"io"
	"time"

	"github.com/pion/rtp"
)

// txState is the send side: RTP header fields, encoder and DTMF.
type txState struct {
	ssrc      uint32
	seq       uint16
	tsBase    uint32
	lastTS    uint32 // timestamp of the last packet sent
	enc       Encoder
	codec     Codec
	marker    bool // the next audio packet starts a talkspurt
	packets   uint64
	bytes     uint64
	lastSent  time.Time
	dtmf      dtmfSender
	inband    *ToneReader
	pcm       []int16
	payload   []byte
	packetBuf []byte
	cryptBuf  []byte
}

func (t *txState) init(ssrc uint32) {
	t.ssrc = ssrc
	r := randomUint32()
	t.seq, t.tsBase = uint16(r), randomUint32()
	t.marker = true
	t.packetBuf = make([]byte, 1500)
}

// configure installs the encoder of a new codec; the sequence and timestamp
// continue across codec changes as RFC 3550 wants.
func (t *txState) configure(prev, p Params) error {
	if t.enc == nil || !prev.Codec.Is(p.Codec) {
		enc, err := NewEncoder(p.Codec)
		if err != nil {
			return err
		}
		t.enc, t.marker = enc, true
	}
	if !prev.Send && p.Send {
		t.marker = true
	}
	t.codec = p.Codec
	return nil
}

// sourceState is the PCM source and the resampling chain built for the
// codec rate. chain is only touched by the send goroutine.
type sourceState struct {
	r         io.Reader
	rate      int
	gen       uint64
	chain     io.Reader
	chainGen  uint64
	chainRate int
	buf       []byte
}

func (st *sourceState) set(r io.Reader, rate int) {
	st.r, st.rate = r, rate
	st.gen++
}

// sendTick reads 20 ms of the source and sends one packet (audio or event).
func (s *Session) sendTick(n int64) {
	s.srcMu.Lock()
	chain, gen, samples, ok := s.sourceForTick()
	if !ok {
		s.srcMu.Unlock()
		return
	}
	pcm := s.readSource(chain, gen, samples)
	s.srcMu.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sendFrame(n, pcm)
}

// sourceForTick returns the source chain and frame size when this tick
// sends audio; ok is false when the session does not send.
func (s *Session) sourceForTick() (chain io.Reader, gen uint64, samples int, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.configured || !s.params.Send || s.remote == nil {
		return nil, 0, 0, false
	}
	rate := s.params.Codec.SampleRate
	st := &s.src
	if st.r == nil {
		return nil, st.gen, SamplesPerFrame(rate), true
	}
	if st.chain == nil || st.chainGen != st.gen || st.chainRate != rate {
		c, err := NewResampleReader(st.r, st.rate, rate)
		if err != nil {
			s.log.Warn("media source dropped", "err", err)
			st.r = nil
			return nil, st.gen, SamplesPerFrame(rate), true
		}
		st.chain, st.chainGen, st.chainRate = c, st.gen, rate
	}
	return st.chain, st.gen, SamplesPerFrame(rate), true
}

// readSource reads one frame outside the lock; at EOF or on an error it
// pads with silence, drops the source and reports SourceEndedEvent.
func (s *Session) readSource(chain io.Reader, gen uint64, samples int) []int16 {
	buf := make([]byte, 2*samples)
	if chain == nil {
		return make([]int16, samples)
	}
	_, err := io.ReadFull(chain, buf)
	if err != nil {
		s.sourceEnded(gen, err)
	}
	return BytesToSamples(nil, buf)
}

func (s *Session) sourceEnded(gen uint64, err error) {
	if !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
		s.log.Warn("media source failed", "err", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.src.gen == gen && s.src.r != nil {
		s.src.r, s.src.chain = nil, nil
		s.emit(SourceEndedEvent{})
	}
}

// sendFrame sends tick n's packet: a telephone event while a digit plays,
// else the encoded audio (with an in-band digit mixed in without a
// negotiated telephone-event type).
func (s *Session) sendFrame(n int64, pcm []int16) {
	if !s.configured || !s.params.Send || s.remote == nil {
		return
	}
	t := &s.tx
	frameTS := t.codec.frameTS()
	ts := t.tsBase + uint32(n)*uint32(frameTS)
	if ts != t.lastTS+uint32(frameTS) {
		t.marker = true
	}
	if s.params.DTMFPayloadType != 0 {
		if payload, marker, ok := t.dtmf.next(ts, frameTS); ok {
			s.writeRTP(s.params.DTMFPayloadType, marker, t.dtmf.startTS, payload)
			t.lastTS = ts
			return
		}
	} else {
		s.mixInbandDTMF(pcm)
	}
	t.payload = t.enc.Encode(t.payload[:0], pcm)
	s.writeRTP(t.codec.PayloadType, t.marker, ts, t.payload)
	t.marker = false
	t.lastTS = ts
}

// mixInbandDTMF replaces the frame by the dual tone of the current digit.
func (s *Session) mixInbandDTMF(pcm []int16) {
	t := &s.tx
	code, started, ok := t.dtmf.nextInband(t.codec.frameTS())
	if !ok {
		t.inband = nil
		return
	}
	if started || t.inband == nil {
		lo, hi, _ := DTMFFrequencies(DTMFDigit(code))
		t.inband = NewToneReader(Tone{Freqs: []float64{lo, hi}, Level: 0.2}, t.codec.SampleRate)
	}
	t.inband.ReadSamples(pcm)
}

func (s *Session) writeRTP(pt uint8, marker bool, ts uint32, payload []byte) {
	t := &s.tx
	h := rtp.Header{Version: 2, Marker: marker, PayloadType: pt, SequenceNumber: t.seq, Timestamp: ts, SSRC: t.ssrc}
	n, err := rtp.MarshalPacketTo(t.packetBuf, &h, payload)
	if err != nil {
		s.log.Warn("rtp marshal", "err", err)
		return
	}
	t.seq++
	wire, err := protect(s.params.Crypto, t.cryptBuf, t.packetBuf[:n], false)
	if err != nil {
		s.log.Warn("srtp protect", "err", err)
		return
	}
	if s.params.Crypto != nil {
		t.cryptBuf = wire[:0]
	}
	if _, err := s.rtp.WriteToUDP(wire, s.remote); err != nil {
		s.log.Debug("rtp send", "err", err)
		return
	}
	t.packets++
	t.bytes += uint64(len(payload))
	t.lastSent = s.now()
}
