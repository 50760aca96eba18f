package ui

import (
	"context"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ligne-app/ligne/internal/voicemail"
	"github.com/ligne-app/ligne/media"
	"github.com/ligne-app/ligne/selfcare"
)

// deviceRate is the rate of the voicemail's playback and microphone.
const vmDeviceRate = 48000

// vmAudio opens the sound card for the voicemail screen: the chosen output
// device for listening, the chosen microphone for a greeting. Without a
// usable device it falls back to the null device, so that the progress
// still moves (the screen says there is no sound).
type vmAudio struct {
	u       *App
	backend media.AudioBackend
	silent  bool // running on the null device
}

// open starts an endpoint of kind on the device saved under key.
func (a *vmAudio) open(ctx context.Context, kind media.DeviceKind, key string) *media.Endpoint {
	id, _ := a.u.deps.Services.Setting(a.u.ctx, key)
	cfg := media.EndpointConfig{Kind: kind, Preferred: media.DeviceInfo{ID: id}, Rate: vmDeviceRate, Logger: a.u.deps.Logger}
	if a.backend == nil {
		if b, err := media.NewSystemAudioBackend(a.u.deps.Logger); err == nil {
			a.backend = b
		}
	}
	if a.backend != nil {
		if a.silent {
			cfg.Preferred = media.DeviceInfo{}
		}
		ep := media.OpenEndpoint(ctx, a.backend, cfg)
		if a.silent || ep.Status() == nil {
			return ep
		}
		_ = ep.Close()
	}
	return a.openNull(ctx, cfg)
}

// openNull runs the endpoint on the null device.
func (a *vmAudio) openNull(ctx context.Context, cfg media.EndpointConfig) *media.Endpoint {
	a.close()
	b, err := media.NewNullAudioBackend(a.u.deps.Logger)
	if err != nil {
		a.u.deps.Logger.Error("null audio device", "err", err)
		return nil
	}
	a.backend, a.silent = b, true
	cfg.Preferred = media.DeviceInfo{}
	return media.OpenEndpoint(ctx, b, cfg)
}

// close releases the sound system.
func (a *vmAudio) close() {
	if c, ok := a.backend.(interface{ Close() error }); ok {
		_ = c.Close()
	}
	a.backend = nil
}

// vmPlayer is the play/pause bar with its progress and seeking.
type vmPlayer struct {
	u        *App
	audio    *vmAudio
	title    *widget.Label
	pos      *widget.Label
	note     *widget.Label
	button   *widget.Button
	slider   *widget.Slider
	box      *fyne.Container
	playing  *voicemail.Playback
	endpoint *media.Endpoint
	cancel   context.CancelFunc
	key      string // what is loaded (a file path)
	seeking  bool
}

func newVMPlayer(u *App) *vmPlayer {
	p := &vmPlayer{u: u, audio: &vmAudio{u: u}, title: bold(""), pos: muted(""), note: muted("")}
	p.button = widget.NewButtonWithIcon(u.T("vm.play"), theme.MediaPlayIcon(), p.toggle)
	p.slider = widget.NewSlider(0, 1)
	p.slider.Step = 0.001
	p.slider.OnChanged = func(float64) { p.seeking = true }
	p.slider.OnChangeEnded = p.seek
	p.box = container.NewVBox(container.NewBorder(nil, nil, p.button, p.pos, p.title), p.slider, p.note)
	p.box.Hide()
	return p
}

func (p *vmPlayer) object() fyne.CanvasObject { return p.box }

// play loads a file and plays it from the start (or toggles it when it
// is already the one loaded).
func (p *vmPlayer) play(title, path string) error {
	if p.key == path && p.playing != nil {
		p.toggle()
		return nil
	}
	pb, err := voicemail.LoadPlayback(path, vmDeviceRate)
	if err != nil {
		return selfcare.Errorf(selfcare.CodeFileCorrupt, "file", title)
	}
	p.stop()
	ctx, cancel := context.WithCancel(p.u.ctx)
	p.endpoint, p.cancel = p.audio.open(ctx, media.Playback, selfcare.SettingPlaybackDevice), cancel
	if p.endpoint != nil {
		p.endpoint.SetSource(pb)
	}
	p.playing, p.key = pb, path
	p.title.SetText(title)
	p.showSilentNote()
	p.box.Show()
	p.refresh()
	p.u.every(200*time.Millisecond, func() bool { return p.tick(pb) })
	return nil
}

func (p *vmPlayer) showSilentNote() {
	if p.audio.silent {
		p.note.SetText(p.u.T("vm.nosound"))
		p.note.Show()
		return
	}
	p.note.Hide()
}

// tick refreshes the bar while pb is the one loaded.
func (p *vmPlayer) tick(pb *voicemail.Playback) bool {
	if p.playing != pb {
		return false
	}
	p.refresh()
	return true
}

// refresh shows the position and the button's state.
func (p *vmPlayer) refresh() {
	pb := p.playing
	if pb == nil {
		return
	}
	if !p.seeking {
		p.slider.SetValue(pb.Progress())
	}
	p.pos.SetText(vmClock(pb.Position()) + " / " + vmClock(pb.Duration()))
	if pb.Paused() || pb.Progress() >= 1 {
		p.button.SetText(p.u.T("vm.play"))
		p.button.SetIcon(theme.MediaPlayIcon())
	} else {
		p.button.SetText(p.u.T("vm.pause"))
		p.button.SetIcon(theme.MediaPauseIcon())
	}
}

// toggle pauses or resumes (from the start once finished).
func (p *vmPlayer) toggle() {
	if p.playing == nil {
		return
	}
	p.playing.Pause(!p.playing.Paused() && p.playing.Progress() < 1)
	p.refresh()
}

// seek moves to where the slider was dropped.
func (p *vmPlayer) seek(v float64) {
	p.seeking = false
	if p.playing != nil {
		p.playing.Seek(v)
		p.refresh()
	}
}

// stop releases the device.
func (p *vmPlayer) stop() {
	if p.cancel != nil {
		p.cancel()
	}
	if p.endpoint != nil {
		_ = p.endpoint.Close()
	}
	p.audio.close()
	p.audio.silent = false
	p.playing, p.endpoint, p.cancel, p.key = nil, nil, nil, ""
}

// vmClock writes a position as m:ss, like a player does.
func vmClock(d time.Duration) string {
	s := int(d.Round(time.Second).Seconds())
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}
