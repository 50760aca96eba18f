// Package media carries the sound of a call: RTP and RTCP sessions, codecs
// (PCMU, PCMA, G.722, RFC 4733 telephone events), an adaptive jitter buffer
// with loss concealment and comfort noise, tones, WAV and MP3 files,
// resampling, mixing, level metering, echo cancellation and audio devices.
//
// Every stage carries signed 16-bit little-endian mono PCM ("s16le") through
// io.Reader and io.Writer at an explicit sample rate, so that a device, a
// file, a tone or an RTP session can be chained the same way by the window,
// the headless program and the voicemail. The contract with the SIP engine is
// written in docs/design/media-session-api.md; the design is in docs/media.md.
package media
