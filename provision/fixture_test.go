package provision_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/ligne-app/ligne/provision"
	"github.com/ligne-app/ligne/selfcare"
)

// macs of the demo phones, and a clock for rendering.
const (
	yealinkMAC = "805ec0a1b2c3"
	polyMAC    = "0004f2a1b2c3"
)

var renderNow = time.Date(2026, 11, 25, 15, 0, 0, 0, time.UTC)

// fixture is a realistic input: Camille Durand's line, with forwarding on
// no answer to the voicemail, a few keys and a server to fetch from.
func fixture(t testing.TB, model string, nKeys int) provision.Input {
	t.Helper()
	m, ok := selfcare.FindModel(model)
	if !ok {
		t.Fatalf("no model %s", model)
	}
	mac := yealinkMAC
	if m.Vendor == selfcare.VendorPolycom {
		mac = polyMAC
	}
	d := selfcare.Device{ID: 1, Model: m.Name, MAC: mac, Label: "Bureau", Line: selfcare.LineFixed,
		Settings: selfcare.DefaultDeviceSettings(m), ConfigVersion: 3}
	return provision.Input{
		Device: d, Model: m, Password: "s3cret&<pw>",
		Account: selfcare.Account{DisplayName: "Camille Durand", User: "4021", AuthUser: "u4021", Domain: "sip.lemoine-equipements.fr",
			Registrar: "sip.lemoine-equipements.fr:5060", Transport: selfcare.TransportUDP},
		Line:    selfcare.Line{Kind: selfcare.LineFixed, Extension: "4021", Numbers: []string{"+33472104021"}},
		Company: selfcare.Company{Name: "Lemoine", SIPDomain: "sip.lemoine-equipements.fr", VoicemailNumber: "8500", PickupPrefix: "**"},
		Keys:    keys(nKeys),
		Forward: provision.PhoneForward{NoAnswer: "8500", NoAnswerDelay: 20 * time.Second},
		Server:  provision.Endpoint{URL: "http://192.0.2.10:8089/", User: mac, Password: "prov-pass"},
	}
}

// keys returns n keys, supervision and shortcut in turn.
func keys(n int) []provision.Key {
	out := make([]provision.Key, n)
	for i := range out {
		if i%2 == 0 {
			out[i] = provision.Key{Kind: selfcare.KeySupervision, Label: fmt.Sprintf("Collègue %d", i+1), Number: fmt.Sprint(4100 + i)}
		} else {
			out[i] = provision.Key{Kind: selfcare.KeyShortcut, Label: fmt.Sprintf("Client %d", i+1), Number: fmt.Sprintf("+3347800%04d", i)}
		}
	}
	return out
}

// rich turns on every setting a phone can carry.
func rich(in provision.Input) provision.Input {
	s := &in.Device.Settings
	s.LockEnabled, s.LockCode, s.LockTimeout = true, "2580", 300
	s.ShowSupervisedCaller = true
	s.AudioQuality = selfcare.AudioNarrowband
	if in.Model.Supports(selfcare.FeatureCustomRingtone) {
		s.Ringtone = "custom:carillon.wav"
	} else {
		s.Ringtone = in.Model.Ringtones[2]
	}
	in.Account.OutboundProxy = "proxy.lemoine-equipements.fr:5070"
	in.Account.Transport = selfcare.TransportTLS
	in.Forward = provision.PhoneForward{Always: "+33612345678", NoAnswer: "8500", NoAnswerDelay: 25 * time.Second, DNDTarget: "8500"}
	in.Keys[0].Label = `Sophie "l'accueil" & <co>`
	return in
}

func render(t testing.TB, in provision.Input) map[string][]byte {
	t.Helper()
	r, err := provision.NewRenderer()
	if err != nil {
		t.Fatal(err)
	}
	files, err := r.Render(in)
	if err != nil {
		t.Fatalf("render %s: %v", in.Model.Name, err)
	}
	out := map[string][]byte{}
	for _, f := range files {
		out[f.Name] = f.Data
	}
	return out
}
