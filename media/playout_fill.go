package media

import "time"

// adjust keeps the playout point within one packet of the desired one.
// The point only moves by whole packets, so that each 20 ms frame starts
// on a packet boundary: a frame straddling two packets would need the
// second one early and lose the delay it was meant to gain. A large gap is
// a jump; otherwise at most one packet per tick is skipped or inserted.
// Delay is removed with more slack during speech than in quiet passages;
// it is added as soon as it is missing.
func (p *playout) adjust(desired int64) {
	err := p.next - desired // > 0: playing too early, the delay is too small
	perMS := int64(p.codec.ClockRate / 1000)
	pkt := p.packetTS()
	quiet := p.lastRMS < quietRMS || p.spurt
	p.spurt = false
	switch {
	case -err >= resyncLimitMS*perMS:
		p.jump(desired)
	case -err >= pkt+pick(quiet, skipQuiet, skipSpeech)*perMS:
		p.skip(pkt)
	case err > 0 && !(p.phased && err < int64(phaseMaxLate.Seconds()*float64(p.codec.ClockRate))):
		// a late packet costs a concealed frame anyway; inserting one now
		// saves the packets that follow (a small earliness is left to the
		// clock when it follows Slack)
		p.insertSilence(pkt)
	}
}

// packetTS is the duration of the stream's packets in RTP units, learned
// from the last packet decoded (one frame until then).
func (p *playout) packetTS() int64 {
	if p.lastPkt > 0 {
		return p.lastPkt
	}
	return int64(p.codec.frameTS())
}

func pick(cond bool, a, b int64) int64 {
	if cond {
		return a
	}
	return b
}

// jump moves the playout point to desired at once (after a long stall).
func (p *playout) jump(desired int64) {
	p.stats.Resyncs++
	p.pending = p.pending[:0]
	pkt := p.packetTS()
	p.next += (desired - p.next) / pkt * pkt // stay on the packet grid
	p.dropStale()
}

// skip drops n RTP units of audio to shrink the delay, keeping the dropped
// start to cross-fade it into what follows.
func (p *playout) skip(n int64) {
	p.stats.Skipped += uint64(n) * uint64(p.spt)
	fade := p.codec.SampleRate / 400 // 2.5 ms
	p.fadeOld = p.fadeOld[:0]
	for left := int(n) * p.spt; left > 0; {
		if len(p.pending) == 0 && !p.decodeHead(time.Time{}) {
			k := p.gapSamples(left)
			p.next += int64(k / p.spt)
			left -= k
			continue
		}
		k := min(left, len(p.pending))
		if need := fade - len(p.fadeOld); need > 0 {
			p.fadeOld = append(p.fadeOld, p.pending[:min(need, k)]...)
		}
		p.pending = p.pending[k:]
		p.next += int64(k / p.spt)
		left -= k
	}
}

// insertSilence grows the delay by n RTP units without moving the playout
// point: the concealer extends the signal (or silence without it). It
// never fills more than the frame being built (packets longer than a
// frame, 30 ms ptime, grow the delay a frame at a time).
func (p *playout) insertSilence(n int64) {
	k := min(int(n)*p.spt, p.frame-len(p.out))
	p.stats.Inserted += uint64(k)
	start := len(p.out)
	p.out = append(p.out, make([]int16, k)...)
	seg := p.out[start:]
	if p.plcOn {
		g := p.plc.conceal(seg)
		p.cng.add(seg, 1-g)
	}
}

// fill completes the output frame from the timeline.
func (p *playout) fill(now time.Time) {
	for len(p.out) < p.frame {
		left := p.frame - len(p.out)
		if len(p.pending) == 0 && !p.decodeHead(p.playTime(now)) {
			p.concealGap(p.gapSamples(left))
			continue
		}
		k := min(left, len(p.pending))
		start := len(p.out)
		p.out = append(p.out, p.pending[:k]...)
		p.pending = p.pending[k:]
		p.next += int64(k / p.spt)
		p.playGood(p.out[start:])
	}
	p.lastRMS = frameRMS(p.out)
}

// playTime is when the next sample of the frame being built is heard.
func (p *playout) playTime(now time.Time) time.Time {
	return now.Add(time.Duration(len(p.out)) * time.Second / time.Duration(p.codec.SampleRate))
}

// playGood passes decoded samples through the concealer (which cross-fades
// them after a loss) and the skip cross-fade, and feeds the noise tracker.
func (p *playout) playGood(seg []int16) {
	if n := min(len(p.fadeOld), len(seg)); n > 0 {
		for i := range n {
			w := float64(i+1) / float64(n+1)
			seg[i] = clipFloat(float64(p.fadeOld[i])*(1-w) + float64(seg[i])*w)
		}
		p.fadeOld = p.fadeOld[:0]
	}
	if p.plcOn {
		p.plc.good(seg)
	}
	p.cng.observe(seg)
}

// gapSamples returns how many samples of the next want are missing before
// the first buffered packet (all of them if none is buffered).
func (p *playout) gapSamples(want int) int {
	if len(p.store) == 0 {
		return want
	}
	return min(want, int(p.store[0].ts-p.next)*p.spt)
}

// concealGap advances the timeline over n missing samples: comfort noise if
// the peer said silence, else concealment (or silence without it).
func (p *playout) concealGap(n int) {
	start := len(p.out)
	p.out = append(p.out, make([]int16, n)...)
	seg := p.out[start:]
	p.next += int64(n / p.spt)
	p.fadeOld = p.fadeOld[:0]
	switch {
	case p.cnOn:
		p.cng.add(seg, 1)
	case p.plcOn:
		p.stats.Concealed += uint64(n)
		g := p.plc.conceal(seg)
		p.cng.add(seg, 1-g)
	default:
		p.stats.Concealed += uint64(n)
	}
}

// decodeHead decodes the first buffered packet if it covers the playout
// point, into pending. playAt, if set, is when its first sample is heard.
func (p *playout) decodeHead(playAt time.Time) bool {
	p.dropStale()
	if len(p.store) == 0 || p.store[0].ts > p.next {
		return false
	}
	q := p.store[0]
	p.store = p.store[1:]
	p.lastPkt = int64(p.codec.payloadTS(len(q.payload)))
	p.decBuf = p.dec.Decode(p.decBuf[:0], q.payload)
	p.release(q)
	skip := min(len(p.decBuf), int(p.next-q.ts)*p.spt)
	p.pending = p.decBuf[skip:]
	p.cnOn = false
	p.stats.Played++
	if !playAt.IsZero() && skip == 0 {
		p.recordDelay(playAt.Sub(q.arrival))
		if p.onPlay != nil {
			p.onPlay(q.seq, playAt)
		}
	}
	return len(p.pending) > 0 || p.decodeHead(playAt)
}

func (p *playout) recordDelay(d time.Duration) {
	p.stats.DelaySum += d
	p.stats.DelayCount++
	p.stats.DelayMax = max(p.stats.DelayMax, d)
}

// dropStale discards buffered packets entirely before the playout point.
func (p *playout) dropStale() {
	for len(p.store) > 0 {
		q := p.store[0]
		if q.ts+int64(p.codec.payloadTS(len(q.payload))) > p.next {
			return
		}
		p.stats.Discarded++
		p.release(q)
		p.store = p.store[1:]
	}
}
