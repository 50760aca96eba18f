package media

import (
	"strconv"
	"testing"
	"time"
)

// Per-20 ms-frame costs of the codecs, the jitter buffer, the concealment
// and the resampler. Figures and commands are in docs/PERFORMANCE.md.

func BenchmarkEncodeFrame(b *testing.B) {
	for _, c := range []Codec{CodecPCMU, CodecPCMA, CodecG722} {
		pcm := tone(c.SampleRate, 1000, FrameDuration)
		b.Run(c.Name, func(b *testing.B) {
			enc, _ := NewEncoder(c)
			out := make([]byte, 0, len(pcm))
			for b.Loop() {
				out = enc.Encode(out[:0], pcm)
			}
		})
	}
}

func BenchmarkDecodeFrame(b *testing.B) {
	for _, c := range []Codec{CodecPCMU, CodecPCMA, CodecG722} {
		pcm := tone(c.SampleRate, 1000, FrameDuration)
		enc, _ := NewEncoder(c)
		payload := enc.Encode(nil, pcm)
		b.Run(c.Name, func(b *testing.B) {
			dec, _ := NewDecoder(c)
			out := make([]int16, 0, len(pcm))
			for b.Loop() {
				out = dec.Decode(out[:0], payload)
			}
		})
	}
}

// BenchmarkJitterBufferFrame pushes one packet and pulls one 20 ms frame,
// with 30 ms of jitter, 2 % loss (concealed) and decoding included.
func BenchmarkJitterBufferFrame(b *testing.B) {
	for _, c := range []Codec{CodecPCMU, CodecG722} {
		b.Run(c.Name, func(b *testing.B) {
			pcm := tone(c.SampleRate, 1000, 20*time.Second)
			pkts, _ := wire(pcm, c, netModel{Base: 5 * time.Millisecond, Jitter: 30 * time.Millisecond, Loss: 0.02, Seed: 1})
			var p *playout
			epoch := time.Unix(1_700_000_000, 0)
			n, next := 0, 0
			for b.Loop() {
				if p == nil || next == len(pkts) {
					p, _ = newPlayout(playoutConfig{codec: c, minDelay: 5 * time.Millisecond, maxDelay: 200 * time.Millisecond, conceal: true, seed: 1})
					n, next = 0, 0
				}
				at := epoch.Add(time.Duration(n) * FrameDuration)
				for next < len(pkts) && !pkts[next].arrival.After(at) {
					q := pkts[next]
					p.Push(q.seq, q.ts, q.payload, q.arrival)
					next++
				}
				p.Pull(at)
				n++
			}
		})
	}
}

// BenchmarkConcealFrame synthesizes one lost 20 ms frame (the first of a loss).
func BenchmarkConcealFrame(b *testing.B) {
	for _, rate := range []int{8000, 16000} {
		b.Run(itoa(rate), func(b *testing.B) {
			hist := tone(rate, 220, 100*time.Millisecond)
			out := make([]int16, SamplesPerFrame(rate))
			for b.Loop() {
				c := newConcealer(rate)
				c.good(hist)
				c.conceal(out)
			}
		})
	}
}

func BenchmarkResampleFrame(b *testing.B) {
	for _, r := range [][2]int{{8000, 48000}, {48000, 8000}, {8000, 44100}, {44100, 8000}, {16000, 48000}, {48000, 16000}} {
		b.Run(itoa(r[0])+"to"+itoa(r[1]), func(b *testing.B) {
			rs, _ := NewResampler(r[0], r[1])
			in := tone(r[0], 1000, FrameDuration)
			out := make([]int16, 0, 2*SamplesPerFrame(r[1]))
			for b.Loop() {
				out = rs.Process(out[:0], in)
			}
		})
	}
}

func itoa(n int) string {
	if n%1000 == 0 {
		return strconv.Itoa(n/1000) + "k"
	}
	return strconv.FormatFloat(float64(n)/1000, 'f', 1, 64) + "k"
}

// BenchmarkEchoCancelFrame cancels one 20 ms frame with a 200 ms tail,
// while the far end speaks and while it is silent (the filter then rests).
func BenchmarkEchoCancelFrame(b *testing.B) {
	for _, farLevel := range []float64{1, 0} {
		for _, rate := range []int{8000, 16000} {
			name := itoa(rate) + map[bool]string{true: "/far-speaks", false: "/far-silent"}[farLevel > 0]
			b.Run(name, func(b *testing.B) {
				ec := NewEchoCanceller(rate, 200*time.Millisecond)
				far := tone(rate, 700, time.Second)
				for i := range far {
					far[i] = int16(float64(far[i]) * farLevel)
				}
				mic := tone(rate, 700, time.Second)
				frame := SamplesPerFrame(rate)
				out := make([]int16, 0, frame)
				i := 0
				for b.Loop() {
					out = ec.Process(out[:0], mic[i:i+frame], far[i:i+frame])
					i = (i + frame) % (len(far) - frame)
				}
			})
		}
	}
}
