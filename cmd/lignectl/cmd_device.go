package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/ligne-app/ligne/provision"
	"github.com/ligne-app/ligne/selfcare"
	"github.com/ligne-app/ligne/store"
)

func deviceCommand() *command {
	return &command{
		name: "device",
		help: "the desk phones of \"Mes téléphones\"",
		usage: "device add --model MODEL --mac MAC [--label TEXT] [--line fixed|mobile]\n" +
			"device list [--json] ; device remove MAC ; device models\n" +
			"device address MAC HOST[:PORT]|- ; device credentials MAC",
		run: runDevice,
	}
}

func runDevice(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return e.usagef("device add|list|remove|models|address|credentials")
	}
	switch args[0] {
	case "add":
		return deviceAdd(ctx, e, args[1:])
	case "list":
		return deviceList(ctx, e, args[1:])
	case "remove":
		return deviceRemove(ctx, e, args[1:])
	case "models":
		return deviceModels(e)
	case "address":
		return deviceAddress(ctx, e, args[1:])
	case "credentials":
		return deviceCredentials(ctx, e, args[1:])
	}
	return e.usagef("device add|list|remove|models|address|credentials, not %q", args[0])
}

// deviceAdd validates and adds a phone; nothing is saved on error.
func deviceAdd(ctx context.Context, e *env, args []string) error {
	var d selfcare.Device
	var line string
	fs := flag.NewFlagSet("device add", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.StringVar(&d.Model, "model", "", "model (see device models)")
	fs.StringVar(&d.MAC, "mac", "", "MAC address, 12 hexadecimal digits")
	fs.StringVar(&d.Label, "label", "", "label")
	fs.StringVar(&line, "line", "fixed", "fixed or mobile")
	if err := fs.Parse(args); err != nil || fs.NArg() != 0 {
		return errUsage
	}
	d.Line = selfcare.LineKind(line)
	if _, ok := selfcare.FindModel(d.Model); !ok {
		return fieldError(e, selfcare.Errorf(selfcare.CodeModelUnknown, "model", d.Model))
	}
	db, err := e.store(ctx)
	if err != nil {
		return err
	}
	added, err := db.AddDevice(ctx, d)
	if err != nil {
		return fieldError(e, err)
	}
	fmt.Fprintln(e.stdout, e.tr().T("cli.device.added", added.Model, formatMAC(added.MAC)))
	return nil
}

// deviceRow is one phone as device list --json prints it.
type deviceRow struct {
	ID            int64  `json:"id"`
	Model         string `json:"model"`
	MAC           string `json:"mac"`
	Label         string `json:"label"`
	Line          string `json:"line"`
	ConfigVersion int64  `json:"config_version"`
	Fetched       int64  `json:"fetched_version"`
	LastFetch     string `json:"last_fetch,omitempty"`
	UserAgent     string `json:"user_agent,omitempty"`
	Address       string `json:"address,omitempty"`
	LastSync      string `json:"last_sync,omitempty"`
	SyncStatus    int    `json:"sync_status,omitempty"`
}

func deviceList(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("device list", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	asJSON := fs.Bool("json", false, "one JSON object a line")
	if err := fs.Parse(args); err != nil || fs.NArg() != 0 {
		return errUsage
	}
	db, err := e.store(ctx)
	if err != nil {
		return err
	}
	rows, err := deviceRows(ctx, db)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		for _, r := range rows {
			if err := enc.Encode(r); err != nil {
				return err
			}
		}
		return nil
	}
	return printDevices(e, rows)
}

func deviceRows(ctx context.Context, db *store.DB) ([]deviceRow, error) {
	devs, err := db.Devices(ctx)
	if err != nil {
		return nil, err
	}
	rows := make([]deviceRow, 0, len(devs))
	for _, d := range devs {
		st, err := db.SyncState(ctx, d.ID)
		if err != nil {
			return nil, err
		}
		r := deviceRow{ID: d.ID, Model: d.Model, MAC: d.MAC, Label: d.Label, Line: string(d.Line), ConfigVersion: d.ConfigVersion,
			Fetched: st.Fetched, UserAgent: st.LastFetch.UserAgent, Address: st.Address, SyncStatus: st.Push.Status}
		r.LastFetch, r.LastSync = stamp(st.LastFetch.At), stamp(st.Push.At)
		rows = append(rows, r)
	}
	return rows, nil
}

func printDevices(e *env, rows []deviceRow) error {
	if len(rows) == 0 {
		fmt.Fprintln(e.stdout, e.tr().T("phones.nodevices"))
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, e.tr().T("cli.device.header"))
	for _, r := range rows {
		state := e.tr().T("sync.never")
		if r.LastFetch != "" {
			state = e.tr().T("cli.device.fetched", r.Fetched, r.LastFetch)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\n", formatMAC(r.MAC), r.Model, r.Label, r.ConfigVersion, state, r.Address)
	}
	return tw.Flush()
}

// deviceRemove deletes a phone and its provisioning password.
func deviceRemove(ctx context.Context, e *env, args []string) error {
	if len(args) != 1 {
		return e.usagef("device remove MAC")
	}
	db, d, err := findDevice(ctx, e, args[0])
	if err != nil {
		return err
	}
	if err := db.RemoveDevice(ctx, d.ID); err != nil {
		return err
	}
	if err := (provision.Credentials{Secrets: e.keyring()}).Forget(d.MAC); err != nil {
		e.logDetail(err)
	}
	fmt.Fprintln(e.stdout, e.tr().T("cli.device.removed", d.Model, formatMAC(d.MAC)))
	return nil
}

func deviceModels(e *env) error {
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	for _, m := range selfcare.Models() {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", m.Name, m.VendorName(), e.tr().T("cli.device.capacity", m.FunctionKeyCapacity()))
	}
	return tw.Flush()
}

// deviceAddress saves where check-sync goes; "-" goes back to the address
// learned from the phone's fetches.
func deviceAddress(ctx context.Context, e *env, args []string) error {
	if len(args) != 2 {
		return e.usagef("device address MAC HOST[:PORT]|-")
	}
	db, d, err := findDevice(ctx, e, args[0])
	if err != nil {
		return err
	}
	addr := args[1]
	if addr == "-" {
		addr = ""
	}
	if err := db.SetDeviceAddress(ctx, d.ID, addr); err != nil {
		return &userError{msg: e.tr().Err(err)}
	}
	fmt.Fprintln(e.stdout, e.tr().T("common.saved"))
	return nil
}

// deviceCredentials prints what to type into the phone for its first
// fetch; the password is created (in the keyring) the first time.
func deviceCredentials(ctx context.Context, e *env, args []string) error {
	if len(args) != 1 {
		return e.usagef("device credentials MAC")
	}
	_, d, err := findDevice(ctx, e, args[0])
	if err != nil {
		return err
	}
	pw, err := (provision.Credentials{Secrets: e.keyring()}).Ensure(d.MAC)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "user=%s\npassword=%s\n", d.MAC, pw)
	return nil
}

// findDevice opens the store and finds the phone with mac.
func findDevice(ctx context.Context, e *env, mac string) (*store.DB, selfcare.Device, error) {
	norm, err := selfcare.NormalizeMAC("mac", mac)
	if err != nil {
		return nil, selfcare.Device{}, &userError{msg: e.tr().Err(err)}
	}
	db, err := e.store(ctx)
	if err != nil {
		return nil, selfcare.Device{}, err
	}
	devs, err := db.Devices(ctx)
	if err != nil {
		return nil, selfcare.Device{}, err
	}
	for _, d := range devs {
		if d.MAC == norm {
			return db, d, nil
		}
	}
	return nil, selfcare.Device{}, &userError{msg: e.tr().T("cli.device.unknown", formatMAC(norm))}
}

// formatMAC writes 80:5E:C0:A1:B2:C3.
func formatMAC(m string) string {
	var parts []string
	for i := 0; i+2 <= len(m); i += 2 {
		parts = append(parts, strings.ToUpper(m[i:i+2]))
	}
	return strings.Join(parts, ":")
}
