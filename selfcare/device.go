package selfcare

import (
	"context"
	"net"
	"strconv"
	"strings"
	"time"
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

// AccountLineKeys is the number of keys Ligne gives to the user's line on
// every desk phone: the first key shows the line and its calls (a Poly
// registration always takes at least one key).
const AccountLineKeys = 1

// FunctionKeyCapacity is the number of function keys ("Mes touches de
// fonction") the model holds once the line has its key: the phone's own
// keys first, then those of its expansion modules.
func (m Model) FunctionKeyCapacity() int { return m.KeyCapacity() - AccountLineKeys }

// DeviceFeature names a setting that not every vendor's configuration
// files can carry.
type DeviceFeature string

// Settings whose support depends on the vendor.
const (
	FeatureAudioQuality   DeviceFeature = "audio_quality"   // codec preference
	FeatureCustomRingtone DeviceFeature = "custom_ringtone" // an uploaded WAV file
	FeatureLockTimeout    DeviceFeature = "lock_timeout"    // lock after idle seconds
	FeatureDNDState       DeviceFeature = "dnd_state"       // DND pushed as a setting
	FeatureAlwaysForward  DeviceFeature = "always_forward"  // immediate forwarding pushed as a setting
)

// Supports reports whether Ligne can push feature to the model. Poly UC
// Software has no provisioning parameter for these (the phone keeps DND
// and immediate forwarding itself, or follows the server through feature
// key sync); Yealink has them all.
func (m Model) Supports(f DeviceFeature) bool {
	switch f {
	case FeatureAudioQuality, FeatureCustomRingtone, FeatureLockTimeout, FeatureDNDState, FeatureAlwaysForward:
		return m.Vendor == VendorYealink
	}
	return true
}

var yealinkRings = []string{"Ring1.wav", "Ring2.wav", "Ring3.wav", "Ring4.wav", "Ring5.wav", "Ring6.wav", "Ring7.wav", "Ring8.wav"}

// polycomRings starts with Poly's default ring: ringer1 is Poly's silent ring.
var polycomRings = []string{"ringer2", "ringer3", "ringer4", "ringer5", "ringer6", "ringer7", "ringer8", "ringer9", "ringer10", "ringer1"}

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
	// SIPAddress is where "Synchroniser maintenant" sends its check-sync
	// (host or host:port), typed in by the user. Empty means the address
	// the phone last fetched its configuration from.
	SIPAddress string
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
	if err := s.validateRingtone(m); err != nil {
		return err
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

// CustomRingtonePrefix marks an uploaded ringtone: "custom:<file>.wav".
const CustomRingtonePrefix = "custom:"

// CustomRingtone returns the file name of an uploaded ringtone and true,
// or "" and false for a built-in one.
func (s DeviceSettings) CustomRingtone() (string, bool) {
	name, ok := strings.CutPrefix(s.Ringtone, CustomRingtonePrefix)
	return name, ok
}

// validateRingtone accepts a built-in ringtone of m, or an uploaded WAV
// file with a plain name on models that can download one.
func (s DeviceSettings) validateRingtone(m Model) error {
	name, custom := s.CustomRingtone()
	if !custom {
		if !contains(m.Ringtones, s.Ringtone) {
			return Errorf(CodeRingtoneUnknown, "ringtone", s.Ringtone, m.Name)
		}
		return nil
	}
	if !m.Supports(FeatureCustomRingtone) {
		return Errorf(CodeRingtoneBuiltInOnly, "ringtone", m.Name)
	}
	if !ValidRingtoneFile(name) {
		return Errorf(CodePathInvalid, "ringtone", name)
	}
	return nil
}

// ValidRingtoneFile accepts a plain file name ending in .wav made of
// letters, digits, dot, dash and underscore (it becomes part of a URL and
// of a path in the data folder, so nothing else gets in).
func ValidRingtoneFile(name string) bool {
	base, ok := strings.CutSuffix(strings.ToLower(name), ".wav")
	if !ok || base == "" || len(name) > 64 || strings.HasPrefix(name, ".") {
		return false
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_') {
			return false
		}
	}
	return !strings.Contains(name, "..")
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

// ValidateSIPAddress checks the address typed in for check-sync: empty (use
// the learned one), host, or host:port.
func ValidateSIPAddress(field, addr string) error {
	if addr == "" || validHostPort(addr) {
		return nil
	}
	return Errorf(CodeHostPortInvalid, field, addr)
}

// Fetch is one configuration file a desk phone downloaded from Ligne's
// provisioning server.
type Fetch struct {
	DeviceID  int64
	At        time.Time
	File      string
	UserAgent string // as the phone sent it: "Yealink SIP-T46U 108.86.0.45 805ec0a1b2c3"
	Remote    string // IP address the request came from
	Version   int64  // the device's ConfigVersion when the file was served
}

// SyncResult is how the last check-sync went.
type SyncResult struct {
	At     time.Time
	Target string // host:port the NOTIFY went to
	Status int    // SIP status of the phone's answer, 0 when none came
	Reason string // the answer's reason phrase, or the failure when none came
}

// OK reports whether the phone accepted the check-sync.
func (r SyncResult) OK() bool { return r.Status >= 200 && r.Status < 300 }

// SyncState is what "Mes téléphones" shows about keeping a phone in step.
type SyncState struct {
	LastFetch Fetch      // zero At: the phone never fetched from Ligne
	Fetched   int64      // highest ConfigVersion the phone downloaded
	Push      SyncResult // zero At: never pushed
	// PushedHash identifies the configuration last announced to the phone,
	// so that a change made anywhere is pushed exactly once.
	PushedHash    string
	PushedVersion int64
	Address       string // where check-sync goes: typed in, else learned
}

// UpToDate reports whether the phone downloaded configuration version v.
func (s SyncState) UpToDate(v int64) bool { return !s.LastFetch.At.IsZero() && s.Fetched >= v }

// ProvisioningLog keeps what desk phones fetched and how pushes went; the
// store implements it.
type ProvisioningLog interface {
	RecordFetch(ctx context.Context, f Fetch) error
	// RecordSync saves the outcome of a check-sync and the configuration
	// (hash, version) it announced.
	RecordSync(ctx context.Context, deviceID int64, r SyncResult, hash string, version int64) error
	SyncState(ctx context.Context, deviceID int64) (SyncState, error)
	// Fetches returns the device's last downloads, newest first.
	Fetches(ctx context.Context, deviceID int64, limit int) ([]Fetch, error)
	// SetDeviceAddress saves the typed-in SIP address without raising the
	// configuration version.
	SetDeviceAddress(ctx context.Context, deviceID int64, address string) error
	// BumpDeviceConfig raises one device's configuration version past
	// `past` (left alone when another change already did) and returns it.
	BumpDeviceConfig(ctx context.Context, deviceID, past int64) (int64, error)
}

// ProvisioningConfig is the provisioning server as the user set it up.
// It is off until Enabled.
type ProvisioningConfig struct {
	Enabled   bool
	HTTPAddr  string // host:port for HTTP, empty for none
	HTTPSAddr string // host:port for HTTPS, empty for none
	CertFile  string // the user's own certificate (PEM); empty: Ligne's self-signed one
	KeyFile   string
}

// Preference keys of the provisioning server (SettingsService).
const (
	SettingProvisionEnabled = "provision.enabled"
	SettingProvisionHTTP    = "provision.http"
	SettingProvisionHTTPS   = "provision.https"
	SettingProvisionCert    = "provision.cert"
	SettingProvisionKey     = "provision.key"
)

// Default listening addresses of the provisioning server.
const (
	DefaultProvisionHTTP  = ":8089"
	DefaultProvisionHTTPS = ":8443"
)

// Validate checks the server form: an enabled server listens somewhere,
// and a certificate comes with its key.
func (c ProvisioningConfig) Validate() error {
	if c.Enabled && c.HTTPAddr == "" && c.HTTPSAddr == "" {
		return Errorf(CodeRequired, "provision_http")
	}
	for field, a := range map[string]string{"provision_http": c.HTTPAddr, "provision_https": c.HTTPSAddr} {
		if a != "" && !validListenAddr(a) {
			return Errorf(CodeHostPortInvalid, field, a)
		}
	}
	if (c.CertFile == "") != (c.KeyFile == "") {
		return Errorf(CodeRequired, "provision_key")
	}
	return nil
}

// validListenAddr accepts host:port or :port; port 0 lets the system
// choose a free one.
func validListenAddr(a string) bool {
	host, port, err := net.SplitHostPort(a)
	if err != nil {
		return false
	}
	p, err := strconv.Atoi(port)
	return err == nil && p >= 0 && p < 65536 && (host == "" || validHost(host))
}

// ProvisioningStatus is what the window shows about the server.
type ProvisioningStatus struct {
	Config  ProvisioningConfig
	Running bool
	URLs    []string // base URLs the phones can use
	// CertFingerprint is the SHA-256 of the HTTPS certificate (hex, with
	// colons), to compare with what a phone shows.
	CertFingerprint string
}

// ProvisioningCredentials is what to type into a phone for its first fetch.
type ProvisioningCredentials struct {
	URL      string
	User     string
	Password string
}

// DeviceSync is what the window asks of provisioning: push now, turn the
// server on or off, show a phone's credentials.
type DeviceSync interface {
	SyncNow(ctx context.Context, deviceID int64) (SyncResult, error)
	ProvisioningServer(ctx context.Context) (ProvisioningStatus, error)
	SetProvisioningServer(ctx context.Context, c ProvisioningConfig) (ProvisioningStatus, error)
	DeviceCredentials(ctx context.Context, deviceID int64) (ProvisioningCredentials, error)
}

// PhoneAgent is what a desk phone says about itself in its HTTP User-Agent.
type PhoneAgent struct {
	Vendor   string // "Yealink", "Poly"
	Model    string // "T46U", "VVX 450"
	Firmware string
	MAC      string // Yealink only, lower case
}

// ParsePhoneAgent reads a desk phone's User-Agent:
// "Yealink SIP-T46U 108.86.0.45 805ec0a1b2c3" or
// "FileTransport PolycomVVX-VVX_450-UA/6.4.3.5156 Type/Application".
// Other agents give a zero PhoneAgent.
func ParsePhoneAgent(ua string) PhoneAgent {
	f := strings.Fields(ua)
	if len(f) >= 3 && f[0] == "Yealink" {
		a := PhoneAgent{Vendor: "Yealink", Model: strings.TrimPrefix(f[1], "SIP-"), Firmware: f[2]}
		if len(f) >= 4 {
			a.MAC = strings.ToLower(strings.ReplaceAll(f[3], ":", ""))
		}
		return a
	}
	for _, w := range f {
		if rest, ok := strings.CutPrefix(w, "PolycomVVX-"); ok {
			model, fw, _ := strings.Cut(rest, "-UA/")
			return PhoneAgent{Vendor: "Poly", Model: strings.ReplaceAll(model, "_", " "), Firmware: fw}
		}
	}
	return PhoneAgent{}
}
