package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/ligne-app/ligne/secrets"
	"github.com/ligne-app/ligne/selfcare"
)

func accountCommand() *command {
	return &command{
		name: "account",
		help: "set or show the SIP account",
		usage: "account set --user U [--auth-user A] --domain D [--display NAME] [--registrar HOST:PORT]\n" +
			"            [--proxy sip:HOST:PORT] [--transport udp|tcp|tls] [--srtp auto|required|off] --password-stdin\n" +
			"account show",
		run: runAccount,
	}
}

func runAccount(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return e.usagef("account set|show")
	}
	switch args[0] {
	case "set":
		return accountSet(ctx, e, args[1:])
	case "show":
		return accountShow(ctx, e)
	}
	return e.usagef("account set|show, not %q", args[0])
}

// accountSet validates the account, stores the password in the keyring,
// then saves the account; nothing is saved when any step fails.
func accountSet(ctx context.Context, e *env, args []string) error {
	var a selfcare.Account
	var transport, srtp string
	var pwStdin bool
	fs := flag.NewFlagSet("account set", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.StringVar(&a.DisplayName, "display", "", "display name")
	fs.StringVar(&a.User, "user", "", "SIP user")
	fs.StringVar(&a.AuthUser, "auth-user", "", "authentication user (default: the SIP user)")
	fs.StringVar(&a.Domain, "domain", "", "SIP domain")
	fs.StringVar(&a.Registrar, "registrar", "", "registrar host[:port] (default: the domain)")
	fs.StringVar(&a.OutboundProxy, "proxy", "", "outbound proxy host[:port]")
	fs.StringVar(&transport, "transport", "udp", "udp, tcp or tls")
	fs.StringVar(&srtp, "srtp", "auto", "encrypted audio: auto (offered on TLS), required (calls in clear refused) or off")
	fs.BoolVar(&pwStdin, "password-stdin", false, "read the password from stdin")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	a.Transport = selfcare.Transport(transport)
	if a.SRTP = selfcare.SRTPMode(srtp); srtp == "auto" {
		a.SRTP = selfcare.SRTPAuto
	}
	a.OutboundProxy = trimSIP(a.OutboundProxy)
	a.Registrar = trimSIP(a.Registrar)
	if err := a.Validate(); err != nil {
		return fieldError(e, err)
	}
	if !pwStdin {
		return e.usagef("%s", e.tr().T("cli.account.password"))
	}
	pw, err := e.stdinText()
	if err != nil {
		return err
	}
	if pw == "" {
		return fieldError(e, selfcare.Errorf(selfcare.CodeRequired, "password"))
	}
	db, err := e.store(ctx)
	if err != nil {
		return err
	}
	if err := selfcare.SaveAccount(ctx, db, e.keyring(), a, pw); err != nil {
		return err
	}
	if st, ok := e.keyring().(*secrets.Store); ok && st.Mode() == secrets.ModeFile {
		fmt.Fprintln(e.stdout, e.tr().T("cli.account.saved.file", a.AOR(), st.FilePath()))
		return nil
	}
	fmt.Fprintln(e.stdout, e.tr().T("cli.account.saved", a.AOR()))
	return nil
}

// trimSIP accepts sip:host:port where host:port is meant.
func trimSIP(s string) string {
	if len(s) > 4 && s[:4] == "sip:" {
		return s[4:]
	}
	return s
}

// accountShow prints the account without its password.
func accountShow(ctx context.Context, e *env) error {
	db, err := e.store(ctx)
	if err != nil {
		return err
	}
	a, err := db.Account(ctx)
	if err != nil {
		return err
	}
	_, pwErr := e.keyring().Get(a.SecretKey())
	srtp := string(a.SRTP)
	if srtp == "" {
		srtp = "auto"
	}
	fmt.Fprintf(e.stdout, "aor=%s\ndisplay=%s\nauth_user=%s\nregistrar=%s\nproxy=%s\ntransport=%s\nsrtp=%s\ndemo=%v\npassword_in_keyring=%v\n",
		a.AOR(), a.DisplayName, a.EffectiveAuthUser(), a.Registrar, a.OutboundProxy, a.Transport, srtp, a.Demo, pwErr == nil)
	return nil
}

// fieldError names the flag a domain error is about.
func fieldError(e *env, err error) error {
	var d *selfcare.Error
	if errors.As(err, &d) && d.Field != "" {
		return &userError{msg: "--" + flagName(d.Field) + ": " + e.tr().Err(err)}
	}
	return err
}

// flagName maps a domain field to its flag.
func flagName(field string) string {
	switch field {
	case "auth_user":
		return "auth-user"
	case "outbound_proxy":
		return "proxy"
	case "display_name":
		return "display"
	}
	return field
}
