// Package instance keeps Ligne to one window per data folder: the first
// process listens on a local socket in the folder; a later one (opened by
// a tel:, sip: or callto: link) hands its link over and exits.
package instance

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// SocketName is the socket file in the data folder.
const SocketName = "ligne.sock"

// ErrRunning means another Ligne already serves this data folder.
var ErrRunning = errors.New("instance: Ligne is already running")

// Server receives links from later launches.
type Server struct {
	ln   net.Listener
	path string
}

// Listen claims the data folder dir. It returns ErrRunning when another
// process answers on the socket; a socket left by a crashed process is
// replaced.
func Listen(dir string) (*Server, error) {
	path := filepath.Join(dir, SocketName)
	if c, err := net.DialTimeout("unix", path, time.Second); err == nil {
		c.Close()
		return nil, ErrRunning
	}
	os.Remove(path)
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, fmt.Errorf("instance: listen on %s: %w", path, err)
	}
	return &Server{ln: ln, path: path}, nil
}

// Serve calls handle with each link sent by a later launch, until Close.
func (s *Server) Serve(handle func(link string)) {
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		go func() {
			defer c.Close()
			c.SetReadDeadline(time.Now().Add(5 * time.Second))
			line, err := bufio.NewReader(c).ReadString('\n')
			if err == nil || line != "" {
				handle(strings.TrimSpace(line))
				fmt.Fprintln(c, "ok")
			}
		}()
	}
}

// Close stops listening and removes the socket.
func (s *Server) Close() error {
	err := s.ln.Close()
	os.Remove(s.path)
	return err
}

// Send hands link to the Ligne serving dir and waits for its receipt.
func Send(dir, link string) error {
	c, err := net.DialTimeout("unix", filepath.Join(dir, SocketName), 2*time.Second)
	if err != nil {
		return fmt.Errorf("instance: reach the running Ligne: %w", err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := fmt.Fprintln(c, link); err != nil {
		return fmt.Errorf("instance: send %s: %w", link, err)
	}
	if reply, err := bufio.NewReader(c).ReadString('\n'); err != nil || strings.TrimSpace(reply) != "ok" {
		return fmt.Errorf("instance: the running Ligne did not confirm %s: %v", link, err)
	}
	return nil
}
