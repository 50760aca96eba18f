package ui

import (
	"context"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ligne-app/ligne/internal/voicemail"
	"github.com/ligne-app/ligne/media"
	"github.com/ligne-app/ligne/selfcare"
)

// greetingRows lists the greetings ("annonces") with their actions, and
// the buttons to add one.
func (v *mailboxView) greetingRows() []fyne.CanvasObject {
	u := v.u
	var rows []fyne.CanvasObject
	inUse := false
	for _, g := range v.data.greetings {
		rows = append(rows, v.greetingCard(g))
		inUse = inUse || g.InUse
	}
	if !inUse {
		rows = append(rows, muted(u.T("voicemail.greeting.default")+" "+u.T("vm.greeting.default."+v.data.system.Language)))
	}
	add := widget.NewButtonWithIcon(u.T("vm.greeting.upload"), theme.UploadIcon(), v.showImport)
	rec := widget.NewButtonWithIcon(u.T("vm.greeting.record"), theme.MediaRecordIcon(), v.showRecorder)
	if len(v.data.greetings) >= selfcare.MaxGreetings {
		add.Disable()
		rec.Disable()
		rows = append(rows, muted(u.T("vm.greeting.full", selfcare.MaxGreetings)))
	}
	return append(rows, container.NewHBox(add, rec))
}

func (v *mailboxView) greetingCard(g selfcare.Greeting) fyne.CanvasObject {
	u := v.u
	text := bold(g.Name + " · " + formatDuration(g.Duration))
	var state fyne.CanvasObject = widget.NewButton(u.T("vm.greeting.use"), func() {
		v.act(func(mb *voicemail.Mailbox) error { return mb.Store().UseGreeting(u.ctx, g.ID) }, nil)
	})
	if g.InUse {
		state = chip(colorExternal, u.T("voicemail.greeting.inuse"))
	}
	listen := widget.NewButtonWithIcon(u.T("vm.listen"), theme.MediaPlayIcon(), func() {
		if v.mb != nil {
			u.showError(v.err, v.player.play(g.Name, v.mb.Path(g.Path)))
		}
	})
	rename := widget.NewButton(u.T("vm.greeting.rename"), func() { v.showRename(g) })
	del := widget.NewButtonWithIcon(u.T("vm.delete"), theme.DeleteIcon(), func() {
		v.act(func(mb *voicemail.Mailbox) error { return mb.DeleteGreeting(u.ctx, g.Line, g.ID) }, nil)
	})
	return widget.NewCard("", "", container.NewVBox(container.NewBorder(nil, nil, nil, state, text),
		container.NewHBox(listen, rename, del)))
}

// showRename asks for a greeting's new name.
func (v *mailboxView) showRename(g selfcare.Greeting) {
	u := v.u
	name := widget.NewEntry()
	name.SetText(g.Name)
	errL := errorLabel()
	var d dialog.Dialog
	ok := widget.NewButton(u.T("vm.confirm"), func() {
		v.submit(errL, func(mb *voicemail.Mailbox) error { return mb.Store().RenameGreeting(u.ctx, g.ID, name.Text) }, func() { d.Hide() })
	})
	d = v.dialog(u.T("vm.greeting.rename"), container.NewVBox(name, errL), ok)
}

// dialog shows content with a confirm button and a cancel button.
func (v *mailboxView) dialog(title string, content fyne.CanvasObject, confirm *widget.Button) dialog.Dialog {
	var d dialog.Dialog
	cancel := widget.NewButton(v.u.T("vm.cancel"), func() { d.Hide() })
	confirm.Importance = widget.HighImportance
	d = dialog.NewCustomWithoutButtons(title, container.NewBorder(nil, container.NewHBox(cancel, confirm), nil, nil, content), v.u.win)
	d.Resize(fyne.NewSize(520, 300))
	d.Show()
	return d
}

// submit runs a change off the Fyne goroutine; on success it closes the
// dialog and reloads, on error it shows the error in the dialog.
func (v *mailboxView) submit(errL *widget.Label, f func(*voicemail.Mailbox) error, done func()) {
	if v.mb == nil {
		return
	}
	load(v.u, func() (struct{}, error) { return struct{}{}, f(v.mb) }, func(struct{}) {
		done()
		v.reload()
	}, func(err error) { v.u.showError(errL, err) })
}

// showImport asks for an MP3 or WAV file and a name.
func (v *mailboxView) showImport() {
	u := v.u
	file, name := widget.NewEntry(), widget.NewEntry()
	file.SetPlaceHolder(u.T("vm.greeting.file"))
	name.SetPlaceHolder(u.T("vm.greeting.name"))
	use := widget.NewCheck(u.T("vm.greeting.use"), nil)
	use.SetChecked(true)
	browse := widget.NewButtonWithIcon(u.T("vm.browse"), theme.FolderOpenIcon(), func() { v.browse(file, name) })
	errL := errorLabel()
	var d dialog.Dialog
	ok := widget.NewButton(u.T("vm.confirm"), func() {
		line := v.data.line.Kind
		v.submit(errL, func(mb *voicemail.Mailbox) error {
			_, err := mb.ImportGreeting(u.ctx, line, name.Text, file.Text, use.Checked)
			return err
		}, func() { d.Hide() })
	})
	d = v.dialog(u.T("vm.greeting.upload"), container.NewVBox(wrapped(u.T("vm.greeting.rules")),
		container.NewBorder(nil, nil, nil, browse, file), name, use, errL), ok)
}

// browse fills the path (and a default name) from the file dialog.
func (v *mailboxView) browse(file, name *widget.Entry) {
	fd := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		_ = r.Close()
		file.SetText(r.URI().Path())
		if name.Text == "" {
			base := filepath.Base(r.URI().Path())
			name.SetText(strings.TrimSuffix(base, filepath.Ext(base)))
		}
	}, v.u.win)
	fd.SetFilter(storage.NewExtensionFileFilter([]string{".mp3", ".wav", ".MP3", ".WAV"}))
	fd.Show()
}

// greetingRecorder is the microphone dialog's state.
type greetingRecorder struct {
	v       *mailboxView
	audio   *vmAudio
	capture *voicemail.GreetingCapture
	ep      *media.Endpoint
	cancel  context.CancelFunc
	back    *media.Endpoint // playing the recording back
	backAud *vmAudio
	meter   *widget.ProgressBar
	elapsed *widget.Label
	rec     *widget.Button
}

// showRecorder records a greeting from the microphone with a level meter.
func (v *mailboxView) showRecorder() {
	u := v.u
	r := &greetingRecorder{v: v, audio: &vmAudio{u: u}, meter: widget.NewProgressBar(), elapsed: muted("0:00")}
	r.meter.TextFormatter = func() string { return "" }
	name := widget.NewEntry()
	name.SetPlaceHolder(u.T("vm.greeting.name"))
	r.rec = widget.NewButtonWithIcon(u.T("vm.rec"), theme.MediaRecordIcon(), r.toggle)
	listen := widget.NewButtonWithIcon(u.T("vm.listen"), theme.MediaPlayIcon(), r.playBack)
	errL := errorLabel()
	var d dialog.Dialog
	ok := widget.NewButton(u.T("vm.confirm"), func() {
		r.stop()
		if r.capture == nil {
			u.showError(errL, selfcare.Errorf(selfcare.CodeFileEmpty, "file"))
			return
		}
		pcm, rate := r.capture.PCM()
		line := v.data.line.Kind
		v.submit(errL, func(mb *voicemail.Mailbox) error {
			_, err := mb.SaveRecordedGreeting(u.ctx, line, name.Text, pcm, rate, true)
			return err
		}, func() { d.Hide() })
	})
	d = v.dialog(u.T("vm.greeting.record"), container.NewVBox(wrapped(u.T("vm.greeting.speak")), name,
		container.NewBorder(nil, nil, r.rec, r.elapsed, r.meter), listen, errL), ok)
	d.SetOnClosed(func() { r.stop(); r.stopPlayBack() })
}

// toggle starts or stops recording.
func (r *greetingRecorder) toggle() {
	if r.ep != nil {
		r.stop()
		return
	}
	u := r.v.u
	ctx, cancel := context.WithCancel(u.ctx)
	r.capture, r.cancel = voicemail.NewGreetingCapture(vmDeviceRate), cancel
	r.ep = r.audio.open(ctx, media.Capture, selfcare.SettingCaptureDevice)
	if r.ep == nil {
		cancel()
		return
	}
	r.ep.SetSink(r.capture)
	r.rec.SetText(u.T("vm.stop"))
	r.rec.SetIcon(theme.MediaStopIcon())
	c := r.capture
	u.every(100*time.Millisecond, func() bool { return r.tick(c) })
}

// tick moves the level meter while c records.
func (r *greetingRecorder) tick(c *voicemail.GreetingCapture) bool {
	if r.capture != c || r.ep == nil {
		r.meter.SetValue(0)
		return false
	}
	r.meter.SetValue(min(1, c.Level()*4))
	r.elapsed.SetText(vmClock(c.Duration()))
	if c.Duration() >= selfcare.MaxGreetingDuration {
		r.stop()
	}
	return true
}

// stop releases the microphone.
func (r *greetingRecorder) stop() {
	if r.ep == nil {
		return
	}
	r.ep.SetSink(nil)
	_ = r.ep.Close()
	r.cancel()
	r.audio.close()
	r.ep = nil
	r.rec.SetText(r.v.u.T("vm.rec"))
	r.rec.SetIcon(theme.MediaRecordIcon())
}

// playBack plays what was recorded on the chosen output device.
func (r *greetingRecorder) playBack() {
	r.stop()
	r.stopPlayBack()
	if r.capture == nil {
		return
	}
	pcm, rate := r.capture.PCM()
	r.backAud = &vmAudio{u: r.v.u}
	r.back = r.backAud.open(r.v.u.ctx, media.Playback, selfcare.SettingPlaybackDevice)
	if r.back != nil {
		r.back.SetSource(voicemail.NewPlayback(pcm, rate))
	}
}

// stopPlayBack releases the output device.
func (r *greetingRecorder) stopPlayBack() {
	if r.back != nil {
		_ = r.back.Close()
		r.back = nil
	}
	if r.backAud != nil {
		r.backAud.close()
		r.backAud = nil
	}
}
