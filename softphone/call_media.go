package softphone

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/ligne-app/ligne/media"
)

// prepareMedia binds the call's RTP session and describes our side.
func (c *Call) prepareMedia() error {
	ip := c.p.opts.MediaIP
	if ip == "" {
		ip = c.p.tp.currentContact().Host
	}
	sess, err := media.NewSession(media.SessionConfig{LocalIP: ip, PortMin: c.p.opts.RTPPortMin,
		PortMax: c.p.opts.RTPPortMax, Logger: c.p.log.With("call_id", c.id), Now: c.p.now})
	if err != nil {
		return fmt.Errorf("media for %s: %w", c.id, err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sess = sess
	c.local = localMedia{ip: ip, port: sess.LocalAddr().Port, codecs: media.SupportedCodecs(),
		dtmfPT: media.DefaultTelephoneEventPT, dir: SendRecv, sessID: rand.Uint64N(1 << 62), version: 1}
	return nil
}

// localOffer renders our current offer (direction from our hold state).
func (c *Call) localOffer() ([]byte, localMedia, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.local.version++
	c.local.dir = SendRecv
	if c.localHold {
		c.local.dir = SendOnly
	}
	body, err := c.local.offer()
	return body, c.local, err
}

// answerRemote answers a peer's offer with our hold state.
func (c *Call) answerRemote(offer []byte) ([]byte, negotiated, error) {
	c.mu.Lock()
	c.local.version++
	l, hold := c.local, c.localHold
	c.mu.Unlock()
	return answerOffer(offer, l, hold)
}

// applyMedia configures the session with an offer/answer outcome and
// starts it the first time.
func (c *Call) applyMedia(n negotiated) error {
	c.mu.Lock()
	sess, started := c.sess, c.mediaOn
	c.neg = n
	c.remoteHold = !n.remoteDir.receives()
	c.mediaOn = true
	c.mu.Unlock()
	if sess == nil {
		return fmt.Errorf("media for %s: %w", c.id, ErrCallEnded)
	}
	if err := sess.Configure(n.params()); err != nil {
		return fmt.Errorf("media for %s: %w", c.id, err)
	}
	if started {
		return nil
	}
	if err := sess.Start(c.ctx); err != nil {
		return fmt.Errorf("media for %s: %w", c.id, err)
	}
	c.p.spawn(func() { c.pumpMedia(sess) })
	return nil
}

// pumpMedia turns media events into call events until the session closes.
func (c *Call) pumpMedia(sess *media.Session) {
	for ev := range sess.Events() {
		switch e := ev.(type) {
		case media.DTMFEvent:
			c.p.emit(DTMFEvent{CallEvent: c.callEvent(), Digit: string(e.Digit), Via: "rfc4733"})
		case media.TimeoutEvent:
			c.p.log.Warn("media timeout, hanging up", "call_id", c.id, "reason", e.Reason)
			c.p.spawn(func() { _ = c.bye(c.p.ctx, EndTimeout) })
		}
	}
}

// isSDP reports an SDP body.
func isSDP(ct string, body []byte) bool {
	return len(body) > 0 && (ct == "" || strings.HasPrefix(strings.ToLower(ct), "application/sdp"))
}
