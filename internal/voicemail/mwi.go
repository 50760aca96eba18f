package voicemail

import "fmt"

// MessageSummary renders the RFC 3842 message-summary body of a mailbox
// count for account (e.g. "sip:4021@example.fr"): what a PUBLISH to the
// registrar, or a NOTIFY to a desk phone, carries so that the phone's
// message-waiting lamp and count show the same state as the window.
func MessageSummary(account string, c Count) string {
	waiting := "no"
	if c.New > 0 {
		waiting = "yes"
	}
	return fmt.Sprintf("Messages-Waiting: %s\r\nMessage-Account: %s\r\nVoice-Message: %d/%d (0/0)\r\n",
		waiting, account, c.New, c.Old)
}
