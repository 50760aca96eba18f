package selfcare

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestNormalizeNumber(t *testing.T) {
	cases := []struct {
		in   string
		want string
		kind NumberKind
	}{
		{"+33 1 23 45 67 89", "+33123456789", NumberE164},
		{"01 23 45 67 89", "+33123456789", NumberE164},
		{"01.23.45.67.89", "+33123456789", NumberE164},
		{"0033123456789", "+33123456789", NumberE164},
		{"tel:+44 20 7946 0958", "+442079460958", NumberE164},
		{"4021", "4021", NumberExtension},
		{"112", "112", NumberService},
		{"3949", "3949", NumberService},
		{"sip:alice@example.com", "sip:alice@example.com", NumberSIPURI},
		{"(06) 12-34-56-78", "+33612345678", NumberE164},
	}
	for _, c := range cases {
		got, kind, err := NormalizeNumber("n", c.in)
		if err != nil || got != c.want || kind != c.kind {
			t.Errorf("%q -> %q %v %v, want %q %v", c.in, got, kind, err, c.want, c.kind)
		}
	}
	for _, bad := range []string{"", "abc", "01 23 45", "+0123456789", "1234567", "sip:", "sip:@host", "06 12 34 56 78 #", "+33 1 23 45 67 89 01 23 45"} {
		if _, _, err := NormalizeNumber("n", bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if !SameNumber("01 23 45 67 89", "+33123456789") || SameNumber("4021", "4022") {
		t.Error("SameNumber")
	}
	if FormatNumber("+33123456789") != "01 23 45 67 89" {
		t.Error(FormatNumber("+33123456789"))
	}
}

func TestNormalizeMAC(t *testing.T) {
	for in, want := range map[string]string{"80:5E:C0:AA:BB:CC": "805ec0aabbcc", "80-5e-c0-aa-bb-cc": "805ec0aabbcc", "0004f2abcdef": "0004f2abcdef"} {
		if got, err := NormalizeMAC("mac", in); err != nil || got != want {
			t.Errorf("%q -> %q %v", in, got, err)
		}
	}
	for _, bad := range []string{"", "80:5E:C0:AA:BB", "80:5E:C0:AA:BB:CG", "000000000000", "ff:ff:ff:ff:ff:ff", "805ec0aabbccdd"} {
		if _, err := NormalizeMAC("mac", bad); ErrorCode(err) != CodeMACInvalid {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

func TestDeviceValidate(t *testing.T) {
	m, _ := FindModel("t46u")
	ok := Device{Model: "T46U", MAC: "805ec0aabbcc", Label: "Bureau", Line: LineFixed, Settings: DefaultDeviceSettings(m)}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		mod  func(*Device)
		want Code
	}{
		{"unknown model", func(d *Device) { d.Model = "T99" }, CodeModelUnknown},
		{"bad mac", func(d *Device) { d.MAC = "zz" }, CodeMACInvalid},
		{"ringtone of another vendor", func(d *Device) { d.Settings.Ringtone = "ringer3" }, CodeRingtoneUnknown},
		{"custom ringtone", func(d *Device) { d.Settings.Ringtone = "custom:bell.wav" }, ""},
		{"lock code short", func(d *Device) { d.Settings.LockEnabled, d.Settings.LockCode = true, "12" }, CodePINInvalid},
		{"lock code letters", func(d *Device) { d.Settings.LockEnabled, d.Settings.LockCode = true, "12ab" }, CodePINInvalid},
		{"lock code ok", func(d *Device) { d.Settings.LockEnabled, d.Settings.LockCode = true, "2468" }, ""},
		{"lock timeout too long", func(d *Device) { d.Settings.LockTimeout = 3601 }, CodeOutOfRange},
		{"audio quality", func(d *Device) { d.Settings.AudioQuality = "hifi" }, CodeChoiceInvalid},
		{"label too long", func(d *Device) { d.Label = strings.Repeat("x", 41) }, CodeTooLong},
	}
	for _, c := range cases {
		d := ok
		c.mod(&d)
		if got := ErrorCode(d.Validate()); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

func TestModelCapacities(t *testing.T) {
	for name, want := range map[string]int{"T46U": 27 + 180, "T48S": 29 + 240, "T41S": 15, "VVX 450": 12 + 84} {
		m, ok := FindModel(name)
		if !ok || m.KeyCapacity() != want {
			t.Errorf("%s capacity %d, want %d", name, m.KeyCapacity(), want)
		}
	}
}

func keyContacts() ContactList {
	return ContactList{
		{ID: "dir:u1", Kind: ContactInternal, Name: "Alice Martin", Extension: "4001"},
		{ID: "ext:1", Kind: ContactExternal, Name: "Plombier Dupont", Numbers: []TypedNumber{{NumberWork, "+33140000000"}}},
	}
}

func TestValidateKeys(t *testing.T) {
	all := Rights{SupervisionKeys: true, ShortcutKeys: true}
	sup := FunctionKey{Position: 1, Kind: KeySupervision, ContactID: "dir:u1"}
	short := FunctionKey{Position: 2, Kind: KeyShortcut, ContactID: "ext:1"}
	cases := []struct {
		name string
		keys []FunctionKey
		r    Rights
		cap  int
		want Code
	}{
		{"both kinds", []FunctionKey{sup, short}, all, 27, ""},
		{"supervision of external", []FunctionKey{{Position: 1, Kind: KeySupervision, ContactID: "ext:1"}}, all, 27, CodeSupervisionInternalOnly},
		{"shortcut to internal", []FunctionKey{{Position: 1, Kind: KeyShortcut, ContactID: "dir:u1"}}, all, 27, CodeShortcutExternalOnly},
		{"supervision not granted", []FunctionKey{sup}, Rights{ShortcutKeys: true}, 27, CodeRightDenied},
		{"shortcut not granted", []FunctionKey{short}, Rights{SupervisionKeys: true}, 27, CodeRightDenied},
		{"over capacity", []FunctionKey{sup, short}, all, 1, CodeKeysOverCapacity},
		{"duplicate position", []FunctionKey{sup, {Position: 1, Kind: KeyShortcut, ContactID: "ext:1"}}, all, 27, CodeKeyPositionInvalid},
		{"unknown contact", []FunctionKey{{Position: 1, Kind: KeyShortcut, ContactID: "ext:9"}}, all, 27, CodeContactUnknown},
		{"supervision limit", []FunctionKey{sup, {Position: 2, Kind: KeySupervision, ContactID: "dir:u1"}}, Rights{SupervisionKeys: true, MaxSupervised: 1}, 27, CodeSupervisionLimit},
	}
	for _, c := range cases {
		err := ValidateKeys(c.keys, keyContacts(), c.r, c.cap, "T46U")
		if got := ErrorCode(err); got != c.want {
			t.Errorf("%s: %q, want %q (%v)", c.name, got, c.want, err)
		}
	}
	err := ValidateKeys([]FunctionKey{sup, short}, keyContacts(), all, 1, "T41S")
	if msg := ErrorMessage(err, LangFrench); !strings.Contains(msg, "T41S") || !strings.Contains(msg, "1 touches") {
		t.Errorf("capacity message should name the model and limit: %q", msg)
	}
}

func TestPresentedNumber(t *testing.T) {
	p := testProfile()
	lines := p.Lines()
	opts := PresentedOptions(LineFixed, lines, p)
	kinds := map[PresentedKind]int{}
	for _, o := range opts {
		kinds[o.Kind]++
	}
	if kinds[PresentDID] != 2 || kinds[PresentMobile] != 1 || kinds[PresentGroup] != 1 || kinds[PresentAdmin] != 1 || kinds[PresentAnonymous] != 0 {
		t.Fatalf("fixed options %+v", kinds)
	}
	if n := len(PresentedOptions(LineMobile, lines, p)); n != len(opts)+1 {
		t.Fatalf("mobile line should add anonymous: %d vs %d", n, len(opts))
	}
	for _, c := range []struct {
		p    PresentedNumber
		want Code
	}{
		{PresentedNumber{Line: LineFixed, Kind: PresentDID, Number: "+33144556677"}, ""},
		{PresentedNumber{Line: LineFixed, Kind: PresentGroup, Number: "+33144550000"}, ""},
		{PresentedNumber{Line: LineFixed, Kind: PresentGroup, Number: "+33144551111"}, CodePresentedNotAllowed}, // group user is not in
		{PresentedNumber{Line: LineFixed, Kind: PresentAnonymous}, CodeAnonymousMobileOnly},
		{PresentedNumber{Line: LineMobile, Kind: PresentAnonymous}, ""},
		{PresentedNumber{Line: LineFixed, Kind: PresentDID, Number: "+33199999999"}, CodePresentedNotAllowed},
	} {
		if got := ErrorCode(ValidatePresented(c.p, lines, p)); got != c.want {
			t.Errorf("%+v: %q, want %q", c.p, got, c.want)
		}
	}
	if d := DefaultPresented(LineFixed, lines, p); d.Number != "+33144556677" {
		t.Errorf("default presented %+v", d)
	}
}

func TestVoicemailSettings(t *testing.T) {
	ok := DefaultVoicemailSettings(LineFixed)
	ok.PIN = "4321"
	if _, err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		mod  func(*VoicemailSettings)
		want Code
	}{
		{"email copy needs address", func(s *VoicemailSettings) { s.EmailCopy = true }, CodeEmailInvalid},
		{"email copy bad address", func(s *VoicemailSettings) { s.EmailCopy, s.EmailCopyAddress = true, "marie@" }, CodeEmailInvalid},
		{"email copy ok", func(s *VoicemailSettings) { s.EmailCopy, s.EmailCopyAddress = true, "marie@example.fr" }, ""},
		{"pin 3 digits", func(s *VoicemailSettings) { s.PIN = "123" }, CodePINInvalid},
		{"pin 9 digits", func(s *VoicemailSettings) { s.PIN = "123456789" }, CodePINInvalid},
		{"always ask needs a pin", func(s *VoicemailSettings) { s.PIN = "" }, CodePINInvalid},
		{"direct access number", func(s *VoicemailSettings) { s.DirectAccess, s.AccessNumber = true, "x" }, CodeNumberInvalid},
		{"sms on fixed line", func(s *VoicemailSettings) { s.SMSNotify.MessageDeposited = true }, CodeSMSMobileOnly},
		{"capacity 0", func(s *VoicemailSettings) { s.Capacity = 0 }, CodeOutOfRange},
		{"max message 5s", func(s *VoicemailSettings) { s.MaxMessage = 5 * time.Second }, CodeOutOfRange},
	}
	for _, c := range cases {
		s := ok
		c.mod(&s)
		if _, err := s.Validate(); ErrorCode(err) != c.want {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
	m := DefaultVoicemailSettings(LineMobile)
	m.PIN, m.SMSNotify.MessageDeposited, m.SMSNumber = "1234", true, "06 12 34 56 78"
	if s, err := m.Validate(); err != nil || s.SMSNumber != "+33612345678" {
		t.Errorf("mobile sms: %+v %v", s.SMSNumber, err)
	}
}

func TestGreetingRules(t *testing.T) {
	var five []Greeting
	for i := 1; i <= 5; i++ {
		five = append(five, Greeting{ID: int64(i), Name: "Annonce " + itoa(i), Duration: time.Second})
	}
	if err := ValidateGreeting(Greeting{Name: "Sixième", Duration: time.Second}, five); ErrorCode(err) != CodeGreetingLimit {
		t.Errorf("sixth greeting: %v", err)
	}
	if err := ValidateGreeting(Greeting{ID: 2, Name: "Renommée", Duration: time.Second}, five); err != nil {
		t.Errorf("rename with five: %v", err)
	}
	if err := ValidateGreeting(Greeting{Name: "annonce 1", Duration: time.Second}, five[:1]); ErrorCode(err) != CodeGreetingNameTaken {
		t.Errorf("same name: %v", err)
	}
	if err := ValidateGreeting(Greeting{Name: "Longue", Duration: 121 * time.Second}, nil); ErrorCode(err) != CodeGreetingTooLong {
		t.Errorf("too long: %v", err)
	}
}

func TestAccountValidate(t *testing.T) {
	ok := Account{User: "4021", Domain: "sip.example.fr", Transport: TransportUDP, Registrar: "sip.example.fr:5060"}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]struct {
		mod  func(*Account)
		want Code
	}{
		"no user":       {func(a *Account) { a.User = "" }, CodeRequired},
		"user space":    {func(a *Account) { a.User = "jean dupont" }, CodeSIPUserInvalid},
		"bad domain":    {func(a *Account) { a.Domain = "exa mple" }, CodeDomainInvalid},
		"bad port":      {func(a *Account) { a.OutboundProxy = "proxy:99999" }, CodeHostPortInvalid},
		"bad transport": {func(a *Account) { a.Transport = "sctp" }, CodeTransportInvalid},
		"bad srtp":      {func(a *Account) { a.SRTP = "maybe" }, CodeSRTPInvalid},
		"srtp required": {func(a *Account) { a.SRTP = SRTPRequired }, ""},
		"ip domain":     {func(a *Account) { a.Domain = "127.0.0.1" }, ""},
		"demo":          {func(a *Account) { *a = Account{Demo: true} }, ""},
	} {
		a := ok
		c.mod(&a)
		if got := ErrorCode(a.Validate()); got != c.want {
			t.Errorf("%s: %q want %q", name, got, c.want)
		}
	}
	if ok.SecretKey() != "sip:4021@sip.example.fr" || ok.AOR() != "sip:4021@sip.example.fr" {
		t.Error(ok.SecretKey(), ok.AOR())
	}
}

func TestClassifyNumber(t *testing.T) {
	for n, want := range map[string]DestClass{"4021": DestInternal, "+33144556677": DestFixedFR, "0612345678": DestMobileFR,
		"+442079460958": DestInternational, "0890123456": DestSpecial, "3949": DestSpecial} {
		if got := ClassifyNumber(n); got != want {
			t.Errorf("%s: %s want %s", n, got, want)
		}
	}
}

func TestUsedMinutes(t *testing.T) {
	c := Consumption{ByClass: map[DestClass]time.Duration{DestFixedFR: 61 * time.Second, DestMobileFR: 30 * time.Second, DestInternal: time.Hour}}
	used, inc := c.UsedMinutes(Allowance{MinutesByClass: map[DestClass]int{DestFixedFR: 100, DestMobileFR: 50}})
	if used != 3 || inc != 150 {
		t.Fatalf("used %d of %d", used, inc)
	}
	if _, inc := c.UsedMinutes(Allowance{MinutesByClass: map[DestClass]int{DestFixedFR: -1}}); inc != -1 {
		t.Fatal("unlimited")
	}
	// an unlimited class (internal calls) does not make the whole plan unlimited
	used, inc = c.UsedMinutes(Allowance{MinutesByClass: map[DestClass]int{DestInternal: -1, DestFixedFR: 100}})
	if used != 2 || inc != 100 {
		t.Fatalf("mixed plan: used %d of %d", used, inc)
	}
}

func TestEveryCodeHasBothLanguages(t *testing.T) {
	for _, c := range Codes() {
		m := messages[c]
		if strings.TrimSpace(m.fr) == "" || strings.TrimSpace(m.en) == "" {
			t.Errorf("%s lacks a message", c)
		}
		if strings.Count(m.fr, "%") != strings.Count(m.en, "%") {
			t.Errorf("%s: French and English take different arguments", c)
		}
	}
}

func TestErrorMessages(t *testing.T) {
	err := Errorf(CodeTooLong, "name", 40)
	if err.Message(LangFrench) != "Trop long : 40 caractères au plus." || err.Message(LangEnglish) != "Too long: 40 characters at most." {
		t.Fatal(err.Message(LangFrench), err.Message(LangEnglish))
	}
	wrapped := errors.Join(errors.New("context"), err)
	if ErrorCode(wrapped) != CodeTooLong || ErrorCode(errors.New("x")) != CodeInternal || ErrorCode(nil) != "" {
		t.Fatal("ErrorCode")
	}
	if ErrorMessage(errors.New("disk I/O"), LangFrench) == "disk I/O" {
		t.Fatal("internal details must not reach the user")
	}
}

func TestContactNormalize(t *testing.T) {
	c, err := NormalizeContact(Contact{Kind: ContactExternal, Name: " Plombier ", Numbers: []TypedNumber{{Number: "01 40 00 00 00"}}, Email: "p@ex.fr"})
	if err != nil || c.Name != "Plombier" || c.Numbers[0].Number != "+33140000000" || c.Numbers[0].Type != NumberWork {
		t.Fatalf("%+v %v", c, err)
	}
	for name, bad := range map[string]Contact{
		"internal":  {Kind: ContactInternal, Name: "x", Numbers: []TypedNumber{{Number: "4001"}}},
		"no name":   {Kind: ContactExternal, Numbers: []TypedNumber{{Number: "4001"}}},
		"no number": {Kind: ContactExternal, Name: "x"},
		"bad email": {Kind: ContactExternal, Name: "x", Numbers: []TypedNumber{{Number: "4001"}}, Email: "x@y"},
	} {
		if _, err := NormalizeContact(bad); err == nil {
			t.Errorf("%s accepted", name)
		}
	}
}

func TestNumberFromURI(t *testing.T) {
	for in, want := range map[string]string{
		"tel:+33-1-23-45-67-89":                  "+33123456789",
		"tel:0123456789;phone-context=+33":       "+33123456789",
		"TEL:+33%201%2023%2045%2067%2089":        "+33123456789",
		"callto:+33123456789":                    "+33123456789",
		"callto://0612345678":                    "+33612345678",
		"sip:+33123456789@sip.example.fr":        "+33123456789",
		"sip:alice@sip.example.fr;transport=tcp": "sip:alice@sip.example.fr",
		"sips:4021@sip.example.fr":               "sips:4021@sip.example.fr",
		"tel:4021":                               "4021",
	} {
		got, err := NumberFromURI(in)
		if err != nil || got != want {
			t.Errorf("%q -> %q %v, want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"http://example.com", "tel:", "tel:abc", "sip:", "mailto:a@b.fr", "callto:"} {
		if _, err := NumberFromURI(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// TestMessageSummary is the RFC 3842 body for the desk phones.
func TestMessageSummary(t *testing.T) {
	got := MessageSummary("sip:4021@example.fr", 2, 5)
	if !strings.Contains(got, "Messages-Waiting: yes\r\n") || !strings.Contains(got, "Voice-Message: 2/5 (0/0)\r\n") ||
		!strings.Contains(got, "Message-Account: sip:4021@example.fr\r\n") {
		t.Fatalf("summary %q", got)
	}
	if got := MessageSummary("sip:4021@example.fr", 0, 5); !strings.Contains(got, "Messages-Waiting: no\r\n") {
		t.Fatalf("no new message: %q", got)
	}
}
