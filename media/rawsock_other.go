//go:build !linux

package media

import (
	"io"
	"net"
	"time"
)

// newRawStream returns c: the raw system call path is Linux only.
func newRawStream(c net.Conn) io.ReadWriter { return c }

// udpIO is what a session does with its sockets.
type udpIO interface {
	ReadFromUDP(b []byte) (int, *net.UDPAddr, error)
	WriteToUDP(b []byte, addr *net.UDPAddr) (int, error)
	LocalAddr() net.Addr
	Close() error
}

// newRawUDP returns c: the raw system call path is Linux only.
func newRawUDP(c *net.UDPConn) udpIO { return c }

// packetDrainer is a socket whose queued datagrams are read without
// waiting (Linux only).
type packetDrainer interface {
	Drain(buf []byte, f func(n int, from *net.UDPAddr, at time.Time)) error
}

// newRTPSocket returns c, read by a goroutine: the tick socket is Linux
// only.
func newRTPSocket(c *net.UDPConn) (udpIO, packetDrainer) { return c, nil }
