package main

import (
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"

	"github.com/ligne-app/ligne/ui"
)

// parseURL accepts absolute http(s) and file URLs.
func parseURL(s string) (*url.URL, error) {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "file") {
		return nil, fmt.Errorf("open %q: not a web address", s)
	}
	return u, nil
}

// captureAndQuit opens each section, waits for its data, writes a PNG of
// the window to dir, then quits. It runs off the Fyne goroutine.
//
// The picture is taken at the X server level (ImageMagick's import, the
// window sits at 0,0 under Xvfb without a window manager): the GL driver's
// Canvas.Capture reads the front buffer, which Mesa on Xvfb does not keep.
func captureAndQuit(a fyne.App, w *ui.App, dir, call string, log *slog.Logger) {
	defer fyne.Do(a.Quit)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		log.Error("screenshots", "err", err)
		return
	}
	time.Sleep(2 * time.Second) // let the window appear and get its size
	for i, id := range ui.SectionIDs() {
		fyne.DoAndWait(func() { w.Open(id) })
		w.Settle()
		time.Sleep(700 * time.Millisecond) // a few frames after the data arrived
		file := filepath.Join(dir, fmt.Sprintf("%02d-%s.png", i+1, id))
		if err := captureWindow(w.Window(), file); err != nil {
			log.Error("screenshot", "section", id, "err", err)
			return
		}
	}
	if call != "" {
		if err := captureCalls(w, dir, call); err != nil {
			log.Error("screenshot of calls", "err", err)
		}
	}
}

// captureCalls calls number and captures the call, then announces in dir
// that it waits for an incoming call and captures its banner.
func captureCalls(w *ui.App, dir, number string) error {
	fyne.DoAndWait(func() { w.Open(ui.SectionDashboard); w.CallNumber(number) })
	if err := waitCalls(w, func(active, _ int) bool { return active == 1 }); err != nil {
		return fmt.Errorf("call %s: %w", number, err)
	}
	time.Sleep(2500 * time.Millisecond) // the timer and quality line show a few seconds of call
	if err := captureWindow(w.Window(), filepath.Join(dir, "10-call.png")); err != nil {
		return err
	}
	fyne.DoAndWait(w.HangupAll)
	if err := waitCalls(w, func(active, _ int) bool { return active == 0 }); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, WaitingIncoming), nil, 0o644); err != nil {
		return err
	}
	if err := waitCalls(w, func(_, ringing int) bool { return ringing == 1 }); err != nil {
		return fmt.Errorf("incoming call: %w", err)
	}
	time.Sleep(700 * time.Millisecond)
	return captureWindow(w.Window(), filepath.Join(dir, "11-incoming.png"))
}

// WaitingIncoming is the file the screenshot mode writes when it waits for
// an incoming call.
const WaitingIncoming = ".waiting-incoming"

// waitCalls polls the window's calls until cond holds, for 30 s at most.
func waitCalls(w *ui.App, cond func(active, ringing int) bool) error {
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		var active, ringing int
		fyne.DoAndWait(func() { active, ringing = w.CallCounts() })
		if cond(active, ringing) {
			return nil
		}
	}
	return fmt.Errorf("timed out")
}

// captureWindow writes the window's pixels, read from the X server, to file.
func captureWindow(win fyne.Window, file string) error {
	var width, height int
	fyne.DoAndWait(func() {
		c := win.Canvas()
		width, height = c.PixelCoordinateForPosition(fyne.NewPos(c.Size().Width, c.Size().Height))
	})
	geometry := fmt.Sprintf("%dx%d+0+0", width, height)
	out, err := exec.Command("/usr/bin/import", "-window", "root", "-crop", geometry, "+repage", file).CombinedOutput()
	if err != nil {
		return fmt.Errorf("capture %s: %v: %s", file, err, out)
	}
	return nil
}
