package media

import (
	"encoding/binary"
	"math"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/pion/rtcp"
	"github.com/pion/rtp"
)

// FuzzRTPReceivePath feeds a session a stream of arbitrary RTP and RTCP
// datagrams on a fake clock, as the receive goroutines would, with the
// 20 ms playout tick between them: symmetric RTP, SSRC changes, sequence
// and timestamp jumps, the jitter buffer, concealment, DTMF events,
// comfort noise, reports. It must never panic, give the sink one whole
// frame per tick, and keep the statistics a user is shown sensible.
//
// Input: records of [kind byte][length uint16][datagram]; kind&1 says
// RTCP, kind>>1 is how many playout ticks (0..127) run after it.
// Seeds: testdata/fuzz/FuzzRTPReceivePath.
func FuzzRTPReceivePath(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := NewSession(SessionConfig{LocalIP: "127.0.0.1"})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if err := s.Configure(Params{Remote: &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 9}, Codec: CodecPCMU,
			DTMFPayloadType: DefaultTelephoneEventPT, Send: true, Recv: true}); err != nil {
			t.Fatal(err)
		}
		sink := &frameSink{}
		s.SetSink(sink, 8000)
		now := time.Unix(1700000000, 0)
		from := &net.UDPAddr{IP: net.IPv4(127, 0, 0, 2), Port: 4000}
		for len(data) >= 3 {
			kind, n := data[0], int(binary.BigEndian.Uint16(data[1:3]))
			data = data[3:]
			n = min(n, len(data))
			feed(s, kind&1 == 1, data[:n], from, now)
			data = data[n:]
			for range kind >> 1 {
				now = now.Add(20 * time.Millisecond)
				s.playTick(now, false)
			}
		}
		checkStats(t, s.Stats())
		if sink.bad != 0 {
			t.Fatalf("%d writes to the sink were not one 20 ms frame", sink.bad)
		}
	})
}

// feed hands one datagram to the session's receive path.
func feed(s *Session, isRTCP bool, b []byte, from *net.UDPAddr, now time.Time) {
	if isRTCP {
		pkts, err := rtcp.Unmarshal(b)
		if err == nil {
			s.mu.Lock()
			s.handleRTCP(pkts, from, now)
			s.mu.Unlock()
		}
		return
	}
	var pkt rtp.Packet
	if pkt.Unmarshal(b) != nil || pkt.Version != 2 {
		return
	}
	s.mu.Lock()
	s.handleRTP(&pkt, from, now)
	s.mu.Unlock()
}

// checkStats holds the figures the call quality panel shows.
func checkStats(t *testing.T, st Stats) {
	t.Helper()
	for name, v := range map[string]float64{"loss": st.LossPercent, "late loss": st.LateLossPercent,
		"remote loss": st.RemoteLossPercent, "MOS": st.MOS} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			t.Fatalf("%s is %v: %+v", name, v, st)
		}
	}
	if st.LossPercent < 0 || st.LossPercent > 100 || st.LateLossPercent < 0 || st.LateLossPercent > 100 {
		t.Fatalf("loss outside 0..100 %%: %+v", st)
	}
	if st.MOS < 1 || st.MOS > 4.5 {
		t.Fatalf("MOS %v outside 1..4.5: %+v", st.MOS, st)
	}
	if st.Jitter < 0 || st.JitterBufferDelay < 0 || st.ConcealedTime < 0 || st.RTT < 0 {
		t.Fatalf("negative duration: %+v", st)
	}
}

// frameSink counts writes that are not one 20 ms frame at 8 kHz.
type frameSink struct {
	mu  sync.Mutex
	bad int
}

func (f *frameSink) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(p) != 320 {
		f.bad++
	}
	return len(p), nil
}

// FuzzJitterBuffer pushes arbitrary packets (sequence, timestamp,
// arrival, payload) into the playout buffer alone and pulls frames: no
// panic, and every pulled frame is exactly 20 ms.
// Input: records of [seq uint16][ts uint32][arrival ms uint16][len byte][payload].
func FuzzJitterBuffer(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := newPlayout(playoutConfig{codec: CodecPCMU, minDelay: 5 * time.Millisecond,
			maxDelay: 200 * time.Millisecond, conceal: true, phased: true, seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		now := time.Unix(1700000000, 0)
		var ext uint64 = 1 << 20
		for len(data) >= 9 {
			seq, ts := binary.BigEndian.Uint16(data), binary.BigEndian.Uint32(data[2:])
			gap, n := binary.BigEndian.Uint16(data[6:]), int(data[8])
			data = data[9:]
			n = min(n, len(data))
			now = now.Add(time.Duration(gap%200) * time.Millisecond)
			p.Push(ext+uint64(seq), int64(ts), data[:n], now)
			data = data[n:]
			if frame := p.Pull(now); len(frame) != 160 {
				t.Fatalf("pulled %d samples, want 160", len(frame))
			}
		}
	})
}
