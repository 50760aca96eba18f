package media

import (
	"math/rand/v2"
	"slices"
	"time"
)

// netModel is a seeded simulated network path for the jitter buffer: each
// packet is lost with probability Loss, otherwise delayed by Base plus a
// uniform draw in [0, Jitter], and duplicated with probability Dup (the copy
// arrives up to 10 ms later). Reordering follows from the jitter (a packet
// delayed 30 ms arrives after the next ones).
type netModel struct {
	Loss, Dup    float64
	Base, Jitter time.Duration
	DriftPPM     float64 // sender clock faster (+) or slower (-) than ours
	Seed         uint64
	JumpAt       int   // packet index where the sender's timestamp jumps (0 = never)
	JumpTS       int64 // size of the jump in RTP units
	BurstAt      int   // first packet of a burst loss (0 = none)
	BurstLen     int
	NoPhase      bool          // keep the playout clock's phase fixed (no alignment)
	Ptime        time.Duration // packet duration (default 20 ms)
}

// simPacket is a packet on the simulated wire.
type simPacket struct {
	index   int
	seq     uint64
	ts      int64
	payload []byte
	sent    time.Time // when the packet left (its last sample was captured)
	arrival time.Time
}

// simulate plays pcm through encode, the network model and a playout
// pulled every 20 ms, and returns the output and per-packet delays.
type simResult struct {
	out        []int16
	stats      playoutStats
	expected   int
	lateLoss   float64       // late packets / packets sent
	meanAdded  time.Duration // capture -> playout minus the network base delay, played packets
	maxAdded   time.Duration
	meanJitter time.Duration // arrival -> playout
	lost       []int         // indices of the packets the network dropped
	clockShift time.Duration // how much the playout clock moved (negative: earlier)
}

func simulate(pcm []int16, codec Codec, m netModel, conceal bool, phase time.Duration) simResult {
	pkts, lost := wire(pcm, codec, m)
	p, err := newPlayout(playoutConfig{codec: codec, minDelay: 5 * time.Millisecond, maxDelay: 200 * time.Millisecond, conceal: conceal, seed: 1, phased: !m.NoPhase})
	if err != nil {
		panic(err)
	}
	played := map[uint64]time.Time{}
	p.onPlay = func(seq uint64, at time.Time) { played[seq] = at }
	frame := SamplesPerFrame(codec.SampleRate)
	epoch := time.Unix(1_700_000_000, 0)
	var out []int16
	var tracker phaseTracker
	var shift time.Duration
	next := 0
	for n := range len(pcm)/frame + 20 {
		at := epoch.Add(phase + time.Duration(n)*FrameDuration)
		for next < len(pkts) && !pkts[next].arrival.After(at) {
			q := pkts[next]
			p.Push(q.seq, q.ts, q.payload, q.arrival)
			next++
		}
		out = append(out, p.Pull(at)...)
		if !m.NoPhase {
			adv := tracker.observe(p.Slack()) // the session's clock does the same
			phase -= adv
			shift -= adv
		}
	}
	r := summarize(out, p, pkts, m, played, len(pcm)/frame)
	r.lost, r.clockShift = lost, shift
	return r
}

// summarize computes the delay Ligne adds to each played packet: from the
// capture of its first sample (20 ms before it was sent) to its playout,
// minus the network's fixed delay. Jitter absorbed by the buffer counts as
// added by Ligne.
func summarize(out []int16, p *playout, pkts []simPacket, m netModel, played map[uint64]time.Time, sent int) simResult {
	r := simResult{out: out, stats: p.stats, expected: sent, lateLoss: float64(p.stats.Late) / float64(sent)}
	var sum time.Duration
	n := 0
	for _, q := range pkts {
		at, ok := played[q.seq]
		if !ok {
			continue
		}
		delete(played, q.seq) // a duplicate counts once
		added := at.Sub(q.sent.Add(-FrameDuration)) - m.Base
		sum += added
		n++
		r.maxAdded = max(r.maxAdded, added)
	}
	if n > 0 {
		r.meanAdded = sum / time.Duration(n)
	}
	if c := p.stats.DelayCount; c > 0 {
		r.meanJitter = p.stats.DelaySum / time.Duration(c)
	}
	return r
}

// wire encodes pcm into 20 ms packets and applies the network model; the
// result is sorted by arrival.
func wire(pcm []int16, codec Codec, m netModel) ([]simPacket, []int) {
	rng := rand.New(rand.NewPCG(m.Seed, 7))
	enc, _ := NewEncoder(codec)
	ptime := FrameDuration
	if m.Ptime > 0 {
		ptime = m.Ptime
	}
	frame := int(ptime.Seconds() * float64(codec.SampleRate))
	frameTS := int64(ptime.Seconds() * float64(codec.ClockRate))
	epoch := time.Unix(1_700_000_000, 0)
	var pkts []simPacket
	var dropped []int
	ts := int64(1_000_000)
	for k := 0; (k+1)*frame <= len(pcm); k++ {
		if k == m.JumpAt && k > 0 {
			ts += m.JumpTS
		}
		sent := epoch.Add(time.Duration(float64((k+1)*int(ptime)) / (1 + m.DriftPPM/1e6)))
		q := simPacket{index: k, seq: uint64(k + 1000), ts: ts, sent: sent,
			payload: enc.Encode(nil, pcm[k*frame:(k+1)*frame])}
		ts += frameTS
		lost := rng.Float64() < m.Loss || (m.BurstAt > 0 && k >= m.BurstAt && k < m.BurstAt+m.BurstLen)
		jit := time.Duration(rng.Float64() * float64(m.Jitter))
		dup := rng.Float64() < m.Dup
		dupDelay := time.Duration(rng.Float64() * float64(10*time.Millisecond))
		if lost {
			dropped = append(dropped, k)
			continue
		}
		q.arrival = sent.Add(m.Base + jit)
		pkts = append(pkts, q)
		if dup {
			d := q
			d.arrival = q.arrival.Add(dupDelay)
			pkts = append(pkts, d)
		}
	}
	slices.SortStableFunc(pkts, func(a, b simPacket) int { return a.arrival.Compare(b.arrival) })
	return pkts, dropped
}
