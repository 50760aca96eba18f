package faultnet

import (
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"time"
)

// TCP relays each connection made to Addr to a new connection to the
// target (TLS passes through untouched).
type TCP struct {
	*control
	target string
	ln     net.Listener

	mu     sync.Mutex
	pairs  map[*tcpPair]struct{}
	closed bool
	wg     sync.WaitGroup
}

// tcpPair is one relayed connection.
type tcpPair struct {
	client, server *net.TCPConn
	once           sync.Once
}

// reset closes both sides at once with a reset rather than a FIN.
func (p *tcpPair) reset() {
	p.once.Do(func() {
		for _, c := range []*net.TCPConn{p.client, p.server} {
			_ = c.SetLinger(0)
			_ = c.Close()
		}
	})
}

// ListenTCP relays to target from a free port on 127.0.0.1.
func ListenTCP(target string) (*TCP, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("faultnet: tcp listen: %w", err)
	}
	r := &TCP{control: newControl(), target: target, ln: ln, pairs: map[*tcpPair]struct{}{}}
	r.wg.Add(1)
	go r.accept()
	return r, nil
}

// Addr is where programs connect instead of the target.
func (r *TCP) Addr() *net.TCPAddr { return r.ln.Addr().(*net.TCPAddr) }

// SetMode changes what the relay does; Cut resets every open connection.
func (r *TCP) SetMode(m Mode) {
	_, d, _ := r.state()
	r.set(m, d)
	if m == Cut {
		r.resetAll()
	}
}

// SetDelay delays every read by d from now on.
func (r *TCP) SetDelay(d time.Duration) {
	m, _, _ := r.state()
	r.set(m, d)
}

// Mode returns the current mode.
func (r *TCP) Mode() Mode {
	m, _, _ := r.state()
	return m
}

// Stats counts the reads forwarded and dropped (a read dropped is a read
// held back while the relay is in Drop mode).
func (r *TCP) Stats() Stats { return r.stats() }

// Conns is the number of relayed connections open now.
func (r *TCP) Conns() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.pairs)
}

// Close stops accepting, resets every connection and waits for the relay.
func (r *TCP) Close() error {
	r.mu.Lock()
	r.closed = true
	r.mu.Unlock()
	err := r.ln.Close()
	r.set(Cut, 0) // wakes the copies waiting out a Drop
	r.resetAll()
	r.wg.Wait()
	return err
}

func (r *TCP) resetAll() {
	r.mu.Lock()
	pairs := make([]*tcpPair, 0, len(r.pairs))
	for p := range r.pairs {
		pairs = append(pairs, p)
	}
	r.mu.Unlock()
	for _, p := range pairs {
		p.reset()
	}
}

func (r *TCP) accept() {
	defer r.wg.Done()
	for {
		c, err := r.ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue
		}
		if m, _, _ := r.state(); m == Cut {
			refuse(c.(*net.TCPConn))
			continue
		}
		r.wg.Add(1)
		go r.relay(c.(*net.TCPConn))
	}
}

// refuse resets a connection at once, like a closed port.
func refuse(c *net.TCPConn) {
	_ = c.SetLinger(0)
	_ = c.Close()
}

// relay connects to the target and copies both ways until either side
// closes or the relay cuts.
func (r *TCP) relay(client *net.TCPConn) {
	defer r.wg.Done()
	sc, err := net.DialTimeout("tcp", r.target, 5*time.Second)
	if err != nil {
		refuse(client)
		return
	}
	p := &tcpPair{client: client, server: sc.(*net.TCPConn)}
	if !r.track(p) {
		p.reset()
		return
	}
	defer r.untrack(p)
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); r.copy(ToServer, p.server, p.client); p.reset() }()
	go func() { defer wg.Done(); r.copy(ToClient, p.client, p.server); p.reset() }()
	wg.Wait()
}

func (r *TCP) track(p *tcpPair) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return false
	}
	r.pairs[p] = struct{}{}
	return true
}

func (r *TCP) untrack(p *tcpPair) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.pairs, p)
}

// copy forwards reads from src to dst under the relay's mode: held while
// dropping, ended by a cut.
func (r *TCP) copy(dir Direction, dst io.Writer, src io.Reader) {
	buf := make([]byte, 32*1024)
	for {
		n, err := src.Read(buf)
		if n > 0 && !r.pass(dir, buf[:n], dst) {
			return
		}
		if err != nil {
			return
		}
	}
}

// pass waits out a Drop, applies the delay and writes b; false when the
// connection must end.
func (r *TCP) pass(dir Direction, b []byte, dst io.Writer) bool {
	for {
		mode, delay, changed := r.state()
		switch mode {
		case Cut:
			r.count(dir, false)
			return false
		case Drop:
			r.count(dir, false)
			<-changed
			continue
		}
		if delay > 0 {
			time.Sleep(delay)
		}
		r.count(dir, true)
		_, err := dst.Write(b)
		return err == nil
	}
}
