package peers

import (
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"sort"
)

// WAV is decoded PCM audio, mixed down to mono.
type WAV struct {
	Rate    int
	Samples []float64 // -1..1
}

// ReadWAV reads a 16-bit PCM WAV file (any rate, any channel count).
func ReadWAV(path string) (WAV, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return WAV{}, fmt.Errorf("read wav %s: %w", path, err)
	}
	if len(data) < 12 || string(data[:4]) != "RIFF" || string(data[8:12]) != "WAVE" {
		return WAV{}, fmt.Errorf("read wav %s: not a RIFF/WAVE file", path)
	}
	var w WAV
	channels := 0
	for off := 12; off+8 <= len(data); {
		id, size := string(data[off:off+4]), int(binary.LittleEndian.Uint32(data[off+4:]))
		body := data[off+8 : min(off+8+size, len(data))]
		switch id {
		case "fmt ":
			if len(body) < 16 || binary.LittleEndian.Uint16(body[14:]) != 16 {
				return WAV{}, fmt.Errorf("read wav %s: only 16-bit PCM is supported", path)
			}
			channels = int(binary.LittleEndian.Uint16(body[2:]))
			w.Rate = int(binary.LittleEndian.Uint32(body[4:]))
		case "data":
			if channels == 0 {
				return WAV{}, fmt.Errorf("read wav %s: data before fmt", path)
			}
			w.Samples = mixDown(body, channels)
		}
		off += 8 + size + size%2
	}
	return w, nil
}

func mixDown(pcm []byte, channels int) []float64 {
	frames := len(pcm) / (2 * channels)
	out := make([]float64, frames)
	for i := range frames {
		var sum float64
		for c := range channels {
			sum += float64(int16(binary.LittleEndian.Uint16(pcm[(i*channels+c)*2:])))
		}
		out[i] = sum / float64(channels) / 32768
	}
	return out
}

// WriteWAV writes mono 16-bit PCM samples (-1..1) as a WAV file.
func WriteWAV(path string, rate int, samples []float64) error {
	buf := make([]byte, 44+2*len(samples))
	copy(buf, "RIFF")
	binary.LittleEndian.PutUint32(buf[4:], uint32(36+2*len(samples)))
	copy(buf[8:], "WAVEfmt ")
	binary.LittleEndian.PutUint32(buf[16:], 16)
	binary.LittleEndian.PutUint16(buf[20:], 1)
	binary.LittleEndian.PutUint16(buf[22:], 1)
	binary.LittleEndian.PutUint32(buf[24:], uint32(rate))
	binary.LittleEndian.PutUint32(buf[28:], uint32(rate*2))
	binary.LittleEndian.PutUint16(buf[32:], 2)
	binary.LittleEndian.PutUint16(buf[34:], 16)
	copy(buf[36:], "data")
	binary.LittleEndian.PutUint32(buf[40:], uint32(2*len(samples)))
	for i, s := range samples {
		v := int16(math.Max(-1, math.Min(1, s)) * 32767)
		binary.LittleEndian.PutUint16(buf[44+2*i:], uint16(v))
	}
	if err := os.WriteFile(path, buf, 0o600); err != nil {
		return fmt.Errorf("write wav %s: %w", path, err)
	}
	return nil
}

// Sine returns d seconds of a sine at hz and amplitude amp (0..1).
func Sine(rate int, hz, amp, seconds float64) []float64 {
	out := make([]float64, int(float64(rate)*seconds))
	for i := range out {
		out[i] = amp * math.Sin(2*math.Pi*hz*float64(i)/float64(rate))
	}
	return out
}

// Tone describes the strongest pure tone found in some audio.
type Tone struct {
	// Hz is the dominant frequency (5 Hz resolution, 100..3800 Hz).
	Hz float64
	// RMS is the level of the analysed window (0..1).
	RMS float64
	// Purity is the share of the window's energy at Hz (0..1).
	Purity float64
	// Seconds is how much non-silent audio the recording holds.
	Seconds float64
}

// DominantTone analyses the recording in 250 ms windows and reports the
// median over the windows that carry sound, so that a short artifact (a
// DTMF burst, one concealed packet) does not decide the result.
func DominantTone(w WAV) Tone {
	if w.Rate == 0 || len(w.Samples) < w.Rate/10 {
		return Tone{}
	}
	var hz, rms, purity []float64
	n := w.Rate / 4
	for at := 0; at+n <= len(w.Samples); at += n {
		wt := windowTone(w.Samples[at:at+n], w.Rate)
		if wt.RMS > 0.01 {
			hz, rms, purity = append(hz, wt.Hz), append(rms, wt.RMS), append(purity, wt.Purity)
		}
	}
	t := Tone{Seconds: voicedSeconds(w)}
	if len(hz) == 0 {
		t.RMS = windowTone(w.Samples[:min(n, len(w.Samples))], w.Rate).RMS
		return t
	}
	t.Hz, t.RMS, t.Purity = median(hz), median(rms), median(purity)
	return t
}

// windowTone finds the strongest frequency of one window.
func windowTone(win []float64, rate int) Tone {
	energy := 0.0
	for _, s := range win {
		energy += s * s
	}
	t := Tone{RMS: math.Sqrt(energy / float64(len(win)))}
	best := 0.0
	for hz := 100.0; hz <= 3800; hz += 5 {
		if p := goertzel(win, rate, hz); p > best {
			best, t.Hz = p, hz
		}
	}
	if energy > 0 {
		t.Purity = math.Min(1, 2*best/(energy*float64(len(win))))
	}
	return t
}

func median(v []float64) float64 {
	c := append([]float64(nil), v...)
	sort.Float64s(c)
	return c[len(c)/2]
}

// voicedSeconds counts 20 ms blocks whose level is above -40 dBFS.
func voicedSeconds(w WAV) float64 {
	block := w.Rate / 50
	voiced := 0
	for at := 0; at+block <= len(w.Samples); at += block {
		e := 0.0
		for _, v := range w.Samples[at : at+block] {
			e += v * v
		}
		if math.Sqrt(e/float64(block)) > 0.01 {
			voiced++
		}
	}
	return float64(voiced) / 50
}

// goertzel returns the power of frequency hz in s.
func goertzel(s []float64, rate int, hz float64) float64 {
	k := 2 * math.Cos(2*math.Pi*hz/float64(rate))
	var s1, s2 float64
	for _, v := range s {
		s0 := v + k*s1 - s2
		s2, s1 = s1, s0
	}
	return s1*s1 + s2*s2 - k*s1*s2
}
