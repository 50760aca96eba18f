package selfcare

import (
	"context"
	"time"
)

// AccountService keeps the SIP account of the workspace.
type AccountService interface {
	// Account returns the account, or an *Error CodeNoAccount on first run.
	Account(ctx context.Context) (Account, error)
	SetAccount(ctx context.Context, a Account) error
}

// ProfileService keeps the organization profile and the lines it declares.
type ProfileService interface {
	Profile(ctx context.Context) (Profile, error)
	// ApplyProfile replaces everything the administrator owns, atomically.
	// Devices the profile lists are added when their MAC is not known yet.
	ApplyProfile(ctx context.Context, p Profile) error
	Lines(ctx context.Context) ([]Line, error)
}

// DeviceService keeps the user's desk phones ("Mes téléphones").
type DeviceService interface {
	Devices(ctx context.Context) ([]Device, error)
	AddDevice(ctx context.Context, d Device) (Device, error)
	// UpdateDevice saves label and settings and raises ConfigVersion.
	UpdateDevice(ctx context.Context, d Device) (Device, error)
	RemoveDevice(ctx context.Context, id int64) error
}

// PhoneService keeps the presented number and the function keys.
type PhoneService interface {
	Presented(ctx context.Context, line LineKind) (PresentedNumber, error)
	SetPresented(ctx context.Context, p PresentedNumber) error
	Keys(ctx context.Context) ([]FunctionKey, error)
	SetKeys(ctx context.Context, keys []FunctionKey) error
}

// ForwardService keeps the forwarding rules and the DND state.
type ForwardService interface {
	ForwardRules(ctx context.Context, line LineKind) ([]ForwardRule, error)
	// SetForwardRule validates and saves one rule; nothing changes on error.
	SetForwardRule(ctx context.Context, r ForwardRule) ([]ForwardRule, error)
	DND(ctx context.Context) (bool, error)
	SetDND(ctx context.Context, on bool) error
}

// VoicemailService keeps voicemail settings, greetings and messages.
type VoicemailService interface {
	VoicemailSettings(ctx context.Context, line LineKind) (VoicemailSettings, error)
	SetVoicemailSettings(ctx context.Context, s VoicemailSettings) (VoicemailSettings, error)
	Greetings(ctx context.Context, line LineKind) ([]Greeting, error)
	AddGreeting(ctx context.Context, g Greeting) (Greeting, error)
	RenameGreeting(ctx context.Context, id int64, name string) error
	UseGreeting(ctx context.Context, id int64) error
	DeleteGreeting(ctx context.Context, id int64) error
	Messages(ctx context.Context, line LineKind) ([]VoicemailMessage, error)
	AddMessage(ctx context.Context, m VoicemailMessage) (VoicemailMessage, error)
	SetMessageRead(ctx context.Context, id int64, read bool) error
	// DeleteMessage moves a message to the bin; RestoreMessage undoes it.
	DeleteMessage(ctx context.Context, id int64) error
	RestoreMessage(ctx context.Context, id int64) error
	SetTranscription(ctx context.Context, id int64, state TranscriptionState, text string) error
}

// CallLogService keeps the call log.
type CallLogService interface {
	AddCall(ctx context.Context, r CallRecord) (CallRecord, error)
	// Calls returns one page of records matching f, newest first, and the
	// number of matching records.
	Calls(ctx context.Context, f CallFilter) ([]CallRecord, int, error)
	// ImportCalls adds operator records in one transaction and returns
	// how many were new (known ExternalIDs are skipped).
	ImportCalls(ctx context.Context, rs []CallRecord) (int, error)
}

// ConsumptionService computes "Conso forfait".
type ConsumptionService interface {
	Consumption(ctx context.Context, line LineKind, month time.Time) (Consumption, error)
	AddUsage(ctx context.Context, u UsageRecord) error
	// ImportUsage adds operator usage records in one transaction.
	ImportUsage(ctx context.Context, us []UsageRecord) (int, error)
}

// ContactQuery selects contacts.
type ContactQuery struct {
	Search string      // name, company or number fragment
	Kind   ContactKind // "" for both kinds
	Limit  int
}

// ContactService keeps internal and external contacts.
type ContactService interface {
	Contacts(ctx context.Context, q ContactQuery) ([]Contact, error)
	ContactByID(ctx context.Context, id string) (Contact, error)
	AddContact(ctx context.Context, c Contact) (Contact, error)
	UpdateContact(ctx context.Context, c Contact) (Contact, error)
	DeleteContact(ctx context.Context, id string) error
	// LookupNumber finds the contact owning a number, for caller names.
	LookupNumber(ctx context.Context, number string) (Contact, bool, error)
}

// SettingsService keeps small preferences (language, region, devices).
type SettingsService interface {
	Setting(ctx context.Context, key string) (string, error)
	SetSetting(ctx context.Context, key, value string) error
}

// Preference keys of SettingsService.
const (
	SettingLanguage       = "ui.language"
	SettingRegion         = "ui.region"
	SettingCaptureDevice  = "audio.capture"
	SettingPlaybackDevice = "audio.playback"
	SettingRingDevice     = "audio.ring"
	// SettingPasswordRevision counts SIP password changes (SaveAccount).
	SettingPasswordRevision = "account.password_revision"
)

// Secrets keeps passwords out of the database: the OS keyring.
type Secrets interface {
	Get(key string) (string, error)
	Set(key, value string) error
	Delete(key string) error
}

// Services bundles everything the UI and the engine need from storage.
type Services interface {
	AccountService
	ProfileService
	DeviceService
	PhoneService
	ForwardService
	VoicemailService
	CallLogService
	ConsumptionService
	ContactService
	SettingsService
}
