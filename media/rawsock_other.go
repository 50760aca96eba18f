//go:build !linux

package media

import (
	"io"
	"net"
)

// newRawStream returns c: the raw system call path is Linux only.
func newRawStream(c net.Conn) io.ReadWriter { return c }

// newRawUDP returns c: the raw system call path is Linux only.
func newRawUDP(c *net.UDPConn) udpIO { return c }

// newRTPSocket returns c, read by a goroutine: the tick socket is Linux
// only.
func newRTPSocket(c *net.UDPConn) (udpIO, packetDrainer) { return c, nil }
