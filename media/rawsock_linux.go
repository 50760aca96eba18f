package media

import (
	"io"
	"net"
	"sync"
	"syscall"
	"time"
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
	ptr, size, ok := rawSockaddr(addr, u.ip6)
	if !ok {
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

// tickSocket is a session's RTP socket taken out of Go's network poller:
// a datagram arriving wakes nobody (the poller would wake a thread even
// with no goroutine waiting); the session reads what arrived at its 20 ms
// tick, with the kernel's arrival timestamps.
type tickSocket struct {
	mu    sync.RWMutex // fd's lifetime: held for reading while in use
	fd    int          // -1 once closed
	laddr *net.UDPAddr
	ip6   bool
}

// newTickSocket moves c's socket out of the poller (a close-on-exec
// duplicate keeps the port; c is closed) and turns on receive
// timestamps; nil, with c untouched, when it cannot.
func newTickSocket(c *net.UDPConn) *tickSocket {
	rc, err := c.SyscallConn()
	if err != nil {
		return nil
	}
	fd, ip6 := -1, false
	cerr := rc.Control(func(orig uintptr) {
		sa, err := syscall.Getsockname(int(orig))
		if err != nil {
			return
		}
		_, ip6 = sa.(*syscall.SockaddrInet6)
		r, _, errno := syscall.Syscall(syscall.SYS_FCNTL, orig, syscall.F_DUPFD_CLOEXEC, 0)
		if errno == 0 {
			fd = int(r)
		}
	})
	if cerr != nil || fd < 0 {
		return nil
	}
	if syscall.SetNonblock(fd, true) != nil || syscall.SetsockoptInt(fd, syscall.SOL_SOCKET, syscall.SO_TIMESTAMPNS, 1) != nil {
		syscall.Close(fd)
		return nil
	}
	laddr, _ := c.LocalAddr().(*net.UDPAddr)
	_ = c.Close()
	return &tickSocket{fd: fd, laddr: laddr, ip6: ip6}
}

// LocalAddr is the bound address.
func (t *tickSocket) LocalAddr() net.Addr { return t.laddr }

// Close closes the socket once no read or write is using it.
func (t *tickSocket) Close() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.fd < 0 {
		return net.ErrClosed
	}
	err := syscall.Close(t.fd)
	t.fd = -1
	return err
}

// use runs f with the descriptor held open; net.ErrClosed once closed.
func (t *tickSocket) use(f func(fd uintptr) error) error {
	t.mu.RLock()
	defer t.mu.RUnlock()
	if t.fd < 0 {
		return net.ErrClosed
	}
	return f(uintptr(t.fd))
}

// ReadFromUDP is not used: the session drains a tick socket (Drain).
func (t *tickSocket) ReadFromUDP([]byte) (int, *net.UDPAddr, error) {
	return 0, nil, &net.OpError{Op: "read", Net: "udp", Err: syscall.ENOTSUP}
}

// WriteToUDP sends one datagram to addr without waiting.
func (t *tickSocket) WriteToUDP(b []byte, addr *net.UDPAddr) (int, error) {
	sa, size, ok := rawSockaddr(addr, t.ip6)
	if !ok {
		return 0, &net.OpError{Op: "write", Net: "udp", Addr: addr, Err: syscall.EAFNOSUPPORT}
	}
	var p unsafe.Pointer
	if len(b) > 0 {
		p = unsafe.Pointer(&b[0])
	}
	err := t.use(func(fd uintptr) error {
		for {
			_, _, errno := syscall.RawSyscall6(syscall.SYS_SENDTO, fd, uintptr(p), uintptr(len(b)), syscall.MSG_DONTWAIT, uintptr(sa), size)
			switch errno {
			case 0:
				return nil
			case syscall.EINTR:
			default:
				return errno
			}
		}
	})
	if err != nil {
		if err == net.ErrClosed {
			return 0, err
		}
		return 0, &net.OpError{Op: "write", Net: "udp", Addr: addr, Err: err}
	}
	return len(b), nil
}

// rawSockaddr builds the kernel address of addr for a socket of the given
// family (IPv4 peers of an IPv6 socket are v4-mapped).
func rawSockaddr(addr *net.UDPAddr, ip6 bool) (unsafe.Pointer, uintptr, bool) {
	if addr == nil {
		return nil, 0, false
	}
	if ip4 := addr.IP.To4(); !ip6 && ip4 != nil {
		sa := &syscall.RawSockaddrInet4{Family: syscall.AF_INET, Port: ntohs(uint16(addr.Port))}
		copy(sa.Addr[:], ip4)
		return unsafe.Pointer(sa), syscall.SizeofSockaddrInet4, true
	}
	if ip16 := addr.IP.To16(); ip6 && ip16 != nil {
		sa := &syscall.RawSockaddrInet6{Family: syscall.AF_INET6, Port: ntohs(uint16(addr.Port))}
		copy(sa.Addr[:], ip16)
		return unsafe.Pointer(sa), syscall.SizeofSockaddrInet6, true
	}
	return nil, 0, false
}

// Drain reads every queued datagram with recvmsg (raw, non-blocking).
func (t *tickSocket) Drain(buf []byte, f func(n int, from *net.UDPAddr, at time.Time)) error {
	var oob [64]byte
	for {
		var from syscall.RawSockaddrAny
		iov := syscall.Iovec{Base: &buf[0]}
		iov.SetLen(len(buf))
		msg := syscall.Msghdr{Name: (*byte)(unsafe.Pointer(&from)), Namelen: syscall.SizeofSockaddrAny,
			Iov: &iov, Iovlen: 1, Control: &oob[0]}
		msg.SetControllen(len(oob))
		var n uintptr
		err := t.use(func(fd uintptr) error {
			for {
				var errno syscall.Errno
				n, _, errno = syscall.RawSyscall(syscall.SYS_RECVMSG, fd, uintptr(unsafe.Pointer(&msg)), syscall.MSG_DONTWAIT)
				if errno != syscall.EINTR {
					if errno != 0 {
						return errno
					}
					return nil
				}
			}
		})
		switch {
		case err == syscall.EAGAIN:
			return nil
		case err == net.ErrClosed:
			return err
		case err != nil:
			return &net.OpError{Op: "read", Net: "udp", Err: err}
		}
		f(int(n), udpAddrOf(&from), kernelTime(oob[:msg.Controllen]))
	}
}

// kernelTime reads the SO_TIMESTAMPNS of a datagram (now when absent).
func kernelTime(oob []byte) time.Time {
	msgs, err := syscall.ParseSocketControlMessage(oob)
	if err == nil {
		for _, m := range msgs {
			if m.Header.Level == syscall.SOL_SOCKET && m.Header.Type == syscall.SO_TIMESTAMPNS && len(m.Data) >= int(unsafe.Sizeof(syscall.Timespec{})) {
				ts := (*syscall.Timespec)(unsafe.Pointer(&m.Data[0]))
				return time.Unix(ts.Unix())
			}
		}
	}
	return time.Now()
}

// newRTPSocket is the session's RTP socket: a tick socket where possible
// (it is then also the drainer), else c read by a goroutine.
func newRTPSocket(c *net.UDPConn) (udpIO, packetDrainer) {
	if t := newTickSocket(c); t != nil {
		return t, t
	}
	return newRawUDP(c), nil
}
