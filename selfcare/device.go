package selfcare

import (
	"strings"
)

// Vendor of a desk phone.
type Vendor string

// Vendors Ligne provisions.
const (
	VendorYealink Vendor = "yealink"
	VendorPolycom Vendor = "polycom"
)

// Model describes what a desk phone model can hold. Key and account
// capacities come from the vendors' data sheets (see the desk-phones
// reference); Family selects the provisioning template.
type Model struct {
	Name          string // "T46U", "VVX 450"
	Vendor        Vendor
	Family        string // "T4xS", "T4xU", "T5x", "VVX"
	CommonID      string // Yealink common file id ("108" for y000000000108.cfg)
	Accounts      int
	LineKeys      int
	ExpansionKeys int // keys per expansion module (0 when none fit)
	Expansions    int // how many expansion modules fit
	Ringtones     []string
	Picture       string // asset name of the model's picture
}

// VendorName is the vendor as users know it.
func (m Model) VendorName() string {
	switch m.Vendor {
	case VendorYealink:
		return "Yealink"
	case VendorPolycom:
		return "Poly"
	}
	return string(m.Vendor)
}

// KeyCapacity is the number of programmable keys including expansion modules.
func (m Model) KeyCapacity() int { return m.LineKeys + m.ExpansionKeys*m.Expansions }

var yealinkRings = []string{"Ring1.wav", "Ring2.wav", "Ring3.wav", "Ring4.wav", "Ring5.wav", "Ring6.wav", "Ring7.wav", "Ring8.wav"}
var polycomRings = []string{"ringer1", "ringer2", "ringer3", "ringer4", "ringer5", "ringer6", "ringer7", "ringer8", "ringer9", "ringer10"}

// models is the catalog of supported desk phones.
var models = []Model{
	{Name: "T41S", Vendor: VendorYealink, Family: "T4xS", CommonID: "068", Accounts: 6, LineKeys: 15, ExpansionKeys: 0, Expansions: 0, Ringtones: yealinkRings, Picture: "t4xs.svg"},
	{Name: "T42S", Vendor: VendorYealink, Family: "T4xS", CommonID: "067", Accounts: 12, LineKeys: 15, Ringtones: yealinkRings, Picture: "t4xs.svg"},
	{Name: "T46S", Vendor: VendorYealink, Family: "T4xS", CommonID: "066", Accounts: 16, LineKeys: 27, ExpansionKeys: 40, Expansions: 6, Ringtones: yealinkRings, Picture: "t4xs.svg"},
	{Name: "T48S", Vendor: VendorYealink, Family: "T4xS", CommonID: "065", Accounts: 16, LineKeys: 29, ExpansionKeys: 40, Expansions: 6, Ringtones: yealinkRings, Picture: "t4xs.svg"},
	{Name: "T42U", Vendor: VendorYealink, Family: "T4xU", CommonID: "116", Accounts: 12, LineKeys: 15, Ringtones: yealinkRings, Picture: "t4xu.svg"},
	{Name: "T43U", Vendor: VendorYealink, Family: "T4xU", CommonID: "107", Accounts: 12, LineKeys: 15, ExpansionKeys: 60, Expansions: 3, Ringtones: yealinkRings, Picture: "t4xu.svg"},
	{Name: "T46U", Vendor: VendorYealink, Family: "T4xU", CommonID: "108", Accounts: 16, LineKeys: 27, ExpansionKeys: 60, Expansions: 3, Ringtones: yealinkRings, Picture: "t4xu.svg"},
	{Name: "T48U", Vendor: VendorYealink, Family: "T4xU", CommonID: "109", Accounts: 16, LineKeys: 29, ExpansionKeys: 60, Expansions: 3, Ringtones: yealinkRings, Picture: "t4xu.svg"},
	{Name: "T53W", Vendor: VendorYealink, Family: "T5x", CommonID: "095", Accounts: 12, LineKeys: 21, ExpansionKeys: 60, Expansions: 3, Ringtones: yealinkRings, Picture: "t5x.svg"},
	{Name: "T54W", Vendor: VendorYealink, Family: "T5x", CommonID: "096", Accounts: 16, LineKeys: 27, ExpansionKeys: 60, Expansions: 3, Ringtones: yealinkRings, Picture: "t5x.svg"},
	{Name: "T57W", Vendor: VendorYealink, Family: "T5x", CommonID: "097", Accounts: 16, LineKeys: 29, ExpansionKeys: 60, Expansions: 3, Ringtones: yealinkRings, Picture: "t5x.svg"},
	{Name: "VVX 250", Vendor: VendorPolycom, Family: "VVX", Accounts: 4, LineKeys: 4, Ringtones: polycomRings, Picture: "vvx.svg"},
	{Name: "VVX 350", Vendor: VendorPolycom, Family: "VVX", Accounts: 6, LineKeys: 6, Ringtones: polycomRings, Picture: "vvx.svg"},
	{Name: "VVX 450", Vendor: VendorPolycom, Family: "VVX", Accounts: 12, LineKeys: 12, ExpansionKeys: 28, Expansions: 3, Ringtones: polycomRings, Picture: "vvx.svg"},
}

// Models returns the catalog of supported desk phone models.
func Models() []Model { return append([]Model(nil), models...) }

// FindModel returns the model named name (case and spaces ignored).
func FindModel(name string) (Model, bool) {
	key := modelKey(name)
	for _, m := range models {
		if modelKey(m.Name) == key {
			return m, true
		}
	}
	return Model{}, false
}

func modelKey(s string) string { return strings.ToUpper(strings.ReplaceAll(s, " ", "")) }

// AudioQuality is the codec preference of a device.
type AudioQuality string

// Audio quality choices of "Paramètres avancés".
const (
	AudioWideband   AudioQuality = "wideband"   // HD voice (G.722) preferred
	AudioNarrowband AudioQuality = "narrowband" // G.711 only
)

// DeviceSettings are the per-device advanced settings of the guide.
type DeviceSettings struct {
	AudioQuality         AudioQuality
	ShowSupervisedCaller bool   // show callers' numbers on supervision keys
	Ringtone             string // a built-in name of the model, or "custom:<file>"
	CustomRingtonePath   string // file beside the database when Ringtone is custom
	LockEnabled          bool
	LockCode             string // 4 to 8 digits when LockEnabled
	LockTimeout          int    // seconds of idle before locking, 0..3600
}

// DefaultDeviceSettings returns the settings a new device of model m starts with.
func DefaultDeviceSettings(m Model) DeviceSettings {
	ring := ""
	if len(m.Ringtones) > 0 {
		ring = m.Ringtones[0]
	}
	return DeviceSettings{AudioQuality: AudioWideband, Ringtone: ring, LockTimeout: 0}
}

// Device is one of the user's desk phones.
type Device struct {
	ID       int64
	Model    string
	MAC      string // 12 lower-case hex digits, no separators
	Label    string
	Line     LineKind
	Settings DeviceSettings
	// ConfigVersion increases with every settings change that the phone
	// must fetch again.
	ConfigVersion int64
}

// NormalizeMAC accepts 00:15:65:aa:bb:cc, 00-15-65-AA-BB-CC or 001565aabbcc
// and returns 001565aabbcc, or an *Error CodeMACInvalid on field.
func NormalizeMAC(field, s string) (string, error) {
	var b strings.Builder
	for _, r := range strings.TrimSpace(s) {
		switch {
		case r >= '0' && r <= '9' || r >= 'a' && r <= 'f':
			b.WriteRune(r)
		case r >= 'A' && r <= 'F':
			b.WriteRune(r + ('a' - 'A'))
		case r == ':' || r == '-' || r == '.':
		default:
			return "", Errorf(CodeMACInvalid, field, s)
		}
	}
	m := b.String()
	if len(m) != 12 || m == "000000000000" || m == "ffffffffffff" {
		return "", Errorf(CodeMACInvalid, field, s)
	}
	return m, nil
}

// Validate checks a device: known model, valid MAC, label length, line
// kind, and its advanced settings against the model.
func (d Device) Validate() error {
	m, ok := FindModel(d.Model)
	if !ok {
		return Errorf(CodeModelUnknown, "model", d.Model)
	}
	if _, err := NormalizeMAC("mac", d.MAC); err != nil {
		return err
	}
	if len([]rune(d.Label)) > 40 {
		return Errorf(CodeTooLong, "label", 40)
	}
	if !d.Line.Valid() {
		return Errorf(CodeLineInvalid, "line", string(d.Line))
	}
	return d.Settings.Validate(m)
}

// Validate checks the advanced settings for model m.
func (s DeviceSettings) Validate(m Model) error {
	if s.AudioQuality != AudioWideband && s.AudioQuality != AudioNarrowband {
		return Errorf(CodeChoiceInvalid, "audio_quality", string(s.AudioQuality))
	}
	if !strings.HasPrefix(s.Ringtone, "custom:") && !contains(m.Ringtones, s.Ringtone) {
		return Errorf(CodeRingtoneUnknown, "ringtone", s.Ringtone, m.Name)
	}
	if s.LockEnabled {
		if err := validatePIN("lock_code", s.LockCode); err != nil {
			return err
		}
	}
	if s.LockTimeout < 0 || s.LockTimeout > 3600 {
		return Errorf(CodeOutOfRange, "lock_timeout", 0, 3600)
	}
	return nil
}

// validatePIN checks a 4 to 8 digit code.
func validatePIN(field, pin string) error {
	if len(pin) < 4 || len(pin) > 8 {
		return Errorf(CodePINInvalid, field)
	}
	for _, r := range pin {
		if r < '0' || r > '9' {
			return Errorf(CodePINInvalid, field)
		}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
