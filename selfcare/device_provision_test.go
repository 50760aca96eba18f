package selfcare

import (
	"strings"
	"testing"
)

func TestFunctionKeyCapacityLeavesTheLineItsKey(t *testing.T) {
	for name, want := range map[string]int{"T46U": 206, "T41S": 14, "VVX 250": 3, "VVX 450": 95} {
		if m, _ := FindModel(name); m.FunctionKeyCapacity() != want {
			t.Errorf("%s: %d function keys, want %d", name, m.FunctionKeyCapacity(), want)
		}
	}
}

func TestPolyDefaultRingIsNotSilent(t *testing.T) {
	m, _ := FindModel("VVX 450")
	if got := DefaultDeviceSettings(m).Ringtone; got == "ringer1" {
		t.Fatalf("a new Poly would ring with %s, Poly's silent ring", got)
	}
}

func TestUploadedRingtoneRules(t *testing.T) {
	yl, _ := FindModel("T46U")
	poly, _ := FindModel("VVX 450")
	base := DefaultDeviceSettings(yl)
	cases := []struct {
		model Model
		ring  string
		want  Code
	}{
		{yl, "custom:carillon.wav", ""},
		{yl, "custom:Mon-Carillon_2.WAV", ""},
		{yl, "custom:../ligne.db", CodePathInvalid},
		{yl, "custom:..wav", CodePathInvalid},
		{yl, "custom:a b.wav", CodePathInvalid},
		{yl, "custom:carillon.mp3", CodePathInvalid},
		{yl, "custom:" + strings.Repeat("a", 70) + ".wav", CodePathInvalid},
		{poly, "custom:carillon.wav", CodeRingtoneBuiltInOnly},
		{poly, "ringer5", ""},
	}
	for _, c := range cases {
		s := base
		if c.model.Vendor == VendorPolycom {
			s = DefaultDeviceSettings(c.model)
		}
		s.Ringtone = c.ring
		if got := ErrorCode(s.Validate(c.model)); got != c.want {
			t.Errorf("%s on %s: %q, want %q", c.ring, c.model.Name, got, c.want)
		}
	}
	err := Errorf(CodeRingtoneBuiltInOnly, "ringtone", "VVX 450")
	if !strings.Contains(err.Message(LangFrench), "VVX 450") {
		t.Fatal(err.Message(LangFrench))
	}
}

func TestProvisioningConfigValidate(t *testing.T) {
	cases := []struct {
		c    ProvisioningConfig
		want Code
	}{
		{ProvisioningConfig{}, ""},
		{ProvisioningConfig{Enabled: true, HTTPAddr: ":8089"}, ""},
		{ProvisioningConfig{Enabled: true, HTTPSAddr: "192.0.2.10:8443"}, ""},
		{ProvisioningConfig{Enabled: true, HTTPAddr: "127.0.0.1:0"}, ""},
		{ProvisioningConfig{Enabled: true}, CodeRequired},
		{ProvisioningConfig{Enabled: true, HTTPAddr: "8089"}, CodeHostPortInvalid},
		{ProvisioningConfig{Enabled: true, HTTPAddr: ":99999"}, CodeHostPortInvalid},
		{ProvisioningConfig{Enabled: true, HTTPSAddr: "bad host:8443"}, CodeHostPortInvalid},
		{ProvisioningConfig{Enabled: true, HTTPSAddr: ":8443", CertFile: "c.pem"}, CodeRequired},
	}
	for _, c := range cases {
		if got := ErrorCode(c.c.Validate()); got != c.want {
			t.Errorf("%+v: %q, want %q", c.c, got, c.want)
		}
	}
}

func TestParsePhoneAgent(t *testing.T) {
	for _, c := range []struct {
		ua   string
		want PhoneAgent
	}{
		{"Yealink SIP-T46U 108.86.0.45 805ec0a1b2c3", PhoneAgent{Vendor: "Yealink", Model: "T46U", Firmware: "108.86.0.45", MAC: "805ec0a1b2c3"}},
		{"Yealink SIP-T54W 96.86.0.100", PhoneAgent{Vendor: "Yealink", Model: "T54W", Firmware: "96.86.0.100"}},
		{"FileTransport PolycomVVX-VVX_450-UA/6.4.3.5156 Type/Application", PhoneAgent{Vendor: "Poly", Model: "VVX 450", Firmware: "6.4.3.5156"}},
		{"curl/8.5.0", PhoneAgent{}},
		{"", PhoneAgent{}},
	} {
		if got := ParsePhoneAgent(c.ua); got != c.want {
			t.Errorf("%q: %+v, want %+v", c.ua, got, c.want)
		}
	}
}

func TestSIPAddressAndSyncResult(t *testing.T) {
	for addr, ok := range map[string]bool{"": true, "192.0.2.46": true, "192.0.2.46:5062": true, "poste.local": true, "bad address": false, "host:0": false} {
		if got := ValidateSIPAddress("sip_address", addr) == nil; got != ok {
			t.Errorf("%q: valid %v, want %v", addr, got, ok)
		}
	}
	if (SyncResult{Status: 200}).OK() == false || (SyncResult{Status: 486}).OK() || (SyncResult{}).OK() {
		t.Fatal("SyncResult.OK")
	}
}
