package softphone

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/emiago/sipgo/sip"

	"github.com/ligne-app/ligne/media"
)

// prepareMedia binds the call's RTP session and describes our side.
func (c *Call) prepareMedia() error {
	ip := c.p.opts.MediaIP
	if ip == "" {
		ip = c.p.tp.currentContact().Host
	}
	sess, err := media.NewSession(media.SessionConfig{LocalIP: ip, PortMin: c.p.opts.RTPPortMin,
		PortMax: c.p.opts.RTPPortMax, Logger: c.p.log.With("call_id", c.id), Now: c.p.now,
		MediaTimeout: c.p.opts.MediaTimeout})
	if err != nil {
		return fmt.Errorf("media for %s: %w", c.id, err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sess = sess
	c.local = localMedia{ip: ip, port: sess.LocalAddr().Port, codecs: media.SupportedCodecs(),
		dtmfPT: media.DefaultTelephoneEventPT, dir: SendRecv, sessID: rand.Uint64N(1 << 62), version: 1,
		srtp: srtpModeOf(c.p.acct), key: newSRTPKey()}
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
	params := n.params()
	crypto, err := c.packetCrypto(n.keys)
	if err != nil {
		return fmt.Errorf("media for %s: %w", c.id, err)
	}
	if crypto != nil {
		params.Crypto = crypto
	}
	if err := sess.Configure(params); err != nil {
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

// packetCrypto returns the SRTP contexts of a negotiation: the current
// ones when the keys did not change (a re-INVITE keeps the packet
// counters), new ones otherwise, nil for plain RTP.
func (c *Call) packetCrypto(keys *srtpKeys) (*srtpCrypto, error) {
	if keys == nil {
		return nil, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.srtp != nil && c.srtp.keys.same(keys) {
		return c.srtp, nil
	}
	sc, err := newSRTPCrypto(*keys)
	if err != nil {
		return nil, err
	}
	c.srtp = sc
	return sc, nil
}

// Secure reports whether the call's audio is encrypted (SRTP).
func (c *Call) Secure() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.neg.keys != nil
}

// pumpMedia turns media events into call events until the session closes.
func (c *Call) pumpMedia(sess *media.Session) {
	for ev := range sess.Events() {
		switch e := ev.(type) {
		case media.DTMFEvent:
			via := "rfc4733"
			if e.InBand {
				via = "inband"
			}
			c.p.emit(DTMFEvent{CallEvent: c.callEvent(), Digit: string(e.Digit), Via: via})
		case media.TimeoutEvent:
			c.p.log.Warn("media timeout, hanging up", "call_id", c.id, "reason", e.Reason)
			c.p.spawn(func() { c.endNoMedia(e) })
		}
	}
}

// endNoMedia ends a call whose peer sent no audio for the media timeout:
// the call ends for the user at once (the peer or the network is gone,
// a BYE could wait 32 s for an answer), then the BYE goes out.
func (c *Call) endNoMedia(e media.TimeoutEvent) {
	d := c.dialog()
	c.finish(EndNoMedia, 0, fmt.Sprintf("no audio from the other side for %d s: the other side or the network is gone",
		int(e.After.Round(time.Second).Seconds())))
	if d == nil {
		return
	}
	ctx, cancel := context.WithTimeout(c.p.ctx, 5*time.Second)
	defer cancel()
	_, _ = c.p.do(ctx, d.request(sip.BYE))
}

// isSDP reports an SDP body.
func isSDP(ct string, body []byte) bool {
	return len(body) > 0 && (ct == "" || strings.HasPrefix(strings.ToLower(ct), "application/sdp"))
}
