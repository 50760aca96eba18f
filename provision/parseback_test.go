package provision_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ligne-app/ligne/provision"
	"github.com/ligne-app/ligne/selfcare"
)

// want checks parameters against expected values and reports each mismatch.
func want(t *testing.T, file string, got map[string]string, expect map[string]string) {
	t.Helper()
	for k, v := range expect {
		if g, ok := got[k]; !ok || g != v {
			t.Errorf("%s: %s = %q (present %v), want %q", file, k, g, ok, v)
		}
	}
}

func TestYealinkFilesParseBackToTheSettings(t *testing.T) {
	for _, m := range selfcare.Models() {
		if m.Vendor != selfcare.VendorYealink {
			continue
		}
		for _, in := range []provision.Input{fixture(t, m.Name, m.FunctionKeyCapacity()), rich(fixture(t, m.Name, 3))} {
			files := render(t, in)
			dev, err := provision.ParseYealink(files[in.Device.MAC+".cfg"])
			if err != nil {
				t.Fatalf("%s: %v", m.Name, err)
			}
			checkYealinkAccount(t, in, dev)
			checkYealinkSettings(t, in, dev)
			checkYealinkKeys(t, in, dev)
			common, err := provision.ParseYealink(files[provision.YealinkCommonFile(m)])
			if err != nil {
				t.Fatalf("%s common: %v", m.Name, err)
			}
			want(t, m.Name+" common", common, map[string]string{"sip.notify_reboot_enable": "0", "features.feature_key_sync.enable": "1",
				"features.pickup.direct_pickup_code": "**", "static.auto_provision.repeat.enable": "1"})
		}
	}
}

func checkYealinkAccount(t *testing.T, in provision.Input, p map[string]string) {
	t.Helper()
	a := in.Account
	transport := map[selfcare.Transport]string{selfcare.TransportUDP: "0", selfcare.TransportTCP: "1", selfcare.TransportTLS: "2"}[a.Transport]
	want(t, in.Model.Name, p, map[string]string{
		"account.1.enable": "1", "account.1.user_name": a.User, "account.1.auth_name": a.AuthUser,
		"account.1.display_name": a.DisplayName, "account.1.password": in.Password, "account.1.label": in.Line.Extension,
		"account.1.sip_server.1.address": "sip.lemoine-equipements.fr", "account.1.sip_server.1.port": "5060",
		"account.1.sip_server.1.transport_type": transport,
		"voice_mail.number.1":                   in.Company.VoicemailNumber, "account.1.subscribe_mwi": "1",
		"account.1.feature_key_sync.enable": "1", "static.auto_provision.server.url": in.Server.URL,
		"static.auto_provision.server.username": in.Server.User, "static.auto_provision.server.password": in.Server.Password,
	})
	if a.OutboundProxy != "" {
		want(t, in.Model.Name, p, map[string]string{"account.1.outbound_proxy_enable": "1",
			"account.1.outbound_proxy.1.address": "proxy.lemoine-equipements.fr", "account.1.outbound_proxy.1.port": "5070"})
	}
}

func checkYealinkSettings(t *testing.T, in provision.Input, p map[string]string) {
	t.Helper()
	s, f := in.Device.Settings, in.Forward
	ring := "Resource:" + s.Ringtone
	if name, ok := s.CustomRingtone(); ok {
		ring = "Config:" + name
		want(t, in.Model.Name, p, map[string]string{"ringtone.url": in.Server.URL + "ringtones/" + name})
	}
	always := f.Always
	if always == "" {
		always = f.DNDTarget
	}
	// Yealink counts no-answer in 6-second rings: 20 s is 3 rings, 25 s is 4.
	rings := map[int]string{20: "3", 25: "4"}[int(f.NoAnswerDelay.Seconds())]
	want(t, in.Model.Name, p, map[string]string{
		"phone_setting.ring_type": ring, "phone_setting.phone_lock.enable": b(s.LockEnabled),
		"phone_setting.phone_lock.lock_time_out": fmt.Sprint(s.LockTimeout),
		"account.1.codec.g722.enable":            b(s.AudioQuality == selfcare.AudioWideband),
		"features.blf.show_callinfo.enable":      b(s.ShowSupervisedCaller), "features.dnd.enable": b(f.DND),
		"forward.always.enable": b(always != ""), "forward.always.target": always,
		"forward.no_answer.enable": b(f.NoAnswer != ""), "forward.no_answer.target": f.NoAnswer, "forward.no_answer.timeout": rings,
	})
	if s.LockEnabled {
		want(t, in.Model.Name, p, map[string]string{"phone_setting.phone_lock.unlock_pin": s.LockCode})
	}
}

// checkYealinkKeys walks every key of the model: the line first, the
// function keys in order on the phone then on expansion modules, the rest
// cleared.
func checkYealinkKeys(t *testing.T, in provision.Input, p map[string]string) {
	t.Helper()
	m := in.Model
	for i := range m.KeyCapacity() {
		prefix := fmt.Sprintf("linekey.%d", i+1)
		if i >= m.LineKeys {
			j := i - m.LineKeys
			prefix = fmt.Sprintf("expansion_module.%d.key.%d", j/m.ExpansionKeys+1, j%m.ExpansionKeys+1)
		}
		switch {
		case i == 0:
			want(t, m.Name, p, map[string]string{prefix + ".type": "15", prefix + ".line": "1", prefix + ".label": "4021"})
		case i-1 < len(in.Keys):
			k := in.Keys[i-1]
			typ := map[selfcare.KeyKind]string{selfcare.KeySupervision: "16", selfcare.KeyShortcut: "13"}[k.Kind]
			want(t, m.Name, p, map[string]string{prefix + ".type": typ, prefix + ".value": k.Number, prefix + ".label": k.Label})
			if k.Kind == selfcare.KeySupervision {
				want(t, m.Name, p, map[string]string{prefix + ".pickup_value": "**" + k.Number})
			}
		default:
			want(t, m.Name, p, map[string]string{prefix + ".type": "0"})
		}
	}
	if _, ok := p[fmt.Sprintf("linekey.%d.type", m.LineKeys+1)]; ok {
		t.Errorf("%s: a key beyond the phone's %d keys", m.Name, m.LineKeys)
	}
}

func b(v bool) string {
	if v {
		return "1"
	}
	return "0"
}

func TestPolycomFilesParseBackToTheSettings(t *testing.T) {
	for _, m := range selfcare.Models() {
		if m.Vendor != selfcare.VendorPolycom {
			continue
		}
		for _, in := range []provision.Input{fixture(t, m.Name, m.FunctionKeyCapacity()), rich(fixture(t, m.Name, 3))} {
			files := render(t, in)
			p, err := provision.ParsePolycom(files[in.Device.MAC+"-ligne.cfg"])
			if err != nil {
				t.Fatalf("%s: %v", m.Name, err)
			}
			checkPolycomAccount(t, in, p)
			checkPolycomSettings(t, in, p)
			checkPolycomKeys(t, in, p, files[in.Device.MAC+"-directory.xml"])
			master, err := provision.ParsePolycom(files["000000000000.cfg"])
			if err != nil || master["CONFIG_FILES"] != "[PHONE_MAC_ADDRESS]-ligne.cfg" {
				t.Fatalf("%s master: %v %v", m.Name, master, err)
			}
		}
	}
}

func checkPolycomAccount(t *testing.T, in provision.Input, p map[string]string) {
	t.Helper()
	a := in.Account
	transport := map[selfcare.Transport]string{selfcare.TransportUDP: "UDPOnly", selfcare.TransportTCP: "TCPOnly", selfcare.TransportTLS: "TLS"}[a.Transport]
	want(t, in.Model.Name, p, map[string]string{
		"reg.1.address": "4021@sip.lemoine-equipements.fr", "reg.1.auth.userId": a.AuthUser, "reg.1.auth.password": in.Password,
		"reg.1.displayName": a.DisplayName, "reg.1.lineKeys": "1", "reg.1.server.1.address": "sip.lemoine-equipements.fr",
		"reg.1.server.1.transport": transport, "msg.mwi.1.subscribe": "4021@sip.lemoine-equipements.fr",
		"msg.mwi.1.callBack": "8500", "reg.1.serverFeatureControl.cf": "1", "reg.1.serverFeatureControl.dnd": "1",
		"device.prov.serverName": in.Server.URL, "device.prov.user": in.Server.User, "device.prov.password": in.Server.Password,
		"voIpProt.SIP.specialEvent.checkSync.alwaysReboot": "0",
	})
}

func checkPolycomSettings(t *testing.T, in provision.Input, p map[string]string) {
	t.Helper()
	s, f := in.Device.Settings, in.Forward
	want(t, in.Model.Name, p, map[string]string{
		"reg.1.ringType": s.Ringtone, "phoneLock.enabled": b(s.LockEnabled),
		"attendant.behaviors.display.remoteCallerID.normal": b(s.ShowSupervisedCaller),
		"divert.noanswer.1.enabled":                         b(f.NoAnswer != ""), "divert.noanswer.1.contact": f.NoAnswer,
		"divert.noanswer.1.timeout": fmt.Sprint(int(f.NoAnswerDelay.Seconds())),
		"divert.dnd.1.enabled":      b(f.DNDTarget != ""), "divert.dnd.1.contact": f.DNDTarget, "divert.1.contact": f.Always,
	})
	if s.LockEnabled {
		want(t, in.Model.Name, p, map[string]string{"device.auth.localUserPassword": s.LockCode})
	}
}

// checkPolycomKeys: supervision keys become the attendant list in order,
// shortcuts the directory's speed dials in order.
func checkPolycomKeys(t *testing.T, in provision.Input, p map[string]string, directory []byte) {
	t.Helper()
	dials, err := provision.ParsePolycomDirectory(directory)
	if err != nil {
		t.Fatal(err)
	}
	blf, sd := 0, 0
	for _, k := range in.Keys {
		if k.Kind == selfcare.KeySupervision {
			blf++
			prefix := fmt.Sprintf("attendant.resourceList.%d", blf)
			want(t, in.Model.Name, p, map[string]string{prefix + ".address": k.Number + "@sip.lemoine-equipements.fr",
				prefix + ".label": k.Label, prefix + ".type": "normal"})
			continue
		}
		if sd >= len(dials) || dials[sd].Index != sd+1 || dials[sd].Contact != k.Number || dials[sd].Label != k.Label {
			t.Fatalf("%s: speed dial %d is %+v, want %q %q", in.Model.Name, sd+1, dials, k.Label, k.Number)
		}
		sd++
	}
	if len(dials) != sd {
		t.Errorf("%s: %d speed dials, want %d", in.Model.Name, len(dials), sd)
	}
	if _, ok := p[fmt.Sprintf("attendant.resourceList.%d.address", blf+1)]; ok {
		t.Errorf("%s: more supervision entries than keys", in.Model.Name)
	}
}

func TestValuesCannotAddParameters(t *testing.T) {
	in := fixture(t, "T46U", 2)
	in.Keys[0].Label = "Evil\nstatic.auto_provision.server.url = http://evil.example/\r"
	in.Account.DisplayName = "A\x00B"
	files := render(t, in)
	p, err := provision.ParseYealink(files[yealinkMAC+".cfg"])
	if err != nil {
		t.Fatal(err)
	}
	if p["static.auto_provision.server.url"] != in.Server.URL {
		t.Fatalf("a label changed the provisioning URL: %q", p["static.auto_provision.server.url"])
	}
	if got := p["linekey.2.label"]; !strings.HasPrefix(got, "Evil static.auto_provision") {
		t.Fatalf("label %q", got)
	}
	poly := fixture(t, "VVX 450", 2)
	poly.Keys[0].Label = `"/><device device.prov.serverName="http://evil.example/`
	pp, err := provision.ParsePolycom(render(t, poly)[polyMAC+"-ligne.cfg"])
	if err != nil {
		t.Fatal(err)
	}
	if pp["device.prov.serverName"] != poly.Server.URL || pp["attendant.resourceList.1.label"] != poly.Keys[0].Label {
		t.Fatalf("a label broke out of its attribute: %q / %q", pp["device.prov.serverName"], pp["attendant.resourceList.1.label"])
	}
}
