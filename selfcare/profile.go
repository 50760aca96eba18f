package selfcare

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
)

// ProfileSchema is the schema identifier a profile must declare.
const ProfileSchema = "ligne.profile/1"

// MaxProfileSize bounds a profile file or download.
const MaxProfileSize = 8 << 20

// Profile is the organization profile: what the administrator owns and
// the user sees (directory, DIDs, call groups, presentable numbers, rights,
// plan, Dialog options, documents), plus the user's lines and initial
// devices. docs/profile.md documents the JSON schema.
type Profile struct {
	Schema             string              `json:"schema"`
	Company            Company             `json:"company"`
	User               ProfileUser         `json:"user"`
	Rights             Rights              `json:"rights"`
	Directory          []DirectoryEntry    `json:"directory"`
	CallGroups         []CallGroup         `json:"call_groups"`
	PresentableNumbers []PresentableNumber `json:"presentable_numbers"`
	Plan               Plan                `json:"plan"`
	DialogOptions      []DialogOption      `json:"dialog_options"`
	Documents          []Document          `json:"documents"`
}

// Company describes the organization.
type Company struct {
	Name            string `json:"name"`
	SIPDomain       string `json:"sip_domain"`
	VoicemailNumber string `json:"voicemail_number"` // number that reaches one's own voicemail
	PickupPrefix    string `json:"pickup_prefix"`    // directed pickup code, e.g. "**"
	TimeZone        string `json:"time_zone"`
	ProvisioningURL string `json:"provisioning_url,omitempty"`
}

// ProfileUser is the user the profile was issued for.
type ProfileUser struct {
	ID      string          `json:"id"`
	Name    string          `json:"name"`
	Email   string          `json:"email"`
	Lines   []ProfileLine   `json:"lines"`
	Devices []ProfileDevice `json:"devices"`
}

// ProfileLine is a line as the administrator declares it.
type ProfileLine struct {
	Kind      LineKind `json:"kind"`
	Label     string   `json:"label"`
	Extension string   `json:"extension,omitempty"`
	Numbers   []string `json:"numbers"`
}

// ProfileDevice is a desk phone the administrator assigned to the user.
type ProfileDevice struct {
	Model string   `json:"model"`
	MAC   string   `json:"mac"`
	Label string   `json:"label"`
	Line  LineKind `json:"line"`
}

// DirectoryEntry is a colleague of the company directory.
type DirectoryEntry struct {
	ID           string        `json:"id"`
	Name         string        `json:"name"`
	Department   string        `json:"department,omitempty"`
	Site         string        `json:"site,omitempty"`
	Extension    string        `json:"extension"`
	Numbers      []TypedNumber `json:"numbers,omitempty"`
	Email        string        `json:"email,omitempty"`
	Supervisable bool          `json:"supervisable"`
}

// CallGroup is a hunt group the user may belong to.
type CallGroup struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	Number  string   `json:"number"`
	Members []string `json:"members"`
}

// HasMember reports whether user id belongs to the group.
func (g CallGroup) HasMember(id string) bool {
	for _, m := range g.Members {
		if m == id {
			return true
		}
	}
	return false
}

// PresentableNumber is a number the administrator lets users present.
type PresentableNumber struct {
	Number string `json:"number"`
	Label  string `json:"label"`
}

// Lines returns the user's lines with canonical numbers.
func (p Profile) Lines() []Line {
	out := make([]Line, 0, len(p.User.Lines))
	for _, l := range p.User.Lines {
		out = append(out, Line{Kind: l.Kind, Label: l.Label, Extension: l.Extension, Numbers: append([]string(nil), l.Numbers...)})
	}
	return out
}

// DirectoryContacts returns the directory as internal contacts.
func (p Profile) DirectoryContacts() []Contact {
	out := make([]Contact, 0, len(p.Directory))
	for _, d := range p.Directory {
		out = append(out, Contact{
			ID: "dir:" + d.ID, Kind: ContactInternal, Name: d.Name, Company: p.Company.Name,
			Department: d.Department, Numbers: append([]TypedNumber(nil), d.Numbers...),
			Extension: d.Extension, Email: d.Email, Source: "profile",
		})
	}
	return out
}

// ParseProfile decodes and validates a profile. Unknown fields are refused
// so that an administrator's typo does not go unnoticed. The returned error
// joins every problem found, each an *Error whose Field is a JSON path.
func ParseProfile(r io.Reader) (Profile, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxProfileSize+1))
	if err != nil {
		return Profile{}, fmt.Errorf("read profile: %w", err)
	}
	if len(data) > MaxProfileSize {
		return Profile{}, Errorf(CodeProfileTooLarge, "", MaxProfileSize>>20)
	}
	var p Profile
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return Profile{}, Errorf(CodeProfileSyntax, "", jsonErrorText(data, err))
	}
	if dec.More() {
		return Profile{}, Errorf(CodeProfileSyntax, "", "trailing data")
	}
	return p.Normalize()
}

// jsonErrorText makes a decoding error readable: line number and cause.
func jsonErrorText(data []byte, err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		line := 1 + bytes.Count(data[:min(int(se.Offset), len(data))], []byte("\n"))
		return fmt.Sprintf("line %d: %v", line, se)
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Sprintf("%s: expected %s", te.Field, te.Type)
	}
	return err.Error()
}

// Normalize validates the profile and returns it with canonical numbers.
func (p Profile) Normalize() (Profile, error) {
	v := &profileChecker{}
	if p.Schema != ProfileSchema {
		v.add(Errorf(CodeProfileSchema, "schema", p.Schema, ProfileSchema))
	}
	p.Company = v.company(p.Company)
	p.User = v.user(p.User)
	p.Directory = v.directory(p.Directory)
	p.CallGroups = v.groups(p.CallGroups)
	p.PresentableNumbers = v.presentable(p.PresentableNumbers)
	v.plan(p.Plan)
	v.dialog(p.DialogOptions)
	v.documents(p.Documents)
	return p, errors.Join(v.errs...)
}

// profileChecker collects every problem of a profile, with its path.
type profileChecker struct{ errs []error }

func (v *profileChecker) add(err error) { v.errs = append(v.errs, err) }

// at re-roots a domain error's field under path.
func (v *profileChecker) at(path string, err error) {
	var e *Error
	if errors.As(err, &e) {
		ce := *e
		ce.Field = path
		v.add(&ce)
		return
	}
	v.add(err)
}

// number normalizes a number found at path, recording any error.
func (v *profileChecker) number(path, n string) string {
	c, _, err := NormalizeNumber(path, n)
	if err != nil {
		v.at(path, err)
		return n
	}
	return c
}

func (v *profileChecker) required(path, s string) {
	if strings.TrimSpace(s) == "" {
		v.add(Errorf(CodeRequired, path))
	}
}

func (v *profileChecker) company(c Company) Company {
	v.required("company.name", c.Name)
	if !validHost(c.SIPDomain) {
		v.add(Errorf(CodeDomainInvalid, "company.sip_domain", c.SIPDomain))
	}
	if c.VoicemailNumber != "" {
		c.VoicemailNumber = v.number("company.voicemail_number", c.VoicemailNumber)
	}
	if c.TimeZone == "" {
		c.TimeZone = "Europe/Paris"
	}
	if err := (WeeklyHours{Start: 1, End: 2, Days: [7]bool{true}, TimeZone: c.TimeZone}).Validate(); err != nil {
		v.add(Errorf(CodeTimeZoneInvalid, "company.time_zone", c.TimeZone))
	}
	if c.ProvisioningURL != "" {
		v.url("company.provisioning_url", c.ProvisioningURL)
	}
	return c
}

func (v *profileChecker) user(u ProfileUser) ProfileUser {
	v.required("user.id", u.ID)
	v.required("user.name", u.Name)
	if u.Email != "" {
		if err := ValidateEmail("user.email", u.Email); err != nil {
			v.add(err)
		}
	}
	if len(u.Lines) == 0 {
		v.add(Errorf(CodeRequired, "user.lines"))
	}
	seen := map[LineKind]bool{}
	for i, l := range u.Lines {
		path := fmt.Sprintf("user.lines[%d]", i)
		if !l.Kind.Valid() || seen[l.Kind] {
			v.add(Errorf(CodeLineInvalid, path+".kind", string(l.Kind)))
		}
		seen[l.Kind] = true
		for j, n := range l.Numbers {
			u.Lines[i].Numbers[j] = v.number(fmt.Sprintf("%s.numbers[%d]", path, j), n)
		}
	}
	for i, d := range u.Devices {
		u.Devices[i] = v.device(fmt.Sprintf("user.devices[%d]", i), d)
	}
	return u
}

func (v *profileChecker) device(path string, d ProfileDevice) ProfileDevice {
	mac, err := NormalizeMAC(path+".mac", d.MAC)
	if err != nil {
		v.at(path+".mac", err)
	}
	d.MAC = mac
	if d.Line == "" {
		d.Line = LineFixed
	}
	m, ok := FindModel(d.Model)
	if !ok {
		v.add(Errorf(CodeModelUnknown, path+".model", d.Model))
		return d
	}
	dev := Device{Model: m.Name, MAC: mac, Label: d.Label, Line: d.Line, Settings: DefaultDeviceSettings(m)}
	if err := dev.Validate(); err != nil && mac != "" {
		v.at(path, err)
	}
	d.Model = m.Name
	return d
}

func (v *profileChecker) directory(dir []DirectoryEntry) []DirectoryEntry {
	ids := map[string]bool{}
	for i, d := range dir {
		path := fmt.Sprintf("directory[%d]", i)
		v.required(path+".id", d.ID)
		v.required(path+".name", d.Name)
		if ids[d.ID] {
			v.add(Errorf(CodeDuplicate, path+".id", d.ID))
		}
		ids[d.ID] = true
		if d.Extension != "" {
			dir[i].Extension = v.number(path+".extension", d.Extension)
		}
		for j, n := range d.Numbers {
			dir[i].Numbers[j].Number = v.number(fmt.Sprintf("%s.numbers[%d]", path, j), n.Number)
		}
	}
	return dir
}

func (v *profileChecker) groups(gs []CallGroup) []CallGroup {
	for i, g := range gs {
		path := fmt.Sprintf("call_groups[%d]", i)
		v.required(path+".name", g.Name)
		gs[i].Number = v.number(path+".number", g.Number)
	}
	return gs
}

func (v *profileChecker) presentable(ns []PresentableNumber) []PresentableNumber {
	for i, n := range ns {
		ns[i].Number = v.number(fmt.Sprintf("presentable_numbers[%d].number", i), n.Number)
	}
	return ns
}

func (v *profileChecker) plan(p Plan) {
	for i, a := range p.Allowances {
		path := fmt.Sprintf("plan.allowances[%d]", i)
		if !a.Line.Valid() {
			v.add(Errorf(CodeLineInvalid, path+".line", string(a.Line)))
		}
		for class, m := range a.MinutesByClass {
			if m < -1 {
				v.add(Errorf(CodeOutOfRange, path+".minutes_by_class."+string(class), -1, 1<<30))
			}
		}
	}
}

func (v *profileChecker) dialog(opts []DialogOption) {
	seen := map[string]bool{}
	for i, o := range opts {
		path := fmt.Sprintf("dialog_options[%d]", i)
		v.required(path+".code", o.Code)
		v.required(path+".name", o.Name)
		if seen[o.Code] {
			v.add(Errorf(CodeDuplicate, path+".code", o.Code))
		}
		seen[o.Code] = true
	}
}

func (v *profileChecker) documents(docs []Document) {
	for i, d := range docs {
		path := fmt.Sprintf("documents[%d]", i)
		v.required(path+".id", d.ID)
		v.required(path+".title", d.Title)
		switch d.Kind {
		case DocProductSheet, DocUserGuide, DocSolution, DocVideo:
		default:
			v.add(Errorf(CodeChoiceInvalid, path+".kind", string(d.Kind)))
		}
		switch {
		case (d.URL == "") == (d.Bundled == ""):
			v.add(Errorf(CodeDocumentSource, path))
		case d.URL != "":
			v.url(path+".url", d.URL)
		case strings.Contains(d.Bundled, "..") || strings.HasPrefix(d.Bundled, "/"):
			v.add(Errorf(CodePathInvalid, path+".bundled", d.Bundled))
		}
	}
}

// url accepts absolute http and https URLs.
func (v *profileChecker) url(path, s string) {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		v.add(Errorf(CodeURLInvalid, path, s))
	}
}
