package media

// seqWindow remembers which of the last 256 extended sequence numbers were
// seen, to drop duplicated packets.
type seqWindow struct {
	highest uint64
	bits    [4]uint64
	any     bool
}

// check marks seq as seen and reports whether it had been seen already.
func (w *seqWindow) check(seq uint64) bool {
	if !w.any {
		w.any, w.highest = true, seq
		w.set(0)
		return false
	}
	if seq > w.highest {
		w.shift(seq - w.highest)
		w.highest = seq
		w.set(0)
		return false
	}
	back := w.highest - seq
	if back >= 256 {
		return false
	}
	if w.get(back) {
		return true
	}
	w.set(back)
	return false
}

func (w *seqWindow) get(i uint64) bool {
	return w.bits[i/64]&(1<<(i%64)) != 0
}

func (w *seqWindow) set(i uint64) {
	w.bits[i/64] |= 1 << (i % 64)
}

// shift ages the window by n positions (bit i means highest - i).
func (w *seqWindow) shift(n uint64) {
	if n >= 256 {
		w.bits = [4]uint64{}
		return
	}
	for ; n >= 64; n -= 64 {
		w.bits = [4]uint64{0, w.bits[0], w.bits[1], w.bits[2]}
	}
	if n == 0 {
		return
	}
	for i := 3; i > 0; i-- {
		w.bits[i] = w.bits[i]<<n | w.bits[i-1]>>(64-n)
	}
	w.bits[0] <<= n
}
