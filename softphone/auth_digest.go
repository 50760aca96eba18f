package softphone

import (
	"fmt"
	"strings"

	"github.com/emiago/sipgo/sip"
	"github.com/icholy/digest"
)

// algorithmRank orders the digest algorithms we support, strongest first
// (RFC 8760: a UA picks the strongest challenge it understands).
func algorithmRank(alg string) int {
	switch alg {
	case "SHA-512-256":
		return 4
	case "SHA-256":
		return 3
	case "MD5", "":
		return 1
	}
	return 0
}

// authorize answers a 401 (WWW-Authenticate) or 407 (Proxy-Authenticate)
// challenge by adding credentials to req. The strongest supported
// challenge wins; the previous credentials of the same kind are replaced.
func authorize(req *sip.Request, res *sip.Response, user, password string) (stale bool, err error) {
	challengeHdr, credHdr := "WWW-Authenticate", "Authorization"
	if res.StatusCode == sip.StatusProxyAuthRequired {
		challengeHdr, credHdr = "Proxy-Authenticate", "Proxy-Authorization"
	}
	chal, err := strongestChallenge(res.GetHeaders(challengeHdr))
	if err != nil {
		return false, fmt.Errorf("authorize %s: %w", req.Method, err)
	}
	cred, err := digest.Digest(chal, digest.Options{
		Method: req.Method.String(), URI: req.Recipient.Addr(), Username: user, Password: password, Count: 1,
	})
	if err != nil {
		return false, fmt.Errorf("authorize %s: %w", req.Method, err)
	}
	req.RemoveHeader(credHdr)
	req.AppendHeader(sip.NewHeader(credHdr, cred.String()))
	return chal.Stale, nil
}

func strongestChallenge(hdrs []sip.Header) (*digest.Challenge, error) {
	var best *digest.Challenge
	for _, h := range hdrs {
		chal, err := digest.ParseChallenge(h.Value())
		if err != nil {
			continue
		}
		chal.Algorithm = strings.ToUpper(chal.Algorithm)
		if !digest.CanDigest(chal) {
			continue
		}
		if best == nil || algorithmRank(chal.Algorithm) > algorithmRank(best.Algorithm) {
			best = chal
		}
	}
	if best == nil {
		return nil, fmt.Errorf("%w: no usable digest challenge", ErrMalformed)
	}
	return best, nil
}

// isChallenge reports a 401/407 answer.
func isChallenge(res *sip.Response) bool {
	return res.StatusCode == sip.StatusUnauthorized || res.StatusCode == sip.StatusProxyAuthRequired
}
