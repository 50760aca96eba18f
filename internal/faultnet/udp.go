package faultnet

import (
	"errors"
	"fmt"
	"net"
	"sync"
	"time"
)

// UDP relays datagrams between the programs that send to Addr and a
// target. Each program address gets its own socket towards the target, so
// the target sees distinct sources and its answers find their way back (as
// through a NAT).
type UDP struct {
	*control
	target *net.UDPAddr
	conn   *net.UDPConn

	mu     sync.Mutex
	peers  map[string]*udpPeer
	tap    Tap
	watch  Watch
	closed bool
	wg     sync.WaitGroup
	line   *delayLine
}

// udpPeer is one program address and its socket towards the target.
type udpPeer struct {
	client *net.UDPAddr
	up     *net.UDPConn
}

// ListenUDP relays to target from a free port on 127.0.0.1.
func ListenUDP(target string) (*UDP, error) { return ListenUDPAt("127.0.0.1:0", target) }

// ListenUDPAt relays to target from addr (an RTP relay needs an even port
// with RTCP's relay on the next one).
func ListenUDPAt(addr, target string) (*UDP, error) {
	t, err := net.ResolveUDPAddr("udp", target)
	if err != nil {
		return nil, fmt.Errorf("faultnet: udp target %s: %w", target, err)
	}
	la, err := net.ResolveUDPAddr("udp", addr)
	if err != nil {
		return nil, fmt.Errorf("faultnet: udp listen %s: %w", addr, err)
	}
	conn, err := net.ListenUDP("udp", la)
	if err != nil {
		return nil, fmt.Errorf("faultnet: udp listen %s: %w", addr, err)
	}
	r := &UDP{control: newControl(), target: t, conn: conn, peers: map[string]*udpPeer{}}
	r.line = newDelayLine()
	r.wg.Add(2)
	go r.fromClients()
	go func() { defer r.wg.Done(); r.line.run() }()
	return r, nil
}

// Addr is where programs send instead of the target.
func (r *UDP) Addr() *net.UDPAddr { return r.conn.LocalAddr().(*net.UDPAddr) }

// Target is the address the relay forwards to.
func (r *UDP) Target() *net.UDPAddr { return r.target }

// SetTap installs (or with nil removes) a hook that sees and may rewrite
// every forwarded datagram.
func (r *UDP) SetTap(t Tap) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.tap = t
}

// SetWatch installs (or with nil removes) a hook that sees every datagram
// that reaches the relay, forwarded or dropped.
func (r *UDP) SetWatch(w Watch) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.watch = w
}

// SetMode changes what the relay does from now on.
func (r *UDP) SetMode(m Mode) {
	_, d, _ := r.state()
	r.set(m, d)
	if m == Cut {
		r.forget()
	}
}

// SetDelay delays every datagram by d (in order) from now on.
func (r *UDP) SetDelay(d time.Duration) {
	m, _, _ := r.state()
	r.set(m, d)
}

// Mode returns the current mode.
func (r *UDP) Mode() Mode {
	m, _, _ := r.state()
	return m
}

// Stats returns the datagrams forwarded and dropped so far.
func (r *UDP) Stats() Stats { return r.stats() }

// Close stops the relay and waits for its goroutines.
func (r *UDP) Close() error {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return nil
	}
	r.closed = true
	r.mu.Unlock()
	err := r.conn.Close()
	r.forget()
	r.line.close()
	r.wg.Wait()
	return err
}

// forget closes every socket towards the target (their readers end).
func (r *UDP) forget() {
	r.mu.Lock()
	peers := r.peers
	r.peers = map[string]*udpPeer{}
	r.mu.Unlock()
	for _, p := range peers {
		p.up.Close()
	}
}

// fromClients reads what programs send and forwards it to the target.
func (r *UDP) fromClients() {
	defer r.wg.Done()
	buf := make([]byte, 65535)
	for {
		n, from, err := r.conn.ReadFromUDP(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue
		}
		p := r.peer(from)
		if p == nil {
			continue
		}
		r.forward(ToServer, buf[:n], func(b []byte) { _, _ = p.up.Write(b) })
	}
}

// peer returns the socket towards the target for a program address,
// opening it the first time (nil once closed).
func (r *UDP) peer(from *net.UDPAddr) *udpPeer {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return nil
	}
	if p, ok := r.peers[from.String()]; ok {
		return p
	}
	up, err := net.DialUDP("udp", &net.UDPAddr{IP: r.Addr().IP}, r.target)
	if err != nil {
		return nil
	}
	p := &udpPeer{client: &net.UDPAddr{IP: from.IP, Port: from.Port}, up: up}
	r.peers[from.String()] = p
	r.wg.Add(1)
	go r.fromTarget(p)
	return p
}

// fromTarget reads the target's answers to one program and sends them back.
func (r *UDP) fromTarget(p *udpPeer) {
	defer r.wg.Done()
	buf := make([]byte, 65535)
	for {
		n, err := p.up.Read(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue // ICMP port unreachable while the target is down
		}
		r.forward(ToClient, buf[:n], func(b []byte) { _, _ = r.conn.WriteToUDP(b, p.client) })
	}
}

// forward applies the mode, the tap and the delay to one datagram.
func (r *UDP) forward(dir Direction, b []byte, send func([]byte)) {
	mode, delay, _ := r.state()
	r.mu.Lock()
	tap, watch := r.tap, r.watch
	r.mu.Unlock()
	if watch != nil {
		watch(dir, b, mode == Pass)
	}
	if mode != Pass {
		r.count(dir, false)
		return
	}
	out := append([]byte(nil), b...)
	if tap != nil {
		if out = tap(dir, out); out == nil {
			r.count(dir, false)
			return
		}
	}
	r.count(dir, true)
	if delay <= 0 {
		send(out)
		return
	}
	r.line.push(time.Now().Add(delay), func() { send(out) })
}
