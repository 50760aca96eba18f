package provision

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"time"

	"github.com/emiago/sipgo"
	"github.com/emiago/sipgo/sip"

	"github.com/ligne-app/ligne/selfcare"
)

// CheckSyncEvent asks a phone to fetch its configuration again without
// rebooting (Yealink with sip.notify_reboot_enable = 0, Poly with
// voIpProt.SIP.specialEvent.checkSync.alwaysReboot = 0).
const CheckSyncEvent = "check-sync;reboot=false"

// DefaultSIPPort is where phones listen when no port is known.
const DefaultSIPPort = 5060

// defaultNotifyTimeout bounds the wait for the phone's answer (UDP
// retransmissions included).
const defaultNotifyTimeout = 8 * time.Second

// Notifier sends check-sync NOTIFYs over UDP with sipgo.
type Notifier struct {
	Logger    *slog.Logger
	UserAgent string        // "Ligne"
	Timeout   time.Duration // for the final answer; 8 s when zero
	Now       func() time.Time
}

// CheckSync asks the phone at target (host or host:port) to fetch its
// configuration again. user is the line's SIP user, the request's user
// part. The result is returned in every case; the error is a
// *selfcare.Error when the phone did not answer or refused.
func (n *Notifier) CheckSync(ctx context.Context, target, user string) (selfcare.SyncResult, error) {
	return n.send(ctx, target, user, CheckSyncEvent)
}

func (n *Notifier) send(ctx context.Context, target, user, event string) (selfcare.SyncResult, error) {
	res := selfcare.SyncResult{At: n.now(), Target: withPort(target)}
	host, port, err := splitTarget(res.Target)
	if err != nil || selfcare.ValidateSIPAddress("sip_address", target) != nil {
		return res, selfcare.Errorf(selfcare.CodeHostPortInvalid, "sip_address", target)
	}
	answer, err := n.exchange(ctx, host, port, user, event, "", "")
	if err != nil {
		n.logger().Warn("check-sync not answered", "target", res.Target, "err", err)
		res.Reason = string(selfcare.CodeSyncNoAnswer)
		return res, fmt.Errorf("check-sync %s: %w: %w", res.Target, err, selfcare.Errorf(selfcare.CodeSyncNoAnswer, "", res.Target))
	}
	res.Status, res.Reason = answer.StatusCode, answer.Reason
	n.logger().Info("check-sync answered", "target", res.Target, "status", res.Status, "reason", res.Reason)
	if !res.OK() {
		return res, selfcare.Errorf(selfcare.CodeSyncRefused, "", res.Status, res.Reason)
	}
	return res, nil
}

// exchange sends one NOTIFY (with body of contentType when body is not
// empty) and waits for its final answer.
func (n *Notifier) exchange(ctx context.Context, host string, port int, user, event, contentType, body string) (*sip.Response, error) {
	local := localAddressTowards(net.JoinHostPort(host, strconv.Itoa(port)))
	log := n.logger()
	ua, err := sipgo.NewUA(sipgo.WithUserAgent(n.userAgent()), sipgo.WithUserAgentHostname(local),
		sipgo.WithUserAgentTransportLayerOptions(sip.WithTransportLayerLogger(log)),
		sipgo.WithUserAgentTransactionLayerOptions(sip.WithTransactionLayerLogger(log)))
	if err != nil {
		return nil, fmt.Errorf("sip user agent: %w", err)
	}
	defer ua.Close()
	client, err := sipgo.NewClient(ua, sipgo.WithClientHostname(local), sipgo.WithClientLogger(log))
	if err != nil {
		return nil, fmt.Errorf("sip client: %w", err)
	}
	req := sip.NewRequest(sip.NOTIFY, sip.Uri{Scheme: "sip", User: user, Host: host, Port: port})
	req.AppendHeader(sip.NewHeader("Event", event))
	req.AppendHeader(sip.NewHeader("Subscription-State", "terminated"))
	if body != "" {
		req.AppendHeader(sip.NewHeader("Content-Type", contentType))
		req.SetBody([]byte(body))
	}
	req.SetTransport("UDP")
	ctx, cancel := context.WithTimeout(ctx, n.timeout())
	defer cancel()
	answer, err := client.Do(ctx, req)
	if err == nil && answer == nil {
		err = errors.New("no answer")
	}
	return answer, err
}

// localAddressTowards returns the local IP the system routes to addr from
// (no packet is sent), for Via and From.
func localAddressTowards(addr string) string {
	c, err := net.Dial("udp", addr)
	if err != nil {
		return "127.0.0.1"
	}
	defer c.Close()
	return c.LocalAddr().(*net.UDPAddr).IP.String()
}

// withPort adds the default SIP port to a bare host.
func withPort(target string) string {
	if _, _, err := net.SplitHostPort(target); err == nil {
		return target
	}
	return net.JoinHostPort(target, strconv.Itoa(DefaultSIPPort))
}

func splitTarget(hostport string) (string, int, error) {
	host, p, err := net.SplitHostPort(hostport)
	if err != nil || host == "" {
		return "", 0, fmt.Errorf("check-sync target %q: %w", hostport, err)
	}
	port, err := strconv.Atoi(p)
	if err != nil || port < 1 || port > 65535 {
		return "", 0, fmt.Errorf("check-sync target %q: bad port", hostport)
	}
	return host, port, nil
}

func (n *Notifier) logger() *slog.Logger {
	if n.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return n.Logger
}

func (n *Notifier) userAgent() string {
	if n.UserAgent == "" {
		return "Ligne"
	}
	return n.UserAgent
}

func (n *Notifier) timeout() time.Duration {
	if n.Timeout <= 0 {
		return defaultNotifyTimeout
	}
	return n.Timeout
}

func (n *Notifier) now() time.Time {
	if n.Now == nil {
		return time.Now()
	}
	return n.Now()
}
