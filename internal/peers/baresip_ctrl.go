package peers

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"
)

// BaresipEvent is one event baresip reported on its control connection.
type BaresipEvent struct {
	Type      string `json:"type"`
	Class     string `json:"class"`
	AccountOR string `json:"accountaor"`
	Direction string `json:"direction"`
	PeerURI   string `json:"peeruri"`
	ID        string `json:"id"`
	Param     string `json:"param"`
}

type ctrlMessage struct {
	Event    bool   `json:"event"`
	Response bool   `json:"response"`
	OK       bool   `json:"ok"`
	Data     string `json:"data"`
	Token    string `json:"token"`
	BaresipEvent
}

// baresipCtrl speaks ctrl_tcp's netstring JSON protocol.
type baresipCtrl struct {
	conn    net.Conn
	mu      sync.Mutex
	token   int
	waiters map[string]chan ctrlMessage
	events  []BaresipEvent
	cursor  map[string]int
	// forgetAt is where WaitEvent starts looking (ForgetEvents).
	forgetAt int
	changed  chan struct{}
	done     chan struct{}
}

func dialCtrl(addr string) (*baresipCtrl, error) {
	conn, err := net.Dial("tcp4", addr)
	if err != nil {
		return nil, err
	}
	c := &baresipCtrl{conn: conn, waiters: map[string]chan ctrlMessage{}, cursor: map[string]int{},
		changed: make(chan struct{}), done: make(chan struct{})}
	go c.read()
	return c, nil
}

func (c *baresipCtrl) close() {
	c.conn.Close()
	<-c.done
}

func (c *baresipCtrl) read() {
	defer close(c.done)
	r := bufio.NewReader(c.conn)
	for {
		raw, err := readNetstring(r)
		if err != nil {
			return
		}
		var m ctrlMessage
		if json.Unmarshal(raw, &m) == nil {
			c.dispatch(m)
		}
	}
}

func (c *baresipCtrl) dispatch(m ctrlMessage) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if m.Response {
		if w, ok := c.waiters[m.Token]; ok {
			w <- m
			delete(c.waiters, m.Token)
		}
		return
	}
	if m.Event {
		c.events = append(c.events, m.BaresipEvent)
		close(c.changed)
		c.changed = make(chan struct{})
	}
}

func readNetstring(r *bufio.Reader) ([]byte, error) {
	head, err := r.ReadString(':')
	if err != nil {
		return nil, err
	}
	n, err := strconv.Atoi(head[:len(head)-1])
	if err != nil || n < 0 || n > 1<<20 {
		return nil, fmt.Errorf("bad netstring length %q", head)
	}
	buf := make([]byte, n+1)
	if _, err := io.ReadFull(r, buf); err != nil {
		return nil, err
	}
	return buf[:n], nil
}

func (c *baresipCtrl) command(ctx context.Context, cmd, params string) (string, error) {
	c.mu.Lock()
	c.token++
	tok := strconv.Itoa(c.token)
	w := make(chan ctrlMessage, 1)
	c.waiters[tok] = w
	c.mu.Unlock()
	body, _ := json.Marshal(map[string]string{"command": cmd, "params": params, "token": tok})
	if _, err := fmt.Fprintf(c.conn, "%d:%s,", len(body), body); err != nil {
		return "", fmt.Errorf("baresip %s: %w", cmd, err)
	}
	select {
	case m := <-w:
		if !m.OK {
			return m.Data, fmt.Errorf("baresip %s %s: %s", cmd, params, m.Data)
		}
		return m.Data, nil
	case <-ctx.Done():
		return "", fmt.Errorf("baresip %s: %w", cmd, ctx.Err())
	}
}

// Command runs a baresip command (as typed after "/") and returns its text.
func (b *Baresip) Command(ctx context.Context, cmd, params string) (string, error) {
	return b.ctrl.command(ctx, cmd, params)
}

// Dial calls uri.
func (b *Baresip) Dial(ctx context.Context, uri string) error {
	_, err := b.Command(ctx, "dial", uri)
	return err
}

// Accept answers the ringing call.
func (b *Baresip) Accept(ctx context.Context) error {
	_, err := b.Command(ctx, "accept", "")
	return err
}

// Hangup ends the current call.
func (b *Baresip) Hangup(ctx context.Context) error {
	_, err := b.Command(ctx, "hangup", "")
	return err
}

// SendDTMF sends digits on the current call, one command per digit.
func (b *Baresip) SendDTMF(ctx context.Context, digits string) error {
	for _, d := range digits {
		if _, err := b.Command(ctx, "sndcode", string(d)); err != nil {
			return err
		}
	}
	return nil
}

// WaitEvent returns the next event of type typ (e.g. "CALL_ESTABLISHED")
// not yet returned by WaitEvent, waiting for it until ctx ends.
func (b *Baresip) WaitEvent(ctx context.Context, typ string) (BaresipEvent, error) {
	c := b.ctrl
	for {
		c.mu.Lock()
		for i := max(c.cursor[typ], c.forgetAt); i < len(c.events); i++ {
			if c.events[i].Type == typ {
				c.cursor[typ] = i + 1
				ev := c.events[i]
				c.mu.Unlock()
				return ev, nil
			}
		}
		c.cursor[typ] = len(c.events)
		changed := c.changed
		c.mu.Unlock()
		select {
		case <-changed:
		case <-ctx.Done():
			return BaresipEvent{}, fmt.Errorf("baresip %s: waiting for %s: %w", b.opts.User, typ, ctx.Err())
		}
	}
}

// Events returns every event received so far.
func (b *Baresip) Events() []BaresipEvent {
	b.ctrl.mu.Lock()
	defer b.ctrl.mu.Unlock()
	return append([]BaresipEvent(nil), b.ctrl.events...)
}

// WaitRegistered waits until baresip's account is registered (its
// registration may complete before the control connection opens, so the
// status is polled rather than waited for as an event).
func (b *Baresip) WaitRegistered(ctx context.Context) error {
	for {
		out, err := b.Command(ctx, "reginfo", "")
		if err != nil {
			return err
		}
		if strings.Contains(out, "OK") {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("baresip %s not registered: %w (%s)", b.opts.User, ctx.Err(), out)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// ForgetEvents makes WaitEvent ignore every event received so far.
func (b *Baresip) ForgetEvents() {
	c := b.ctrl
	c.mu.Lock()
	defer c.mu.Unlock()
	c.forgetAt = len(c.events)
}

// WaitAllClosed waits until every call seen since ForgetEvents is closed
// (so sndfile has finished its recordings).
func (b *Baresip) WaitAllClosed(ctx context.Context) error {
	c := b.ctrl
	for {
		c.mu.Lock()
		open := map[string]bool{}
		for _, ev := range c.events[c.forgetAt:] {
			switch ev.Type {
			case "CALL_INCOMING", "CALL_RINGING", "CALL_ESTABLISHED", "CALL_PROGRESS":
				open[ev.ID] = true
			case "CALL_CLOSED":
				open[ev.ID] = false
			}
		}
		changed := c.changed
		c.mu.Unlock()
		busy := false
		for _, o := range open {
			busy = busy || o
		}
		if !busy {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return fmt.Errorf("baresip %s: calls still open: %w", b.opts.User, ctx.Err())
		}
	}
}
