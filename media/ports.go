package media

import (
	"fmt"
	"math/rand/v2"
	"net"
)

// listenPair binds an even RTP port and the RTCP port above it on ip,
// within [portMin, portMax] or anywhere when both are 0.
func listenPair(ip string, portMin, portMax int) (*net.UDPConn, *net.UDPConn, error) {
	addr := net.ParseIP(ip)
	if addr == nil {
		return nil, nil, fmt.Errorf("listen rtp: bad address %q", ip)
	}
	if portMin == 0 && portMax == 0 {
		return listenAnyPair(addr)
	}
	return listenRangePair(addr, portMin, portMax)
}

func listenAnyPair(ip net.IP) (*net.UDPConn, *net.UDPConn, error) {
	for range 200 {
		a, err := net.ListenUDP("udp", &net.UDPAddr{IP: ip})
		if err != nil {
			return nil, nil, fmt.Errorf("listen rtp: %w", err)
		}
		port := a.LocalAddr().(*net.UDPAddr).Port
		if port%2 == 0 && port < 65535 {
			if b, err := net.ListenUDP("udp", &net.UDPAddr{IP: ip, Port: port + 1}); err == nil {
				return a, b, nil
			}
		}
		_ = a.Close()
	}
	return nil, nil, fmt.Errorf("listen rtp: %w", ErrNoPortPair)
}

func listenRangePair(ip net.IP, portMin, portMax int) (*net.UDPConn, *net.UDPConn, error) {
	first := portMin + portMin%2
	pairs := (portMax - first) / 2 // last RTP port leaves room for RTCP
	if pairs <= 0 {
		return nil, nil, fmt.Errorf("listen rtp %d-%d: %w", portMin, portMax, ErrNoPortPair)
	}
	off := rand.IntN(pairs)
	for i := range pairs {
		port := first + 2*((off+i)%pairs)
		a, err := net.ListenUDP("udp", &net.UDPAddr{IP: ip, Port: port})
		if err != nil {
			continue
		}
		if b, err := net.ListenUDP("udp", &net.UDPAddr{IP: ip, Port: port + 1}); err == nil {
			return a, b, nil
		}
		_ = a.Close()
	}
	return nil, nil, fmt.Errorf("listen rtp %d-%d: %w", portMin, portMax, ErrNoPortPair)
}
