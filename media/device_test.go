package media

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

// fakeBackend is a sound system whose devices the test plugs and unplugs.
// It is a fake (named so): the real one is tested on miniaudio's null
// device in device_malgo_test.go.
type fakeBackend struct {
	mu      sync.Mutex
	devices []DeviceInfo
	broken  map[string]bool // devices that fail to open
	streams []*fakeStream
}

type fakeStream struct {
	kind    DeviceKind
	id      string
	cb      StreamCallback
	stopped chan struct{}
	once    sync.Once
	closed  bool
}

func (s *fakeStream) Stopped() <-chan struct{} { return s.stopped }
func (s *fakeStream) stop()                    { s.once.Do(func() { close(s.stopped) }) }
func (s *fakeStream) Close() error             { s.closed = true; s.stop(); return nil }

func (b *fakeBackend) Devices(DeviceKind) ([]DeviceInfo, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]DeviceInfo(nil), b.devices...), nil
}

func (b *fakeBackend) Open(kind DeviceKind, id string, _ int, cb StreamCallback) (Stream, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.broken[id] {
		return nil, errors.New("device busy")
	}
	s := &fakeStream{kind: kind, id: id, cb: cb, stopped: make(chan struct{})}
	b.streams = append(b.streams, s)
	return s, nil
}

func (b *fakeBackend) unplug(id string) *fakeStream {
	b.mu.Lock()
	defer b.mu.Unlock()
	var kept []DeviceInfo
	for _, d := range b.devices {
		if d.ID != id {
			kept = append(kept, d)
		}
	}
	b.devices = kept
	for _, s := range b.streams {
		if s.id == id && !s.closed {
			return s
		}
	}
	return nil
}

func (b *fakeBackend) plug(d DeviceInfo) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.devices = append(b.devices, d)
}

// pull runs one device period on the newest open stream, as the device
// thread would, and returns what it played.
func (b *fakeBackend) pull(n int) []int16 {
	b.mu.Lock()
	s := b.streams[len(b.streams)-1]
	b.mu.Unlock()
	out := make([]byte, 2*n)
	s.cb(out, nil)
	return BytesToSamples(nil, out)
}

var headset = DeviceInfo{ID: "usb-headset", Name: "USB Headset"}

func newFakeBackend() *fakeBackend {
	return &fakeBackend{devices: []DeviceInfo{{ID: "builtin", Name: "Built-in Audio", Default: true}, headset}, broken: map[string]bool{}}
}

// TestEndpointFallsBackAndTakesPreferredBack unplugs the preferred headset
// in the middle of a call and plugs it back: the sound moves to the system
// default and back, and the call's audio keeps flowing through the same ring.
func TestEndpointFallsBackAndTakesPreferredBack(t *testing.T) {
	b := newFakeBackend()
	ring := NewRing(48000, 0)
	e := OpenEndpoint(context.Background(), b, EndpointConfig{Kind: Playback, Preferred: headset, Poll: time.Hour})
	defer e.Close()
	e.SetSource(ring)
	if d, ok := e.Current(); !ok || d.ID != headset.ID {
		t.Fatalf("opened %+v, want the headset", d)
	}
	talk := func(where string) {
		_, _ = ring.Write(SamplesToBytes(nil, tone(48000, 1000, 20*time.Millisecond)))
		if share := toneShare(b.pull(960), 1000, 48000); share < 0.99 {
			t.Errorf("%s: the call's audio does not reach the device (share %.2f)", where, share)
		}
	}
	talk("headset")
	b.unplug(headset.ID)
	e.Reconcile() // the poll tick
	if d, ok := e.Current(); !ok || d.ID != "" {
		t.Fatalf("after unplugging: %+v, want the system default", d)
	}
	talk("fallback")
	b.plug(headset)
	e.Reconcile()
	if d, _ := e.Current(); d.ID != headset.ID {
		t.Fatalf("after plugging back: %+v, want the headset", d)
	}
	talk("headset again")
}

// TestEndpointReactsToDeviceStop: the device stops on its own (miniaudio's
// stop callback) while polling is far away: the endpoint must move at once.
func TestEndpointReactsToDeviceStop(t *testing.T) {
	b := newFakeBackend()
	e := OpenEndpoint(context.Background(), b, EndpointConfig{Kind: Capture, Preferred: headset, Poll: time.Hour})
	defer e.Close()
	s := b.unplug(headset.ID)
	s.stop()
	waitFor(t, "the endpoint to leave the stopped headset", 10*time.Second, func() bool {
		d, ok := e.Current()
		return ok && d.ID == ""
	})
}

// TestEndpointWithoutSoundCard: nothing opens; the endpoint reports it,
// stays usable, and opens the device that appears later.
func TestEndpointWithoutSoundCard(t *testing.T) {
	b := &fakeBackend{broken: map[string]bool{"": true, "usb-headset": true}}
	e := OpenEndpoint(context.Background(), b, EndpointConfig{Kind: Playback, Preferred: headset, Poll: time.Hour})
	defer e.Close()
	if _, ok := e.Current(); ok || !errors.Is(e.Status(), ErrNoDevice) {
		t.Fatalf("no device: current ok=%v status %v", ok, e.Status())
	}
	e.SetSource(NewRing(100, 0)) // still usable
	b.mu.Lock()
	b.broken = map[string]bool{}
	b.mu.Unlock()
	b.plug(headset)
	e.Reconcile()
	if d, ok := e.Current(); !ok || d.ID != headset.ID || e.Status() != nil {
		t.Errorf("after the headset appeared: %+v ok=%v status %v", d, ok, e.Status())
	}
}

func TestPickDeviceMatchesRenumberedDeviceByName(t *testing.T) {
	list := []DeviceInfo{{ID: "hw:2,0", Name: "USB Headset"}}
	if d := pickDevice(list, headset); d.ID != "hw:2,0" {
		t.Errorf("picked %+v, want the headset under its new ID", d)
	}
	if d := pickDevice(list, DeviceInfo{}); d.ID != "" {
		t.Errorf("no preference picked %+v, want the system default", d)
	}
}

// stream returns the newest open stream of a kind.
func (b *fakeBackend) stream(kind DeviceKind) *fakeStream {
	b.mu.Lock()
	defer b.mu.Unlock()
	for i := len(b.streams) - 1; i >= 0; i-- {
		if s := b.streams[i]; s.kind == kind && !s.closed {
			return s
		}
	}
	return nil
}
