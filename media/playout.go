package media

import (
	"slices"
	"time"
)

// playout is the receive side of a session after the network: an adaptive
// jitter buffer that orders packets, drops duplicates and late ones, follows
// the measured jitter with its playout delay, decodes in order, conceals
// losses and fills silence with comfort noise. It is driven by Push (a
// packet arrived) and Pull (the 20 ms playout clock ticked), both with
// explicit times, so it runs the same on the wall clock and in tests.
type playout struct {
	codec   Codec
	dec     Decoder
	plcOn   bool
	plc     *concealer
	cng     *comfortNoise
	est     *delayEstimator
	store   []jbPacket // sorted by ts
	free    [][]byte   // recycled payload buffers
	seen    seqWindow
	started bool
	next    int64   // RTP timestamp of the next sample to play
	pending []int16 // decoded samples starting at next
	cnOn    bool    // the peer sent RFC 3389 comfort noise: silence is intended
	frame   int     // samples per 20 ms frame
	spt     int     // samples per RTP timestamp unit
	out     []int16
	decBuf  []int16
	fadeOld []int16 // samples skipped over, cross-faded into what follows
	lastRMS float64 // level of the last frame played
	lastPkt int64   // RTP units in the last packet decoded
	spurt   bool    // a packet with the marker bit arrived: a talkspurt starts after silence
	slack   int64   // RTP units the last frame was due before its pull
	phased  bool    // the clock follows Slack (small earliness is not fixed by inserting)
	stats   playoutStats
	onPlay  func(seq uint64, at time.Time) // test hook: a packet's first sample is heard at at
}

// jbPacket is one audio packet waiting in the jitter buffer.
type jbPacket struct {
	seq     uint64 // extended sequence number
	ts      int64  // extended RTP timestamp
	payload []byte
	arrival time.Time
}

// playoutStats counts what the jitter buffer did.
type playoutStats struct {
	Played     uint64        // packets decoded and played
	Late       uint64        // packets that arrived after their playout time
	Duplicates uint64        // packets received twice
	Discarded  uint64        // packets dropped to shrink the delay or on overflow
	Concealed  uint64        // samples synthesized for missing audio
	Inserted   uint64        // samples inserted to grow the delay
	Skipped    uint64        // samples skipped to shrink the delay
	Resyncs    uint64        // timing resets (timestamp jumps, SSRC changes)
	DelaySum   time.Duration // sum over played packets of arrival -> playout
	DelayCount uint64        // packets in DelaySum
	DelayMax   time.Duration
}

// playoutConfig sets up a playout for one codec.
type playoutConfig struct {
	codec              Codec
	minDelay, maxDelay time.Duration
	conceal            bool // false: silence insertion (for comparisons)
	phased             bool // the caller's clock follows Slack
	seed               uint64
}

const (
	maxStored     = 128 // packets held at most
	skipQuiet     = 2   // ms of excess delay beyond one packet tolerated in quiet passages
	skipSpeech    = 20  // ms of excess delay beyond one packet tolerated during speech
	resyncLimitMS = 400 // ms behind the desired point: jump instead of skipping
	quietRMS      = 300.0
)

func newPlayout(cfg playoutConfig) (*playout, error) {
	dec, err := NewDecoder(cfg.codec)
	if err != nil {
		return nil, err
	}
	return &playout{
		codec:  cfg.codec,
		dec:    dec,
		plcOn:  cfg.conceal,
		plc:    newConcealer(cfg.codec.SampleRate),
		cng:    newComfortNoise(cfg.seed),
		est:    newDelayEstimator(cfg.codec.ClockRate, cfg.minDelay, cfg.maxDelay),
		frame:  SamplesPerFrame(cfg.codec.SampleRate),
		spt:    cfg.codec.samplesPerTS(),
		phased: cfg.phased,
	}, nil
}

// pushResult says what Push did with a packet.
type pushResult int

const (
	pushQueued pushResult = iota
	pushDuplicate
	pushLate
)

// Push hands a received audio packet to the buffer. The payload is copied.
func (p *playout) Push(seq uint64, ts int64, payload []byte, arrival time.Time) pushResult {
	if p.seen.check(seq) {
		p.stats.Duplicates++
		return pushDuplicate
	}
	if p.est.observe(arrival, ts) {
		p.resync()
	}
	if p.started && ts+int64(p.codec.payloadTS(len(payload))) <= p.next {
		p.stats.Late++
		return pushLate
	}
	p.insert(jbPacket{seq: seq, ts: ts, payload: p.copyPayload(payload), arrival: arrival})
	return pushQueued
}

// MarkTalkspurt notes a packet with the RTP marker bit: the sender resumes
// after silence, so the delay may change at once without cutting speech.
func (p *playout) MarkTalkspurt() {
	p.spurt = true
}

// PushCN records an RFC 3389 comfort noise packet: silence is intended
// until the next audio packet, at the given level.
func (p *playout) PushCN(level byte) {
	p.cng.setDBov(level)
	p.cnOn = true
}

// resync forgets the playout point after a timestamp jump.
func (p *playout) resync() {
	p.stats.Resyncs++
	p.started = false
	p.pending = p.pending[:0]
	for _, q := range p.store {
		p.release(q)
	}
	p.store = p.store[:0]
}

func (p *playout) copyPayload(b []byte) []byte {
	var buf []byte
	if n := len(p.free); n > 0 {
		buf, p.free = p.free[n-1][:0], p.free[:n-1]
	}
	return append(buf, b...)
}

func (p *playout) release(q jbPacket) {
	p.free = append(p.free, q.payload)
}

func (p *playout) insert(q jbPacket) {
	i, found := slices.BinarySearchFunc(p.store, q.ts, func(a jbPacket, ts int64) int {
		return cmpInt64(a.ts, ts)
	})
	if found {
		p.stats.Duplicates++
		p.release(q)
		return
	}
	p.store = slices.Insert(p.store, i, q)
	if len(p.store) > maxStored {
		p.stats.Discarded++
		p.release(p.store[0])
		p.store = slices.Delete(p.store, 0, 1)
	}
}

func cmpInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Pull returns the next 20 ms of audio for the playout tick at now. The
// returned slice is reused by the next call.
func (p *playout) Pull(now time.Time) []int16 {
	p.out = growInt16(p.out, 0)
	if !p.started && !p.tryStart(now) {
		return p.silence()
	}
	// with packets shorter than a frame, the frame also needs the packets
	// that follow the first one: its last packet must be due
	desired := p.est.desired(now) - max(0, int64(p.codec.frameTS())-p.packetTS())
	p.adjust(desired)
	p.slack = desired - p.next
	p.fill(now)
	return p.out
}

// Slack returns how long before the last pull its frame was already due
// (0 when not playing): the playout clock could tick that much earlier.
// Negative: the frame came early by that much. notPlaying before start.
func (p *playout) Slack() time.Duration {
	if !p.started {
		return notPlaying
	}
	return time.Duration(p.slack) * time.Second / time.Duration(p.codec.ClockRate)
}

// tryStart begins playing when the first buffered packet is due.
func (p *playout) tryStart(now time.Time) bool {
	if len(p.store) == 0 {
		return false
	}
	if p.est.desired(now) < p.store[0].ts {
		return false
	}
	p.started, p.next = true, p.store[0].ts
	return true
}

// silence returns a frame of comfort noise (digital silence until a level
// is known).
func (p *playout) silence() []int16 {
	p.out = growInt16(p.out, p.frame)
	clear(p.out)
	p.cng.add(p.out, 1)
	return p.out
}
