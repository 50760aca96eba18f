package media

import (
	"context"
	"errors"
	"io"
	"os"
	"slices"
	"sync"
	"syscall"
	"testing"
	"time"
)

// clickSource emits one full-scale click every `every` samples and records
// when each click was captured: as a device would, the last sample of each
// read is taken as captured at the moment of the read.
type clickSource struct {
	mu      sync.Mutex
	rate    int
	every   int64
	n       int64
	capture []time.Time
}

func (c *clickSource) Read(p []byte) (int, error) {
	now := time.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	n := len(p) / 2
	for i := range n {
		v := int16(0)
		if (c.n+int64(i))%c.every == 0 {
			v = 20000
			c.capture = append(c.capture, now.Add(-time.Duration(n-1-i)*time.Second/time.Duration(c.rate)))
		}
		p[2*i], p[2*i+1] = byte(uint16(v)), byte(uint16(v)>>8)
	}
	c.n += int64(n)
	return 2 * n, nil
}

// clickSink records when each click would be heard: sample i of a write is
// heard i samples after the write (no device buffer).
type clickSink struct {
	mu    sync.Mutex
	rate  int
	every int64
	n     int64
	last  int64
	heard []time.Time
}

func (c *clickSink) Write(p []byte) (int, error) {
	now := time.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	s := BytesToSamples(nil, p)
	for i, v := range s {
		idx := c.n + int64(i)
		if (v > 10000 || v < -10000) && (len(c.heard) == 0 || idx-c.last > c.every/2) {
			c.heard = append(c.heard, now.Add(time.Duration(i)*time.Second/time.Duration(c.rate)))
			c.last = idx
		}
	}
	c.n += int64(len(s))
	return len(p), nil
}

// latencies pairs each heard click with the latest capture before it
// (clicks are farther apart than any delay the session can add: 200 ms of
// jitter buffer at most plus one frame).
func latencies(src *clickSource, snk *clickSink) []time.Duration {
	src.mu.Lock()
	defer src.mu.Unlock()
	snk.mu.Lock()
	defer snk.mu.Unlock()
	var out []time.Duration
	j := 0
	for _, h := range snk.heard {
		for j+1 < len(src.capture) && src.capture[j+1].Before(h) {
			j++
		}
		if j < len(src.capture) && src.capture[j].Before(h) {
			out = append(out, h.Sub(src.capture[j]))
		}
	}
	return out
}

// BenchmarkSessionAddedLatency measures, on the wall clock, the delay Ligne
// adds between two real sessions on loopback (capture to packet, packet to
// playout, no device buffers), without jitter and with 30 ms of jitter and
// 2 % loss from the relay, whose fixed delay is 0. Each run is a 30 s call;
// b.N is ignored: run it with -benchtime=1x.
func BenchmarkSessionAddedLatency(b *testing.B) {
	for _, c := range []struct {
		name string
		m    netModel
	}{
		{"nojitter", netModel{Seed: 1}},
		{"jitter30ms-loss2pct", netModel{Jitter: 30 * time.Millisecond, Loss: 0.02, Seed: 2}},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				lat, st, err := measureLatency(c.m, benchCallLength())
				if err != nil {
					b.Fatal(err)
				}
				slices.Sort(lat)
				var sum time.Duration
				for _, d := range lat {
					sum += d
				}
				b.ReportMetric(ms(sum/time.Duration(max(1, len(lat)))), "added-ms-mean")
				b.ReportMetric(ms(lat[len(lat)*95/100]), "added-ms-p95")
				b.ReportMetric(st.LateLossPercent, "late-loss-%")
				b.ReportMetric(st.LossPercent, "loss-%")
				b.ReportMetric(float64(len(lat)), "clicks")
			}
		})
	}
}

func measureLatency(m netModel, d time.Duration) ([]time.Duration, Stats, error) {
	relay, err := startRelay(m)
	if err != nil {
		return nil, Stats{}, err
	}
	defer relay.close()
	a, b, err := sessionPair(relay, CodecPCMU, true)
	if err != nil {
		return nil, Stats{}, err
	}
	defer a.Close()
	defer b.Close()
	every := 250 * time.Millisecond
	src := &clickSource{rate: 8000, every: int64(every.Seconds() * 8000)}
	snk := &clickSink{rate: 8000, every: src.every}
	a.SetSource(src, 8000)
	b.SetSink(snk, 8000)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := errors.Join(b.Start(ctx), a.Start(ctx)); err != nil {
		return nil, Stats{}, err
	}
	time.Sleep(d)
	st := b.Stats()
	lat := latencies(src, snk)
	if len(lat) == 0 {
		return nil, st, errors.New("no click heard")
	}
	return lat, st, nil
}

// BenchmarkCallCPU runs G.711 calls between two sessions on loopback (a
// tone each way, the received audio written to a discarding sink) and
// reports the process CPU time per call minute per side. Run it with
// -benchtime=1x: each run is a 30 s call.
func BenchmarkCallCPU(b *testing.B) {
	for b.Loop() {
		before := cpuTime()
		start := time.Now()
		if err := runCall(30 * time.Second); err != nil {
			b.Fatal(err)
		}
		cpu := cpuTime() - before
		minutes := time.Since(start).Minutes()
		b.ReportMetric(cpu.Seconds()/2/minutes, "cpu-s/call-min/side")
	}
}

func runCall(d time.Duration) error {
	a, err := NewSession(SessionConfig{LocalIP: "127.0.0.1"})
	if err != nil {
		return err
	}
	defer a.Close()
	b, err := NewSession(SessionConfig{LocalIP: "127.0.0.1"})
	if err != nil {
		return err
	}
	defer b.Close()
	pa := Params{Remote: b.LocalAddr(), Codec: CodecPCMU, Send: true, Recv: true}
	pb := Params{Remote: a.LocalAddr(), Codec: CodecPCMU, Send: true, Recv: true}
	if err := errors.Join(a.Configure(pa), b.Configure(pb)); err != nil {
		return err
	}
	for _, s := range []*Session{a, b} {
		s.SetSource(NewToneReader(Tone{Freqs: []float64{440}, Level: 0.3}, 8000), 8000)
		s.SetSink(io.Discard, 8000)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := errors.Join(a.Start(ctx), b.Start(ctx)); err != nil {
		return err
	}
	time.Sleep(d)
	return nil
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func benchCallLength() time.Duration {
	if d, err := time.ParseDuration(os.Getenv("LIGNE_BENCH_CALL")); err == nil {
		return d
	}
	return 30 * time.Second
}
