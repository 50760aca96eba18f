// Package voicemail is Ligne's own answering machine ("messagerie vocale"):
// it answers the calls the forwarding rules send to voicemail, plays the
// greeting in use and a beep, records the caller to a WAV file in the data
// folder and stores the message; it serves the voice menu reached from the
// voicemail access number (PIN, new messages, 1 replays, 7 deletes, 9 saves,
// # next); it imports and normalizes greetings; it runs the transcription
// command in the background; and it sends the email copies and the email
// and SMS notifications through an outbox that keeps a failed send for a
// later attempt.
//
// Machine is the part the engine wires to the phone (Deposit, Menu and the
// background workers). Mailbox is the part the window and lignectl use
// (messages, greetings, settings) without a running phone.
package voicemail
