package ui

import "fyne.io/fyne/v2"

// load runs fetch off the Fyne goroutine and hands its result to apply on
// the Fyne goroutine (through Deps.Dispatch). Errors go to onErr when set,
// and always to the log.
func load[T any](u *App, fetch func() (T, error), apply func(T), onErr func(error)) {
	u.loads.Add(1)
	go func() {
		defer u.loads.Done()
		v, err := fetch()
		if u.ctx.Err() != nil {
			return
		}
		u.dispatch(func() {
			if err != nil {
				u.deps.Logger.Error("load", "err", err)
				if onErr != nil {
					onErr(err)
				}
				return
			}
			apply(v)
		})
	}()
}

// dispatch runs fn on the UI goroutine and waits for it.
func (u *App) dispatch(fn func()) {
	if u.deps.Dispatch != nil {
		u.deps.Dispatch(fn)
		return
	}
	fyne.DoAndWait(fn)
}

// Settle waits until every load started so far has fetched its data and
// handed it to the dispatcher (with the default dispatcher: applied it).
func (u *App) Settle() { u.loads.Wait() }
