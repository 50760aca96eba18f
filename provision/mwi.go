package provision

import (
	"context"
	"errors"
	"fmt"

	"github.com/ligne-app/ligne/selfcare"
)

// MessageSummaryEvent is the RFC 3842 event of the message-waiting lamp.
const MessageSummaryEvent = "message-summary"

// MessageWaiting sends the phone at target (host or host:port) an
// unsolicited NOTIFY message-summary (RFC 3842) carrying body, so that its
// lamp and count show Ligne's own voicemail. user is the line's SIP user.
func (n *Notifier) MessageWaiting(ctx context.Context, target, user, body string) error {
	target = withPort(target)
	host, port, err := splitTarget(target)
	if err != nil {
		return selfcare.Errorf(selfcare.CodeHostPortInvalid, "sip_address", target)
	}
	answer, err := n.exchange(ctx, host, port, user, MessageSummaryEvent, "application/simple-message-summary", body)
	if err != nil {
		return fmt.Errorf("message waiting %s: %w: %w", target, err, selfcare.Errorf(selfcare.CodeSyncNoAnswer, "", target))
	}
	if answer.StatusCode < 200 || answer.StatusCode > 299 {
		return fmt.Errorf("message waiting %s: %w", target, selfcare.Errorf(selfcare.CodeSyncRefused, "", answer.StatusCode, answer.Reason))
	}
	return nil
}

// MessageWaiting shows Ligne's own voicemail count of line on every desk
// phone of that line whose address is known (typed in, or the one it last
// fetched its files from): the window's badge and the phones' lamps come
// from the same state. Phones without an address are skipped; the
// failures of the others are returned together.
func (s *Service) MessageWaiting(ctx context.Context, line selfcare.LineKind, newCount, oldCount int) error {
	devices, err := s.opt.Store.Devices(ctx)
	if err != nil {
		return fmt.Errorf("message waiting: %w", err)
	}
	acct, err := s.opt.Store.Account(ctx)
	if err != nil {
		return fmt.Errorf("message waiting: %w", err)
	}
	body := selfcare.MessageSummary("sip:"+acct.User+"@"+acct.Domain, newCount, oldCount)
	var errs []error
	for _, d := range devices {
		if d.Line != line {
			continue
		}
		st, err := s.opt.Store.SyncState(ctx, d.ID)
		if err != nil || st.Address == "" {
			continue
		}
		if err := s.opt.Notifier.MessageWaiting(ctx, st.Address, acct.User, body); err != nil {
			s.opt.Logger.Warn("message waiting not shown", "mac", d.MAC, "err", err)
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
