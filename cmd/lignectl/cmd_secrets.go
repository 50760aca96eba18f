package main

import (
	"context"
	"fmt"

	"github.com/ligne-app/ligne/secrets"
)

func secretsCommand() *command {
	return &command{
		name: "secrets",
		help: "where passwords are kept: the system keyring, or a private file you agreed to",
		usage: "secrets status | secrets allow-file (no keyring: keep passwords in a file readable by you only, in clear)\n" +
			"secrets forbid-file (delete that file and withdraw the agreement)",
		run: runSecrets,
	}
}

func runSecrets(ctx context.Context, e *env, args []string) error {
	if len(args) != 1 {
		return e.usagef("secrets status|allow-file|forbid-file")
	}
	st, err := e.secretStore(ctx)
	if err != nil {
		return err
	}
	switch args[0] {
	case "status":
	case "allow-file":
		err = st.Consent(ctx)
	case "forbid-file":
		err = st.Revoke(ctx)
	default:
		return e.usagef("secrets status|allow-file|forbid-file, not %q", args[0])
	}
	if err != nil {
		return err
	}
	printSecretStore(e, st)
	return nil
}

// printSecretStore shows the mode, the file and why the keyring is not used.
func printSecretStore(e *env, st *secrets.Store) {
	reason := ""
	if err := st.KeyringError(); err != nil {
		reason = err.Error()
	}
	fmt.Fprintf(e.stdout, "mode=%s\nfile=%s\nkeyring_error=%s\n", st.Mode(), st.FilePath(), reason)
}
