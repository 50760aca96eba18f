package media

import (
	"bytes"
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// echoPath is a synthetic room: a bulk delay (sound card and air) then an
// exponentially decaying random response, scaled to a given gain.
func echoPath(rate int, delay, tail time.Duration, gain float64, seed uint64) []float64 {
	rng := rand.New(rand.NewPCG(seed, 3))
	d := int(delay.Seconds() * float64(rate))
	n := int(tail.Seconds() * float64(rate))
	h := make([]float64, d+n)
	var norm float64
	for i := range n {
		v := rng.NormFloat64() * math.Exp(-6*float64(i)/float64(n))
		h[d+i] = v
		norm += v * v
	}
	for i := range h {
		h[i] *= gain / math.Sqrt(norm)
	}
	return h
}

func convolve(x []int16, h []float64) []int16 {
	first := 0
	for first < len(h) && h[first] == 0 {
		first++ // the bulk delay
	}
	xf := floatsOf(x)
	out := make([]int16, len(x))
	for i := range x {
		var acc float64
		for j := first; j < len(h) && j <= i; j++ {
			acc += h[j] * xf[i-j]
		}
		out[i] = clipFloat(acc)
	}
	return out
}

func runCanceller(ec *EchoCanceller, mic, ref []int16) []int16 {
	var out []int16
	for i := 0; i+160 <= len(mic); i += 160 {
		out = ec.Process(out, mic[i:i+160], ref[i:i+160])
	}
	return out
}

// erle is 10 log10(power of the echo / power of what remains), over s.
func erle(echo, residual []int16) float64 {
	return 10 * math.Log10(energy(echo)/max(energy(residual), 1e-9))
}

func loop(s []int16, n int) []int16 {
	out := make([]int16, n)
	for i := range out {
		out[i] = s[i%len(s)]
	}
	return out
}

// TestEchoCancellerERLE measures the echo return loss enhancement on a
// synthetic echo path (40 ms bulk delay, 60 ms decaying room response,
// echo at about -10 dB of the far end), for white noise and for speech, and with an echo 1.6 dB louder
// than the far end (loud speakers),
// over the last 3 s (of 6 s of noise, 10 s of speech); and checks that switching it off passes the
// microphone through.
func TestEchoCancellerERLE(t *testing.T) {
	rate := 8000
	h := echoPath(rate, 40*time.Millisecond, 60*time.Millisecond, 0.3, 1)
	noise := make([]int16, 6*rate)
	rng := rand.New(rand.NewPCG(2, 2))
	for i := range noise {
		noise[i] = int16(rng.NormFloat64() * 3000)
	}
	sp := loop(speech(t, rate), 10*rate)
	loud := echoPath(rate, 40*time.Millisecond, 60*time.Millisecond, 1.2, 5)
	for _, c := range []struct {
		name string
		far  []int16
		h    []float64
		min  float64
	}{{"white noise", noise, h, 25}, {"speech", sp, h, 15}, {"speech, echo louder than the far end", scaled(sp, 0.5), loud, 8}} {
		mic := convolve(c.far, c.h)
		ec := NewEchoCanceller(rate, 200*time.Millisecond)
		out := runCanceller(ec, mic, c.far)
		tail := len(out) - 3*rate
		got := erle(mic[tail:len(out)], out[tail:])
		t.Logf("%s: ERLE %.1f dB over the last 3 s", c.name, got)
		if got < c.min {
			t.Errorf("%s: ERLE %.1f dB, want >= %.0f dB", c.name, got, c.min)
		}
	}
	ec := NewEchoCanceller(rate, 200*time.Millisecond)
	ec.SetEnabled(false)
	mic := convolve(noise[:rate], h)
	if out := runCanceller(ec, mic, noise[:rate]); snrAt(mic, out, 64) < 90 { // one 8 ms block late
		t.Error("a disabled canceller changed the microphone signal")
	}
}

// TestEchoCancellerKeepsNearTalker converges on speech echo, then the local
// user talks over it: the local voice must come through intact and the
// filter must not diverge (the echo is still cancelled afterwards).
func TestEchoCancellerKeepsNearTalker(t *testing.T) {
	rate := 8000
	sp := speech(t, rate)
	far := loop(sp, 16*rate)
	h := echoPath(rate, 40*time.Millisecond, 60*time.Millisecond, 0.3, 4)
	echo := convolve(far, h)
	near := make([]int16, len(far))
	nearVoice := tone(rate, 350, 4*time.Second) // the local talker, 8-12 s
	copy(near[8*rate:], nearVoice)
	mic := make([]int16, len(far))
	for i := range mic {
		mic[i] = clip16(int32(echo[i]) + int32(near[i]))
	}
	ec := NewEchoCanceller(rate, 200*time.Millisecond)
	out := runCanceller(ec, mic, far)
	dt := out[8*rate+800 : 12*rate]
	if share := toneShare(dt, 350, rate); share < 0.8 {
		t.Errorf("during double talk the local voice holds %.2f of the output, want >= 0.8", share)
	}
	after := erle(echo[13*rate:len(out)], out[13*rate:])
	t.Logf("double talk: local voice share %.2f; ERLE after it %.1f dB", toneShare(dt, 350, rate), after)
	if after < 10 {
		t.Errorf("after double talk the ERLE fell to %.1f dB", after)
	}
}

func scaled(s []int16, g float64) []int16 {
	out := make([]int16, len(s))
	for i, v := range s {
		out[i] = clipFloat(float64(v) * g)
	}
	return out
}

// TestEchoStageCancelsOnTheCapturePath wires the stage as a call would:
// the far end is written to a ring (and the loudspeaker), the microphone
// picks up its echo, and what the stage returns is nearly silent.
func TestEchoStageCancelsOnTheCapturePath(t *testing.T) {
	rate := 8000
	far := loop(speech(t, rate), 10*rate)
	mic := convolve(far, echoPath(rate, 30*time.Millisecond, 50*time.Millisecond, 0.3, 9))
	ref := NewRing(2*rate, 0)
	stage := NewEchoStage(NewEchoCanceller(rate, 200*time.Millisecond), bytes.NewReader(SamplesToBytes(nil, mic)), ref)
	var out []int16
	for i := 0; i+160 <= len(far); i += 160 {
		_, _ = ref.Write(SamplesToBytes(nil, far[i:i+160])) // the playback tick
		out = append(out, readN(t, stage, 160)...)          // the capture tick
	}
	got := erle(mic[6*rate:], out[6*rate+64:])
	t.Logf("echo stage: ERLE %.1f dB over the last 4 s", got)
	if got < 15 {
		t.Errorf("echo stage: ERLE %.1f dB, want >= 15", got)
	}
}
