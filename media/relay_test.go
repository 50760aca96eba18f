package media

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"sync"
	"time"
)

// lossyRelay is a deterministic impaired network between two sessions on
// loopback: RTP from either side is dropped, delayed (base + uniform
// jitter), or duplicated with seeded draws; RTCP passes untouched. Each
// side has its own even/odd port pair, so each session sees the relay as
// its peer.
type lossyRelay struct {
	sideA, sideB [2]*net.UDPConn // RTP, RTCP facing session a / b
	peerA, peerB *net.UDPAddr    // the sessions' RTP addresses
	model        netModel
	mu           sync.Mutex
	rng          *rand.Rand
	dropped      map[uint16]bool // RTP sequence numbers dropped a->b
	firstSeq     int             // first RTP sequence number a->b, -1 before
	wg           sync.WaitGroup
	done         chan struct{}
}

func startRelay(m netModel) (*lossyRelay, error) {
	r := &lossyRelay{model: m, rng: rand.New(rand.NewPCG(m.Seed, 99)), dropped: map[uint16]bool{}, firstSeq: -1, done: make(chan struct{})}
	var err error
	for _, side := range []*[2]*net.UDPConn{&r.sideA, &r.sideB} {
		side[0], side[1], err = listenPair("127.0.0.1", 0, 0)
		if err != nil {
			r.close()
			return nil, fmt.Errorf("relay: %w", err)
		}
	}
	return r, nil
}

// addrA is where session a sends; addrB is where session b sends.
func (r *lossyRelay) addrA() *net.UDPAddr { return r.sideA[0].LocalAddr().(*net.UDPAddr) }
func (r *lossyRelay) addrB() *net.UDPAddr { return r.sideB[0].LocalAddr().(*net.UDPAddr) }

// start forwards between session a (at peerA) and session b (at peerB).
func (r *lossyRelay) start(peerA, peerB *net.UDPAddr) {
	r.peerA, r.peerB = peerA, peerB
	rtcpA := &net.UDPAddr{IP: peerA.IP, Port: peerA.Port + 1}
	rtcpB := &net.UDPAddr{IP: peerB.IP, Port: peerB.Port + 1}
	r.forward(r.sideA[0], r.sideB[0], peerB, true)
	r.forward(r.sideB[0], r.sideA[0], peerA, false)
	r.forward(r.sideA[1], r.sideB[1], rtcpB, false)
	r.forward(r.sideB[1], r.sideA[1], rtcpA, false)
}

func (r *lossyRelay) forward(in, out *net.UDPConn, to *net.UDPAddr, impaired bool) {
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		buf := make([]byte, 1500)
		for {
			n, _, err := in.ReadFromUDP(buf)
			if errors.Is(err, net.ErrClosed) {
				return
			}
			if err != nil {
				continue
			}
			pkt := append([]byte(nil), buf[:n]...)
			if !impaired {
				_, _ = out.WriteToUDP(pkt, to)
				continue
			}
			for _, d := range r.fate(pkt) {
				r.sendLater(out, to, pkt, d)
			}
		}
	}()
}

// fate returns the delays at which copies of pkt are delivered (none when
// it is lost).
func (r *lossyRelay) fate(pkt []byte) []time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	m := r.model
	if r.firstSeq < 0 && len(pkt) >= 4 {
		r.firstSeq = int(binary.BigEndian.Uint16(pkt[2:]))
	}
	lost := r.rng.Float64() < m.Loss
	d := m.Base + time.Duration(r.rng.Float64()*float64(m.Jitter))
	dup := r.rng.Float64() < m.Dup
	extra := time.Duration(r.rng.Float64() * float64(10*time.Millisecond))
	if lost {
		if len(pkt) >= 4 {
			r.dropped[binary.BigEndian.Uint16(pkt[2:])] = true
		}
		return nil
	}
	if dup {
		return []time.Duration{d, d + extra}
	}
	return []time.Duration{d}
}

func (r *lossyRelay) sendLater(out *net.UDPConn, to *net.UDPAddr, pkt []byte, d time.Duration) {
	r.wg.Add(1)
	time.AfterFunc(d, func() {
		defer r.wg.Done()
		select {
		case <-r.done:
		default:
			_, _ = out.WriteToUDP(pkt, to)
		}
	})
}

// droppedFrames returns the indices (0 = first packet) of the RTP packets
// from a to b that the relay dropped.
func (r *lossyRelay) droppedFrames() []int {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []int
	for seq := range r.dropped {
		out = append(out, int(seq-uint16(r.firstSeq)))
	}
	return out
}

func (r *lossyRelay) close() {
	select {
	case <-r.done:
		return
	default:
	}
	close(r.done)
	for _, c := range []*net.UDPConn{r.sideA[0], r.sideA[1], r.sideB[0], r.sideB[1]} {
		if c != nil {
			_ = c.Close()
		}
	}
	r.wg.Wait()
}
