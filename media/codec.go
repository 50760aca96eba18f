package media

import (
	"fmt"
	"strings"
)

// Codec describes an RTP audio payload format as negotiated in SDP.
type Codec struct {
	Name        string // "PCMU", "PCMA", "G722", "telephone-event"
	PayloadType uint8  // static PT, or the negotiated dynamic one
	ClockRate   int    // RTP clock rate as written in SDP (8000 for G722, RFC 3551)
	SampleRate  int    // PCM rate the codec consumes/produces (16000 for G722)
}

// The codecs this package implements, with their static payload types.
// They are values: copy one and change PayloadType for a dynamic mapping.
var (
	// CodecPCMU is G.711 mu-law, static payload type 0.
	CodecPCMU = Codec{Name: "PCMU", PayloadType: 0, ClockRate: 8000, SampleRate: 8000}
	// CodecPCMA is G.711 A-law, static payload type 8.
	CodecPCMA = Codec{Name: "PCMA", PayloadType: 8, ClockRate: 8000, SampleRate: 8000}
	// CodecG722 is G.722 wideband at 64 kbit/s, static payload type 9.
	CodecG722 = Codec{Name: "G722", PayloadType: 9, ClockRate: 8000, SampleRate: 16000}
	// CodecTelephoneEvent is RFC 4733 telephone-event at DefaultTelephoneEventPT.
	CodecTelephoneEvent = Codec{Name: "telephone-event", PayloadType: DefaultTelephoneEventPT, ClockRate: 8000, SampleRate: 8000}
)

// DefaultTelephoneEventPT is the dynamic payload type we offer for RFC 4733 events.
const DefaultTelephoneEventPT = 101

// PayloadTypeCN is the static payload type of RFC 3389 comfort noise.
const PayloadTypeCN = 13

// SupportedCodecs returns the audio codecs in preference order: G722, PCMU, PCMA.
func SupportedCodecs() []Codec {
	return []Codec{CodecG722, CodecPCMU, CodecPCMA}
}

// String returns "NAME/CLOCKRATE (PT n)".
func (c Codec) String() string {
	return fmt.Sprintf("%s/%d (PT %d)", c.Name, c.ClockRate, c.PayloadType)
}

// Is reports whether c and o are the same format, whatever their payload types.
func (c Codec) Is(o Codec) bool {
	return strings.EqualFold(c.Name, o.Name) && c.ClockRate == o.ClockRate
}

// frameTS returns the RTP timestamp units in one 20 ms frame.
func (c Codec) frameTS() int {
	return c.ClockRate / 50
}

// samplesPerTS returns how many PCM samples one RTP timestamp unit holds.
func (c Codec) samplesPerTS() int {
	if c.ClockRate == 0 {
		return 1
	}
	return max(1, c.SampleRate/c.ClockRate)
}

// payloadTS returns the RTP timestamp units covered by a payload of n bytes.
// G.711 carries one sample per byte at 8 kHz; G.722 carries two 16 kHz
// samples per byte with an 8 kHz clock: one unit per byte in both cases.
func (c Codec) payloadTS(n int) int {
	return n
}

// Encoder turns PCM at the codec's sample rate into RTP payload bytes.
type Encoder interface {
	// Encode appends the encoding of pcm to dst and returns the result.
	Encode(dst []byte, pcm []int16) []byte
}

// Decoder turns RTP payload bytes into PCM at the codec's sample rate.
type Decoder interface {
	// Decode appends the samples of payload to dst and returns the result.
	Decode(dst []int16, payload []byte) []int16
}

// NewEncoder returns a fresh encoder for c.
func NewEncoder(c Codec) (Encoder, error) {
	switch strings.ToUpper(c.Name) {
	case "PCMU":
		return ulawCodec{}, nil
	case "PCMA":
		return alawCodec{}, nil
	case "G722":
		return NewG722Encoder(), nil
	}
	return nil, fmt.Errorf("new encoder %s: %w", c.Name, ErrUnknownCodec)
}

// NewDecoder returns a fresh decoder for c.
func NewDecoder(c Codec) (Decoder, error) {
	switch strings.ToUpper(c.Name) {
	case "PCMU":
		return ulawCodec{}, nil
	case "PCMA":
		return alawCodec{}, nil
	case "G722":
		return NewG722Decoder(), nil
	}
	return nil, fmt.Errorf("new decoder %s: %w", c.Name, ErrUnknownCodec)
}
