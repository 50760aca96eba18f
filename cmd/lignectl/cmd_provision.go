package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/ligne-app/ligne/provision"
	"github.com/ligne-app/ligne/selfcare"
)

func provisionCommand() *command {
	return &command{
		name: "provision",
		help: "desk phone configuration files, server and check-sync",
		usage: "provision render --out DIR [--url http(s)://HOST:PORT/]\n" +
			"provision serve --listen ADDR [--tls-listen ADDR [--cert FILE --key FILE]] [--interval 3s]\n" +
			"provision sync MAC [--to HOST[:PORT]]",
		run: runProvision,
	}
}

func runProvision(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return e.usagef("provision render|serve|sync")
	}
	switch args[0] {
	case "render":
		return provisionRender(ctx, e, args[1:])
	case "serve":
		return provisionServe(ctx, e, args[1:])
	case "sync":
		return provisionSync(ctx, e, args[1:])
	}
	return e.usagef("provision render|serve|sync, not %q", args[0])
}

// provisionRender writes every phone's files into a folder, for a
// provisioning server other than Ligne's.
func provisionRender(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("provision render", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	out := fs.String("out", "", "folder to write the files into")
	base := fs.String("url", "", "server the phones fetch from next (written with each phone's credentials)")
	if err := fs.Parse(args); err != nil || fs.NArg() != 0 || *out == "" {
		return e.usagef("provision render --out DIR [--url URL]")
	}
	u, err := baseURL(*base)
	if err != nil {
		return &userError{msg: "--url: " + e.tr().Err(err)}
	}
	p, err := storeProvider(ctx, e)
	if err != nil {
		return err
	}
	files, err := renderAll(ctx, p, u)
	if err != nil {
		return &userError{msg: e.tr().Err(err)}
	}
	if err := writeFiles(*out, files); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, e.tr().T("cli.provision.rendered", len(files), *out))
	return nil
}

// baseURL checks an optional http(s) base URL and ends it with a slash.
func baseURL(s string) (string, error) {
	if s == "" {
		return "", nil
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" {
		return "", selfcare.Errorf(selfcare.CodeURLInvalid, "url", s)
	}
	return strings.TrimSuffix(s, "/") + "/", nil
}

func storeProvider(ctx context.Context, e *env) (*provision.StoreProvider, error) {
	db, err := e.store(ctx)
	if err != nil {
		return nil, err
	}
	return provision.NewStoreProvider(db, e.keyring(), time.Now)
}

// renderAll renders the files of every phone; a file shared by several
// phones is written once.
func renderAll(ctx context.Context, p *provision.StoreProvider, base string) (map[string][]byte, error) {
	devs, err := p.Devices(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string][]byte{}
	for _, d := range devs {
		files, err := p.Files(ctx, d, base)
		if err != nil {
			return nil, fmt.Errorf("%s %s: %w", d.Model, formatMAC(d.MAC), err)
		}
		for _, f := range files {
			out[f.Name] = f.Data
		}
	}
	return out, nil
}

// writeFiles writes files into dir, readable by the owner only: they hold
// SIP and provisioning passwords.
func writeFiles(dir string, files map[string][]byte) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("render into %s: %w", dir, err)
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			return fmt.Errorf("render %s: %w", name, err)
		}
	}
	return nil
}

// provisionServe runs the provisioning server and the automatic pushes
// until interrupted, one JSON object a line on stdout for each event.
func provisionServe(ctx context.Context, e *env, args []string) error {
	var c selfcare.ProvisioningConfig
	fs := flag.NewFlagSet("provision serve", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.StringVar(&c.HTTPAddr, "listen", "", "HTTP address, e.g. :8089")
	fs.StringVar(&c.HTTPSAddr, "tls-listen", "", "HTTPS address, e.g. :8443")
	fs.StringVar(&c.CertFile, "cert", "", "your own certificate (PEM); default: Ligne's self-signed one")
	fs.StringVar(&c.KeyFile, "key", "", "the key of --cert (PEM)")
	interval := fs.Duration("interval", 3*time.Second, "how often changes are pushed to the phones (0: never)")
	if err := fs.Parse(args); err != nil || fs.NArg() != 0 {
		return errUsage
	}
	c.Enabled = true
	if err := c.Validate(); err != nil {
		return fieldError(e, err)
	}
	db, err := e.store(ctx)
	if err != nil {
		return err
	}
	ev := &events{w: e.stdout}
	svc, err := provision.NewService(provision.ServiceOptions{Store: db, Secrets: e.keyring(), DataDir: e.dataDir,
		Logger: e.logger(), Interval: pushInterval(*interval), OnFetch: ev.fetch})
	if err != nil {
		return err
	}
	defer svc.Close()
	st, err := svc.Serve(ctx, c)
	if err != nil {
		return &userError{msg: e.tr().Err(err)}
	}
	for _, u := range st.URLs {
		ev.emit(map[string]any{"event": "listening", "url": u, "certificate": st.CertFingerprint})
	}
	<-ctx.Done()
	return nil
}

// pushInterval maps --interval 0 to "never".
func pushInterval(d time.Duration) time.Duration {
	if d <= 0 {
		return -1
	}
	return d
}

// events writes one JSON object a line, from any goroutine.
type events struct {
	mu sync.Mutex
	w  io.Writer
}

func (v *events) emit(m map[string]any) {
	v.mu.Lock()
	defer v.mu.Unlock()
	_ = json.NewEncoder(v.w).Encode(m)
}

func (v *events) fetch(f selfcare.Fetch) {
	v.emit(map[string]any{"event": "fetch", "device": f.DeviceID, "file": f.File, "user_agent": f.UserAgent,
		"remote": f.Remote, "version": f.Version, "at": f.At.Format(time.RFC3339)})
}

// provisionSync sends check-sync to one phone and prints its answer.
func provisionSync(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return e.usagef("provision sync MAC [--to HOST[:PORT]]")
	}
	fs := flag.NewFlagSet("provision sync", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	to := fs.String("to", "", "the phone's SIP address (default: typed in, else learned from its last fetch)")
	if err := fs.Parse(args[1:]); err != nil || fs.NArg() != 0 {
		return errUsage
	}
	db, d, err := findDevice(ctx, e, args[0])
	if err != nil {
		return err
	}
	p, err := provision.NewStoreProvider(db, e.keyring(), time.Now)
	if err != nil {
		return err
	}
	syncer := provision.NewSyncer(db, p, &provision.Notifier{Logger: e.logger()}, e.logger())
	res, err := syncer.SyncTo(ctx, d.ID, *to)
	if err != nil {
		return &userError{msg: e.tr().Err(err)}
	}
	fmt.Fprintln(e.stdout, e.tr().T("sync.ok", res.Target, res.Status, res.Reason))
	return nil
}

// stamp formats a time for a listing, "" for the zero time.
func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Local().Format("2006-01-02 15:04:05")
}
