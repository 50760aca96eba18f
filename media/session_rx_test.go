package media

import (
	"net"
	"testing"
	"time"

	"github.com/pion/rtp"
)

// fakeClock is a settable clock for the parts of a session tested without
// running its loops.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }

func configuredSession(t *testing.T, clk *fakeClock) *Session {
	t.Helper()
	s := newTestSession(t, SessionConfig{Now: clk.now, MediaTimeout: 30 * time.Second})
	remote := &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 40000}
	configure(t, s, remote, CodecPCMU, DefaultTelephoneEventPT)
	return s
}

func audioPacket(ssrc uint32, seq uint16, ts uint32) *rtp.Packet {
	return &rtp.Packet{Header: rtp.Header{Version: 2, PayloadType: 0, SequenceNumber: seq, Timestamp: ts, SSRC: ssrc},
		Payload: make([]byte, 160)}
}

func deliver(s *Session, clk *fakeClock, from *net.UDPAddr, pkts ...*rtp.Packet) {
	for _, p := range pkts {
		s.mu.Lock()
		s.handleRTP(p, from, clk.now())
		s.mu.Unlock()
		clk.advance(20 * time.Millisecond)
	}
}

func drain(s *Session) []Event {
	var out []Event
	for {
		select {
		case ev := <-s.events:
			out = append(out, ev)
		default:
			return out
		}
	}
}

func TestSessionTimesOutAfter30sWithoutMedia(t *testing.T) {
	clk := &fakeClock{t: time.Unix(1_800_000_000, 0)}
	s := configuredSession(t, clk)
	from := &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 40000}
	deliver(s, clk, from, audioPacket(1, 1, 160))
	check := func(after time.Duration) bool {
		s.mu.Lock()
		s.checkTimeout(s.rx.lastRTP.Add(after))
		s.mu.Unlock()
		s.wg.Wait() // the terminal event is handed over by a goroutine
		for _, ev := range drain(s) {
			if _, ok := ev.(TimeoutEvent); ok {
				return true
			}
		}
		return false
	}
	if check(29 * time.Second) {
		t.Fatal("timed out after 29 s of silence")
	}
	if !check(30 * time.Second) {
		t.Fatal("no TimeoutEvent after 30 s without RTP")
	}
	// on hold the limit is four times longer
	hold := Params{Remote: from, Codec: CodecPCMU, Send: true, Recv: false}
	if err := s.Configure(hold); err != nil {
		t.Fatal(err)
	}
	deliver(s, clk, from, audioPacket(1, 2, 320))
	if check(119 * time.Second) {
		t.Fatal("on hold: timed out after 119 s")
	}
	if !check(120 * time.Second) {
		t.Fatal("on hold: no TimeoutEvent after 120 s")
	}
}

func TestSessionFollowsSequenceWrap(t *testing.T) {
	clk := &fakeClock{t: time.Unix(1_800_000_000, 0)}
	s := configuredSession(t, clk)
	from := &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 40000}
	ts := uint32(0xFFFFF000) // the timestamp wraps too
	var pkts []*rtp.Packet
	for i, seq := range []uint16{65533, 65534, 65535, 0, 2, 3} { // 1 is lost
		pkts = append(pkts, audioPacket(7, seq, ts+uint32(160*i)))
	}
	pkts = append(pkts, audioPacket(7, 0, ts+480)) // a duplicate after the wrap
	deliver(s, clk, from, pkts...)
	st := s.Stats()
	if st.PacketsExpected != 7 || st.PacketsLost != 1 || st.PacketsReceived != 6 || st.Duplicates < 1 {
		t.Errorf("across the wrap: expected %d lost %d received %d dups %d, want 7, 1, 6, 1",
			st.PacketsExpected, st.PacketsLost, st.PacketsReceived, st.Duplicates)
	}
}

func TestSessionSwitchesToNewSSRC(t *testing.T) {
	clk := &fakeClock{t: time.Unix(1_800_000_000, 0)}
	s := configuredSession(t, clk)
	from := &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 40000}
	deliver(s, clk, from, audioPacket(1, 100, 1000), audioPacket(1, 101, 1160))
	// a stray packet of another source while the first one is alive is ignored
	deliver(s, clk, from, audioPacket(2, 5000, 9000))
	if s.Stats().RemoteSSRC != 1 {
		t.Fatal("switched source on a single stray packet")
	}
	deliver(s, clk, from, audioPacket(1, 102, 1320))
	clk.advance(200 * time.Millisecond) // the old source falls silent (a transfer)
	deliver(s, clk, from, audioPacket(2, 5001, 9160), audioPacket(2, 5002, 9320))
	st := s.Stats()
	if st.RemoteSSRC != 2 || st.PacketsExpected != 2 || st.PacketsLost != 0 {
		t.Errorf("after the switch: ssrc %d expected %d lost %d, want 2, 2, 0", st.RemoteSSRC, st.PacketsExpected, st.PacketsLost)
	}
	var changed bool
	for _, ev := range drain(s) {
		if c, ok := ev.(SSRCChangedEvent); ok && c.Old == 1 && c.New == 2 {
			changed = true
		}
	}
	if !changed {
		t.Error("no SSRCChangedEvent{1, 2}")
	}
}

// TestSessionLatchesSymmetricRTP gives b a wrong address for a (as behind
// a NAT): b must answer where a's packets come from, so a hears b.
func TestSessionLatchesSymmetricRTP(t *testing.T) {
	a := newTestSession(t, SessionConfig{})
	b := newTestSession(t, SessionConfig{})
	configure(t, a, b.LocalAddr(), CodecPCMU, 0)
	wrong := &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: a.LocalAddr().Port + 2}
	configure(t, b, wrong, CodecPCMU, 0)
	b.SetSource(NewToneReader(Tone{Freqs: []float64{600}, Level: 0.3}, 8000), 8000)
	sink := &pcmBuffer{}
	a.SetSink(sink, 8000)
	start(t, a, b)
	waitFor(t, "a to hear b's 600 Hz tone", 10*time.Second, func() bool {
		s := sink.samples()
		return len(s) > 1600 && toneShare(s[len(s)-800:], 600, 8000) > 0.9
	})
	if got := b.Stats().Remote; got.Port != a.LocalAddr().Port {
		t.Errorf("b sends to %v, want a's address %v", got, a.LocalAddr())
	}
	var moved bool
	for _, ev := range drain(b) {
		if _, ok := ev.(RemoteChangedEvent); ok {
			moved = true
		}
	}
	if !moved {
		t.Error("no RemoteChangedEvent")
	}
}

// TestSessionMeasuresRoundTripOverRTCP runs two sessions with a fast RTCP
// interval: each must learn a round trip from the other's reports.
func TestSessionMeasuresRoundTripOverRTCP(t *testing.T) {
	cfg := SessionConfig{RTCPInterval: 200 * time.Millisecond}
	a, b := newTestSession(t, cfg), newTestSession(t, cfg)
	configure(t, a, b.LocalAddr(), CodecPCMA, 0)
	configure(t, b, a.LocalAddr(), CodecPCMA, 0)
	start(t, a, b)
	waitFor(t, "RTT on both sides", 15*time.Second, func() bool {
		return a.Stats().RTT > 0 && b.Stats().RTT > 0
	})
	for _, s := range []*Session{a, b} {
		st := s.Stats()
		if st.RTT > time.Second {
			t.Errorf("loopback: RTT %s, want well under a second", st.RTT)
		}
	}
}

// TestArrivalAgeSurvivesWallClockSteps: a kernel arrival time is the wall
// clock; one stepped between arrival and drain (an hour either way) must
// not date the packet an hour back or ahead.
func TestArrivalAgeSurvivesWallClockSteps(t *testing.T) {
	now := time.Now()
	for _, c := range []struct {
		at   time.Time
		want time.Duration
	}{
		{now.Add(-15 * time.Millisecond), 15 * time.Millisecond},
		{now.Add(-time.Hour), 0},
		{now.Add(time.Hour), 0},
	} {
		if got := arrivalAge(now, c.at.Round(0)); got != c.want {
			t.Errorf("arrival %v before now: age %v, want %v", now.Sub(c.at), got, c.want)
		}
	}
}
