package ui

import "io"

// Test hooks for the call log's file actions, which go through native file
// dialogs in the window.

// ImportCallsForTest runs the call log's import on r.
func (u *App) ImportCallsForTest(r io.Reader) (string, error) {
	return (&callLog{u: u}).importFrom(r)
}

// ExportCallsForTest runs the call log's export of the current month.
func (u *App) ExportCallsForTest(w io.Writer) (string, error) {
	c := &callLog{u: u}
	c.filter.Month = u.deps.Now()
	return c.exportTo(w)
}
