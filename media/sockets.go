package media

import (
	"net"
	"time"
)

// udpIO is what a session does with its sockets (rawsock_*.go give the
// implementations).
type udpIO interface {
	ReadFromUDP(b []byte) (int, *net.UDPAddr, error)
	WriteToUDP(b []byte, addr *net.UDPAddr) (int, error)
	LocalAddr() net.Addr
	Close() error
}

// packetDrainer is a socket whose queued datagrams are read without
// waiting, each with the time the kernel received it.
type packetDrainer interface {
	// Drain calls f for every datagram queued (its length in buf, its
	// sender, its arrival) and returns when none is left; net.ErrClosed
	// once the socket is closed.
	Drain(buf []byte, f func(n int, from *net.UDPAddr, at time.Time)) error
}
