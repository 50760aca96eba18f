package engine

import (
	"context"
	"io"
	"sync"
	"time"

	"github.com/ligne-app/ligne/media"
	"github.com/ligne-app/ligne/softphone"
)

// deviceRate is the rate the tone endpoints run at.
const deviceRate = 48000

// Audio routes the sound card to calls. The current call has the
// microphone and the loudspeaker; an incoming call rings the ring device,
// or plays the call-waiting tone over the current call; an outgoing call
// hears the French ringback until it is answered or sends early media, and
// the busy tone when the callee is busy.
type Audio struct {
	Call     *media.CallAudio
	backend  media.AudioBackend
	ring     *media.Endpoint // the ringing device: the ringtone
	cue      *media.Endpoint // the call device: ringback, call waiting, busy
	mu       sync.Mutex
	ringtone string
	current  *softphone.Call
	ringing  map[string]bool
	ringback string // the outgoing call hearing ringback
	busyTill time.Time
	conf     *conference
}

// conference is a local three-way call in progress.
type conference struct {
	a, b *softphone.Call
	stop func()
}

// newAudio opens the devices and starts following the phone's calls.
func newAudio(ctx context.Context, cfg Config, phone *softphone.Phone) (*Audio, error) {
	call, err := media.NewCallAudio(ctx, cfg.Audio, media.CallAudioConfig{Microphone: cfg.Microphone, Speaker: cfg.Speaker, Logger: cfg.Logger})
	if err != nil {
		return nil, err
	}
	a := &Audio{Call: call, backend: cfg.Audio, ringtone: cfg.Ringtone, ringing: map[string]bool{},
		ring: media.OpenEndpoint(ctx, cfg.Audio, media.EndpointConfig{Kind: media.Playback, Preferred: cfg.Ringer, Rate: deviceRate, Logger: cfg.Logger}),
		cue:  media.OpenEndpoint(ctx, cfg.Audio, media.EndpointConfig{Kind: media.Playback, Preferred: cfg.Speaker, Rate: deviceRate, Logger: cfg.Logger}),
	}
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
		a.setCurrent(e.Call)
	case softphone.CallHoldEvent:
		if !e.LocalHold && e.Call != nil && !a.inConference(e.Call) {
			a.setCurrent(e.Call)
		}
	case softphone.CallEndedEvent:
		a.ended(e)
	}
	a.updateTones()
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
		a.Call.Attach(nil)
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
	a.current = c
	a.Call.Attach(c.Media())
}

// updateTones sets what the ring and call devices play besides the call.
func (a *Audio) updateTones() {
	a.ring.SetSource(nil)
	a.cue.SetSource(nil)
	switch {
	case len(a.ringing) > 0 && a.current != nil:
		a.cue.SetSource(media.NewToneReader(media.ToneCallWaitingFR(), deviceRate))
	case len(a.ringing) > 0:
		a.ring.SetSource(a.ringtoneReader())
	case a.ringback != "":
		a.cue.SetSource(media.NewToneReader(media.ToneRingbackFR(), deviceRate))
	case time.Now().Before(a.busyTill):
		a.cue.SetSource(media.NewToneReaderFor(media.ToneBusyFR(), deviceRate, time.Until(a.busyTill)))
	}
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
	if x.Media() == nil || y.Media() == nil {
		return
	}
	a.current = nil
	a.conf = &conference{a: x, b: y, stop: a.Call.Conference(ctx, x.Media(), y.Media())}
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

// Devices lists the sound card's devices of kind.
func (a *Audio) Devices(kind media.DeviceKind) ([]media.DeviceInfo, error) {
	return a.backend.Devices(kind)
}

// SetDevices switches the microphone, loudspeaker and ringing device now
// (zero values: the system default).
func (a *Audio) SetDevices(mic, speaker, ringer media.DeviceInfo) {
	m, s := a.Call.Devices()
	m.SetPreferred(mic)
	s.SetPreferred(speaker)
	a.cue.SetPreferred(speaker)
	a.ring.SetPreferred(ringer)
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
	a.endConference()
	a.mu.Unlock()
	a.ring.Close()
	a.cue.Close()
	a.Call.Close()
}
