package engine

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/ligne-app/ligne/media"
	"github.com/ligne-app/ligne/softphone"
)

// deviceRate is the rate the tone endpoints run at.
const deviceRate = 48000

// devicePoll is how often open devices check that they are still there.
const devicePoll = 3 * time.Second

// Audio routes the sound card to calls. The current call has the
// microphone and the loudspeaker; an incoming call rings the ring device,
// or plays the call-waiting tone over the current call; an outgoing call
// hears the French ringback until it is answered or sends early media, and
// the busy tone when the callee is busy.
//
// Devices are open only while they serve: the microphone and loudspeaker
// while a call has them, the ring and tone streams while a tone plays. An
// idle Ligne keeps no stream open and costs no CPU for sound.
type Audio struct {
	ctx      context.Context
	backend  media.AudioBackend
	log      *slog.Logger
	mu       sync.Mutex
	mic, spk media.DeviceInfo
	ringer   media.DeviceInfo
	call     *media.CallAudio // open while a call has the sound card
	ring     *media.Endpoint  // the ringing device, open while it rings
	cue      *media.Endpoint  // the call device, open while a tone plays
	muted    bool
	volume   float64
	ringtone string
	current  *softphone.Call
	ringing  map[string]bool
	ringback string // the outgoing call hearing ringback
	busyTill time.Time
	conf     *conference
	machine  *callSet // calls the voicemail answered: not for the sound card
}

// conference is a local three-way call in progress.
type conference struct {
	a, b *softphone.Call
	stop func()
}

// newAudio starts following the phone's calls; devices open when needed.
func newAudio(ctx context.Context, cfg Config, phone *softphone.Phone, machine *callSet) (*Audio, error) {
	a := &Audio{ctx: ctx, backend: cfg.Audio, log: cfg.Logger, mic: cfg.Microphone, spk: cfg.Speaker, ringer: cfg.Ringer,
		volume: 1, ringtone: cfg.Ringtone, ringing: map[string]bool{}, machine: machine}
	events := phone.Subscribe(ctx)
	go a.follow(ctx, events)
	return a, nil
}

// follow applies the phone's call events until ctx ends.
func (a *Audio) follow(ctx context.Context, events <-chan softphone.Event) {
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-events:
			if !ok {
				return
			}
			a.handle(ev)
		}
	}
}

// handle updates the routing for one event.
func (a *Audio) handle(ev softphone.Event) {
	a.mu.Lock()
	defer a.mu.Unlock()
	switch e := ev.(type) {
	case softphone.CallIncomingEvent:
		a.ringing[e.CallID] = true
	case softphone.CallProgressEvent:
		a.progress(e)
	case softphone.CallAnsweredEvent:
		delete(a.ringing, e.CallID)
		if !a.machine.has(e.CallID) {
			a.setCurrent(e.Call)
		}
	case softphone.CallHoldEvent:
		if !e.LocalHold && e.Call != nil && !a.inConference(e.Call) {
			a.setCurrent(e.Call)
		}
	case softphone.CallEndedEvent:
		a.ended(e)
	}
	a.updateTones()
	a.releaseCallAudio()
}

// progress starts ringback, or lets early media through.
func (a *Audio) progress(e softphone.CallProgressEvent) {
	if e.Call == nil || (a.current != nil && a.current != e.Call) {
		return
	}
	if e.EarlyMedia {
		a.ringback = ""
		a.setCurrent(e.Call)
		return
	}
	a.ringback = e.CallID
}

// ended forgets a call, playing the busy tone when the callee was busy.
func (a *Audio) ended(e softphone.CallEndedEvent) {
	delete(a.ringing, e.CallID)
	a.machine.remove(e.CallID)
	if a.ringback == e.CallID {
		a.ringback = ""
	}
	if e.Reason == softphone.EndBusy && e.Call != nil && e.Call.Direction() == softphone.Outgoing {
		a.busyTill = time.Now().Add(3 * time.Second)
	}
	if a.conf != nil && (a.conf.a.ID() == e.CallID || a.conf.b.ID() == e.CallID) {
		other := a.conf.a
		if other.ID() == e.CallID {
			other = a.conf.b
		}
		a.endConference()
		a.setCurrent(other)
		return
	}
	if a.current != nil && a.current.ID() == e.CallID {
		a.current = nil
		if a.call != nil {
			a.call.Attach(nil)
		}
	}
}

// inConference reports whether c is one of the conference's calls.
func (a *Audio) inConference(c *softphone.Call) bool {
	return a.conf != nil && (a.conf.a == c || a.conf.b == c)
}

// endConference separates the conference's calls.
func (a *Audio) endConference() {
	if a.conf != nil {
		a.conf.stop()
		a.conf = nil
	}
}

// setCurrent gives c the microphone and loudspeaker.
func (a *Audio) setCurrent(c *softphone.Call) {
	if c == nil || c.Media() == nil || a.inConference(c) {
		return
	}
	if a.ringback == c.ID() {
		a.ringback = ""
	}
	ca := a.callAudio()
	if ca == nil {
		return
	}
	a.current = c
	ca.Attach(c.Media())
}

// callAudio opens the microphone and loudspeaker when no call had them.
func (a *Audio) callAudio() *media.CallAudio {
	if a.call != nil {
		return a.call
	}
	ca, err := media.NewCallAudio(a.ctx, a.backend, media.CallAudioConfig{Microphone: a.mic, Speaker: a.spk, Poll: devicePoll, Logger: a.log})
	if err != nil {
		a.log.Warn("the call has no sound", "err", err)
		return nil
	}
	ca.SetMute(a.muted)
	ca.SetSpeakerVolume(a.volume)
	a.call = ca
	return ca
}

// releaseCallAudio closes the microphone and loudspeaker once no call uses them.
func (a *Audio) releaseCallAudio() {
	if a.call != nil && a.current == nil && a.conf == nil {
		a.call.Close()
		a.call = nil
	}
}

// updateTones sets what the ring and call devices play besides the call,
// opening each only while it has something to play.
func (a *Audio) updateTones() {
	var ring, cue io.Reader
	switch {
	case len(a.ringing) > 0 && a.current != nil:
		cue = media.NewToneReader(media.ToneCallWaitingFR(), deviceRate)
	case len(a.ringing) > 0:
		ring = a.ringtoneReader()
	case a.ringback != "":
		cue = media.NewToneReader(media.ToneRingbackFR(), deviceRate)
	case time.Now().Before(a.busyTill):
		cue = media.NewToneReaderFor(media.ToneBusyFR(), deviceRate, time.Until(a.busyTill))
	}
	a.ring = a.play(a.ring, a.ringer, ring)
	a.cue = a.play(a.cue, a.spk, cue)
}

// play makes ep play src on device, opening or closing it as needed.
func (a *Audio) play(ep *media.Endpoint, device media.DeviceInfo, src io.Reader) *media.Endpoint {
	if src == nil {
		if ep != nil {
			ep.Close()
		}
		return nil
	}
	if ep == nil {
		ep = media.OpenEndpoint(a.ctx, a.backend, media.EndpointConfig{Kind: media.Playback, Preferred: device, Rate: deviceRate, Poll: devicePoll, Logger: a.log})
	}
	ep.SetSource(src)
	return ep
}

// ringtoneReader is the chosen ringtone, or the first built-in one.
func (a *Audio) ringtoneReader() io.Reader {
	r, err := media.NewRingtone(a.ringtone, deviceRate)
	if err != nil {
		r, _ = media.NewRingtone("classic", deviceRate)
	}
	return r
}

// Current returns the call that has the microphone and loudspeaker.
func (a *Audio) Current() *softphone.Call {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.current
}

// Focus gives the microphone and loudspeaker to c (swap between calls),
// ending a conference.
func (a *Audio) Focus(c *softphone.Call) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.endConference()
	a.setCurrent(c)
	a.updateTones()
}

// Merge joins two established calls in a three-way conference mixed here:
// each party hears the user and the other party.
func (a *Audio) Merge(ctx context.Context, x, y *softphone.Call) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.endConference()
	ca := a.callAudio()
	if ca == nil || x.Media() == nil || y.Media() == nil {
		return
	}
	a.current = nil
	a.conf = &conference{a: x, b: y, stop: ca.Conference(ctx, x.Media(), y.Media())}
}

// Conference returns the two calls of the conference in progress, if any.
func (a *Audio) Conference() (x, y *softphone.Call, ok bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.conf == nil {
		return nil, nil, false
	}
	return a.conf.a, a.conf.b, true
}

// SetMute mutes or unmutes the microphone of calls.
func (a *Audio) SetMute(m bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.muted = m
	if a.call != nil {
		a.call.SetMute(m)
	}
}

// SetSpeakerVolume sets the loudspeaker volume of calls (1 = unchanged).
func (a *Audio) SetSpeakerVolume(v float64) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.volume = v
	if a.call != nil {
		a.call.SetSpeakerVolume(v)
	}
}

// Devices lists the sound card's devices of kind.
func (a *Audio) Devices(kind media.DeviceKind) ([]media.DeviceInfo, error) {
	return a.backend.Devices(kind)
}

// SetDevices chooses the microphone, loudspeaker and ringing device (zero
// values: the system default), switching the open ones now.
func (a *Audio) SetDevices(mic, speaker, ringer media.DeviceInfo) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.mic, a.spk, a.ringer = mic, speaker, ringer
	if a.call != nil {
		m, s := a.call.Devices()
		m.SetPreferred(mic)
		s.SetPreferred(speaker)
	}
	if a.cue != nil {
		a.cue.SetPreferred(speaker)
	}
	if a.ring != nil {
		a.ring.SetPreferred(ringer)
	}
}

// SetRingtone chooses the built-in ringtone played on incoming calls.
func (a *Audio) SetRingtone(id string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.ringtone = id
}

// Close stops the devices.
func (a *Audio) Close() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.endConference()
	a.current = nil
	a.releaseCallAudio()
	a.ring = a.play(a.ring, a.ringer, nil)
	a.cue = a.play(a.cue, a.spk, nil)
}
