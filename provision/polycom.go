package provision

import (
	"strings"

	"github.com/ligne-app/ligne/selfcare"
)

// polycomTransport is Poly's reg.X.server.Y.transport value.
func polycomTransport(t selfcare.Transport) string {
	switch t {
	case selfcare.TransportTCP:
		return "TCPOnly"
	case selfcare.TransportTLS:
		return "TLS"
	}
	return "UDPOnly"
}

// Poly device.prov.serverType values.
const (
	polycomProvHTTP  = 2
	polycomProvHTTPS = 3
)

// pollSeconds is how often a Poly phone checks for changes on its own.
const pollSeconds = 86400

// polycomView is what the Poly templates read.
type polycomView struct {
	Model, MAC       string
	Version          int64
	Account          sipAccount
	Transport        string
	AOR              string // user@domain, without sip:
	RingType         string
	Lock             selfcare.DeviceSettings
	ShowCaller       bool
	Always, NoAnswer string
	NoAnswerSeconds  int
	DNDTarget        string
	Voicemail        string
	BLF              []polycomBLF
	SpeedDials       []polycomSpeedDial
	Server           Endpoint
	ServerType       int
}

// polycomBLF is one attendant.resourceList entry (a supervision key).
type polycomBLF struct {
	Index          int
	Address, Label string
}

// polycomSpeedDial is one directory entry with a speed-dial index; Poly
// puts speed dials on the free keys after the line and supervision keys.
type polycomSpeedDial struct {
	Index          int
	Label, Contact string
}

func (r *Renderer) renderPolycom(in Input, slots []slot) ([]File, error) {
	v := newPolycomView(in, slots)
	var out []File
	for _, f := range []struct {
		tmpl, name string
		shared     bool
	}{
		{"vvx-master.cfg.tmpl", PolycomMasterFile, true},
		{"vvx-phone.cfg.tmpl", in.Device.MAC + polycomPhoneFile, false},
		{"vvx-directory.xml.tmpl", in.Device.MAC + polycomDirectory, false},
	} {
		file, err := r.execute(f.tmpl, f.name, f.shared, v)
		if err != nil {
			return nil, err
		}
		out = append(out, file)
	}
	return out, nil
}

func newPolycomView(in Input, slots []slot) polycomView {
	s := in.Device.Settings
	v := polycomView{
		Model: in.Model.Name, MAC: in.Device.MAC, Version: in.Device.ConfigVersion,
		Account: newSIPAccount(in), Transport: polycomTransport(in.Account.Transport),
		AOR: in.Account.User + "@" + in.Account.Domain, RingType: s.Ringtone, Lock: s,
		ShowCaller: s.ShowSupervisedCaller, Always: in.Forward.Always, NoAnswer: in.Forward.NoAnswer,
		NoAnswerSeconds: int(in.Forward.NoAnswerDelay.Seconds()), DNDTarget: in.Forward.DNDTarget,
		Voicemail: in.Company.VoicemailNumber, Server: in.Server, ServerType: polycomProvHTTP,
	}
	if strings.HasPrefix(in.Server.URL, "https:") {
		v.ServerType = polycomProvHTTPS
	}
	for i, sl := range used(slots, slotBLF) {
		v.BLF = append(v.BLF, polycomBLF{Index: i + 1, Address: blfAddress(sl.Value, in.Account.Domain), Label: sl.Label})
	}
	for i, sl := range used(slots, slotSpeedDial) {
		v.SpeedDials = append(v.SpeedDials, polycomSpeedDial{Index: i + 1, Label: sl.Label, Contact: sl.Value})
	}
	return v
}

// blfAddress is the SIP address a supervision key watches: the extension
// at the user's domain, or the URI itself.
func blfAddress(number, domain string) string {
	if strings.HasPrefix(number, "sip:") {
		return strings.TrimPrefix(number, "sip:")
	}
	return number + "@" + domain
}
