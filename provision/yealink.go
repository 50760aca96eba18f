package provision

import (
	"net"
	"strconv"
	"strings"

	"github.com/ligne-app/ligne/selfcare"
)

// Yealink linekey type codes Ligne writes.
const (
	yealinkKeyNone      = 0
	yealinkKeySpeedDial = 13
	yealinkKeyLine      = 15
	yealinkKeyBLF       = 16
)

// yealinkTransport is Yealink's sip_server transport_type: 0 UDP, 1 TCP,
// 2 TLS.
func yealinkTransport(t selfcare.Transport) int {
	switch t {
	case selfcare.TransportTCP:
		return 1
	case selfcare.TransportTLS:
		return 2
	}
	return 0
}

// registerExpires is the registration lifetime asked for, in seconds.
const registerExpires = 3600

// yealinkView is what the Yealink templates read.
type yealinkView struct {
	Model, Family, MAC string
	Version            int64
	Account            sipAccount
	Transport          int
	Wideband           bool
	RingType, RingURL  string
	Lock               selfcare.DeviceSettings
	ShowCaller         bool
	DND                bool
	Always, NoAnswer   string
	NoAnswerRings      int
	Voicemail          string
	PickupCode         string
	Keys, Expansion    []yealinkKey
	Server             Endpoint
}

// yealinkKey is one key as Yealink writes it.
type yealinkKey struct {
	Module, Index, Type int
	Label, Value        string
	Pickup              string
}

// Used reports whether the key does something (unused keys only get
// their type cleared).
func (k yealinkKey) Used() bool { return k.Type != yealinkKeyNone }

func (r *Renderer) renderYealink(in Input, slots []slot) ([]File, error) {
	v := newYealinkView(in, slots)
	family := strings.ToLower(in.Model.Family)
	dev, err := r.execute("yealink-"+family+".cfg.tmpl", in.Device.MAC+".cfg", false, v)
	if err != nil {
		return nil, err
	}
	common, err := r.execute("yealink-common.cfg.tmpl", YealinkCommonFile(in.Model), true, v)
	if err != nil {
		return nil, err
	}
	return []File{common, dev}, nil
}

func newYealinkView(in Input, slots []slot) yealinkView {
	s := in.Device.Settings
	v := yealinkView{
		Model: in.Model.Name, Family: in.Model.Family, MAC: in.Device.MAC, Version: in.Device.ConfigVersion,
		Account: newSIPAccount(in), Transport: yealinkTransport(in.Account.Transport),
		Wideband: s.AudioQuality != selfcare.AudioNarrowband, Lock: s, ShowCaller: s.ShowSupervisedCaller,
		DND: in.Forward.DND, Always: in.Forward.Always, NoAnswer: in.Forward.NoAnswer,
		Voicemail: in.Company.VoicemailNumber, PickupCode: in.Company.PickupPrefix, Server: in.Server,
	}
	if v.Always == "" {
		v.Always = in.Forward.DNDTarget
	}
	if v.NoAnswer != "" {
		v.NoAnswerRings = yealinkRings(in.Forward.NoAnswerDelay)
	}
	v.RingType, v.RingURL = yealinkRing(s, in.Server.URL)
	for _, sl := range slots {
		k := yealinkKey{Module: sl.Module, Index: sl.Index, Type: yealinkType(sl.Kind), Label: sl.Label, Value: sl.Value, Pickup: sl.Pickup}
		if sl.Module == 0 {
			v.Keys = append(v.Keys, k)
		} else {
			v.Expansion = append(v.Expansion, k)
		}
	}
	return v
}

func yealinkType(k slotKind) int {
	switch k {
	case slotLine:
		return yealinkKeyLine
	case slotBLF:
		return yealinkKeyBLF
	case slotSpeedDial:
		return yealinkKeySpeedDial
	}
	return yealinkKeyNone
}

// yealinkRing returns the ring_type value and, for an uploaded ringtone,
// the URL the phone downloads it from (Ligne's server serves it).
func yealinkRing(s selfcare.DeviceSettings, base string) (ringType, url string) {
	name, custom := s.CustomRingtone()
	if !custom {
		return "Resource:" + s.Ringtone, ""
	}
	if base != "" {
		url = base + RingtonePath + name
	}
	return "Config:" + name, url
}

// RingtonePath is the folder of uploaded ringtones on the server.
const RingtonePath = "ringtones/"

// sipAccount is the line's registration as both vendors write it.
type sipAccount struct {
	Label, DisplayName, AuthName, UserName, Password string
	Domain                                           string
	Server                                           string
	Port                                             int
	Proxy                                            string
	ProxyPort                                        int
	Expires                                          int
}

// HasProxy reports an outbound proxy.
func (a sipAccount) HasProxy() bool { return a.Proxy != "" }

func newSIPAccount(in Input) sipAccount {
	a := in.Account
	name := a.DisplayName
	if name == "" {
		name = a.User
	}
	s := sipAccount{Label: lineLabel(in), DisplayName: name, AuthName: a.EffectiveAuthUser(), UserName: a.User,
		Password: in.Password, Domain: a.Domain, Expires: registerExpires}
	registrar := a.Registrar
	if registrar == "" {
		registrar = a.Domain
	}
	s.Server, s.Port = splitHostPort(registrar, a.Transport)
	if a.OutboundProxy != "" {
		s.Proxy, s.ProxyPort = splitHostPort(a.OutboundProxy, a.Transport)
	}
	return s
}

// splitHostPort splits host[:port], with the transport's default port.
func splitHostPort(hp string, t selfcare.Transport) (string, int) {
	hp = strings.TrimPrefix(hp, "sip:")
	host, port, err := net.SplitHostPort(hp)
	if err != nil {
		if t == selfcare.TransportTLS {
			return hp, 5061
		}
		return hp, 5060
	}
	p, _ := strconv.Atoi(port)
	return host, p
}
