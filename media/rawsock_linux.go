package media

import (
	"io"
	"net"
	"syscall"
	"unsafe"
)

// rawStream reads and writes a stream socket (the sound server's) with raw
// system calls. The socket is non-blocking, so they never block; skipping
// the runtime's system call bookkeeping spares a wake-up of its monitor
// thread at every message, which in a call costs more CPU than the work
// itself (scripts/bench-call, docs/PERFORMANCE.md). Waiting still goes
// through the network poller.
type rawStream struct {
	net.Conn
	rc syscall.RawConn
}

// newRawStream wraps c, or returns it as is when it has no raw access.
func newRawStream(c net.Conn) io.ReadWriter {
	sc, ok := c.(syscall.Conn)
	if !ok {
		return c
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return c
	}
	return &rawStream{Conn: c, rc: rc}
}

// Read reads what the socket holds, waiting until it holds something.
func (s *rawStream) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	var n uintptr
	var errno syscall.Errno
	err := s.rc.Read(func(fd uintptr) bool {
		for {
			n, _, errno = syscall.RawSyscall(syscall.SYS_READ, fd, uintptr(unsafe.Pointer(&p[0])), uintptr(len(p)))
			if errno != syscall.EINTR {
				return errno != syscall.EAGAIN
			}
		}
	})
	switch {
	case err != nil:
		return 0, err
	case errno != 0:
		return 0, errno
	case n == 0:
		return 0, io.EOF
	}
	return int(n), nil
}

// Write writes all of p, waiting for room when the socket is full.
func (s *rawStream) Write(p []byte) (int, error) {
	written := 0
	var errno syscall.Errno
	err := s.rc.Write(func(fd uintptr) bool {
		for written < len(p) {
			var n uintptr
			n, _, errno = syscall.RawSyscall(syscall.SYS_WRITE, fd, uintptr(unsafe.Pointer(&p[written])), uintptr(len(p)-written))
			switch errno {
			case 0:
				written += int(n)
			case syscall.EINTR:
			case syscall.EAGAIN:
				errno = 0
				return false
			default:
				return true
			}
		}
		return true
	})
	if err == nil && errno != 0 {
		err = errno
	}
	return written, err
}

// udpIO is what a session does with its sockets.
type udpIO interface {
	ReadFromUDP(b []byte) (int, *net.UDPAddr, error)
	WriteToUDP(b []byte, addr *net.UDPAddr) (int, error)
}

// rawUDP is a UDP socket read and written with raw system calls, for the
// reason rawStream gives: at 50 packets a second each way, the runtime's
// system call bookkeeping costs more than the packets.
type rawUDP struct {
	*net.UDPConn
	rc  syscall.RawConn
	ip6 bool // an AF_INET6 socket: IPv4 peers are written v4-mapped
}

// newRawUDP wraps c, or returns it as is when it has no raw access.
func newRawUDP(c *net.UDPConn) udpIO {
	rc, err := c.SyscallConn()
	if err != nil {
		return c
	}
	var family int
	ctrl := rc.Control(func(fd uintptr) {
		if sa, err := syscall.Getsockname(int(fd)); err == nil {
			if _, ok := sa.(*syscall.SockaddrInet6); ok {
				family = syscall.AF_INET6
			} else {
				family = syscall.AF_INET
			}
		}
	})
	if ctrl != nil || family == 0 {
		return c
	}
	return &rawUDP{UDPConn: c, rc: rc, ip6: family == syscall.AF_INET6}
}

// ReadFromUDP reads one datagram, waiting until one arrives.
func (u *rawUDP) ReadFromUDP(b []byte) (int, *net.UDPAddr, error) {
	if len(b) == 0 {
		return 0, nil, syscall.EINVAL
	}
	var from syscall.RawSockaddrAny
	var n uintptr
	var errno syscall.Errno
	err := u.rc.Read(func(fd uintptr) bool {
		for {
			size := uint32(syscall.SizeofSockaddrAny)
			n, _, errno = syscall.RawSyscall6(syscall.SYS_RECVFROM, fd, uintptr(unsafe.Pointer(&b[0])), uintptr(len(b)), 0,
				uintptr(unsafe.Pointer(&from)), uintptr(unsafe.Pointer(&size)))
			if errno != syscall.EINTR {
				return errno != syscall.EAGAIN
			}
		}
	})
	if err != nil {
		return 0, nil, err
	}
	if errno != 0 {
		return 0, nil, &net.OpError{Op: "read", Net: "udp", Err: errno}
	}
	return int(n), udpAddrOf(&from), nil
}

// udpAddrOf converts a kernel socket address.
func udpAddrOf(sa *syscall.RawSockaddrAny) *net.UDPAddr {
	switch sa.Addr.Family {
	case syscall.AF_INET:
		a := (*syscall.RawSockaddrInet4)(unsafe.Pointer(sa))
		return &net.UDPAddr{IP: net.IPv4(a.Addr[0], a.Addr[1], a.Addr[2], a.Addr[3]), Port: int(ntohs(a.Port))}
	case syscall.AF_INET6:
		a := (*syscall.RawSockaddrInet6)(unsafe.Pointer(sa))
		ip := make(net.IP, net.IPv6len)
		copy(ip, a.Addr[:])
		return &net.UDPAddr{IP: ip, Port: int(ntohs(a.Port))}
	}
	return &net.UDPAddr{}
}

// ntohs swaps a port between network and host order (both ways).
func ntohs(p uint16) uint16 { return p>>8 | p<<8 }

// WriteToUDP sends one datagram to addr.
func (u *rawUDP) WriteToUDP(b []byte, addr *net.UDPAddr) (int, error) {
	if addr == nil {
		return 0, &net.OpError{Op: "write", Net: "udp", Err: syscall.EDESTADDRREQ}
	}
	var sa4 syscall.RawSockaddrInet4
	var sa6 syscall.RawSockaddrInet6
	ptr, size := unsafe.Pointer(&sa4), uintptr(syscall.SizeofSockaddrInet4)
	switch ip4 := addr.IP.To4(); {
	case !u.ip6 && ip4 != nil:
		sa4 = syscall.RawSockaddrInet4{Family: syscall.AF_INET, Port: ntohs(uint16(addr.Port))}
		copy(sa4.Addr[:], ip4)
	case u.ip6 && len(addr.IP.To16()) == net.IPv6len:
		sa6 = syscall.RawSockaddrInet6{Family: syscall.AF_INET6, Port: ntohs(uint16(addr.Port))}
		copy(sa6.Addr[:], addr.IP.To16())
		ptr, size = unsafe.Pointer(&sa6), syscall.SizeofSockaddrInet6
	default:
		return u.UDPConn.WriteToUDP(b, addr) // a family the socket cannot reach: let net say so
	}
	var p unsafe.Pointer
	if len(b) > 0 {
		p = unsafe.Pointer(&b[0])
	}
	var errno syscall.Errno
	err := u.rc.Write(func(fd uintptr) bool {
		for {
			_, _, errno = syscall.RawSyscall6(syscall.SYS_SENDTO, fd, uintptr(p), uintptr(len(b)), 0, uintptr(ptr), size)
			if errno != syscall.EINTR {
				return errno != syscall.EAGAIN
			}
		}
	})
	if err != nil {
		return 0, err
	}
	if errno != 0 {
		return 0, &net.OpError{Op: "write", Net: "udp", Addr: addr, Err: errno}
	}
	return len(b), nil
}
