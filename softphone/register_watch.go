package softphone

import (
	"context"
	"net"
	"time"
)

// sleepThreshold is how far the wall clock may run ahead of the monotonic
// clock before we assume the machine slept.
const sleepThreshold = 10 * time.Second

// clockWatch detects sleeps: the monotonic clock stops while the machine
// sleeps, the wall clock does not.
type clockWatch struct {
	now       func() time.Time
	monoStart time.Time
	wallStart time.Time
}

func newClockWatch(now func() time.Time) *clockWatch {
	return &clockWatch{now: now, monoStart: time.Now(), wallStart: now().Round(0)}
}

// jumped reports a wall-clock jump beyond the monotonic time elapsed since
// the last call, and restarts the measure.
func (c *clockWatch) jumped() (time.Duration, bool) {
	wall := c.now().Round(0)
	mono := time.Now()
	drift := wall.Sub(c.wallStart) - mono.Sub(c.monoStart)
	c.wallStart, c.monoStart = wall, mono
	if drift < 0 {
		drift = -drift
	}
	return drift, drift > sleepThreshold
}

// watchNetwork re-registers after a network change (addresses or routes)
// or a sleep, until ctx ends.
func (p *Phone) watchNetwork(ctx context.Context) {
	t := time.NewTicker(p.opts.WatchInterval)
	defer t.Stop()
	clock := newClockWatch(p.now)
	last := p.opts.NetworkState()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if drift, ok := clock.jumped(); ok {
			p.log.Info("clock jumped (sleep?), registering again", "drift", drift)
			p.onNetworkChange("wake from sleep")
		}
		if cur := p.opts.NetworkState(); cur != last {
			last = cur
			p.log.Info("network changed, registering again")
			p.onNetworkChange("network change")
		}
	}
}

// onNetworkChange recomputes the contact and re-registers.
func (p *Phone) onNetworkChange(reason string) {
	if p.tp.udp != nil && p.tp.udp.LocalAddr().(*net.UDPAddr).IP.IsUnspecified() {
		p.tp.setContact(routeIP(p.acct.hopAddr()), p.tp.currentContact().Port)
	}
	if p.reg != nil && !p.acct.NoRegister {
		p.reg.kick(reason)
	}
	p.subs.refreshAll(reason)
}
