//go:build !linux

package media

import (
	"io"
	"net"
)

// newRawStream returns c: the raw system call path is Linux only.
func newRawStream(c net.Conn) io.ReadWriter { return c }

// udpIO is what a session does with its sockets.
type udpIO interface {
	ReadFromUDP(b []byte) (int, *net.UDPAddr, error)
	WriteToUDP(b []byte, addr *net.UDPAddr) (int, error)
}

// newRawUDP returns c: the raw system call path is Linux only.
func newRawUDP(c *net.UDPConn) udpIO { return c }
