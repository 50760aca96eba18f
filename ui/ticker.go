package ui

import "time"

// every runs fn on the UI goroutine every period until fn returns false
// or the window closes. fn decides on the UI goroutine; the ticking
// goroutine only waits on a channel fn's decision closes.
func (u *App) every(period time.Duration, fn func() bool) {
	stop := make(chan struct{})
	stopped := false // read and written only on the UI goroutine
	go func() {
		t := time.NewTicker(period)
		defer t.Stop()
		for {
			select {
			case <-u.ctx.Done():
				return
			case <-stop:
				return
			case <-t.C:
			}
			u.dispatch(func() {
				if !stopped && !fn() {
					stopped = true
					close(stop)
				}
			})
		}
	}()
}
