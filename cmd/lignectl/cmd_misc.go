package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ligne-app/ligne/internal/demo"
	"github.com/ligne-app/ligne/internal/orgprofile"
	"github.com/ligne-app/ligne/internal/version"
	"github.com/ligne-app/ligne/selfcare"
)

func versionCommand() *command {
	return &command{name: "version", help: "print the version", run: func(_ context.Context, e *env, _ []string) error {
		fmt.Fprintln(e.stdout, "lignectl", version.String())
		return nil
	}}
}

func profileCommand() *command {
	return &command{
		name:  "profile",
		help:  "load the organization profile",
		usage: "profile load FILE|https://URL",
		run: func(ctx context.Context, e *env, args []string) error {
			if len(args) != 2 || args[0] != "load" {
				return e.usagef("profile load FILE|https://URL")
			}
			p, err := orgprofile.Load(ctx, args[1], nil)
			if err != nil {
				return profileError(e, err)
			}
			db, err := e.store(ctx)
			if err != nil {
				return err
			}
			if err := db.ApplyProfile(ctx, p); err != nil {
				return profileError(e, err)
			}
			fmt.Fprintln(e.stdout, e.tr().T("cli.profile.loaded", p.Company.Name, len(p.Directory)))
			return nil
		},
	}
}

// profileError lists every problem of a profile, one per line, with its
// JSON path.
func profileError(e *env, err error) error {
	joined, ok := err.(interface{ Unwrap() []error })
	if !ok {
		return fieldPathError(e, err)
	}
	msg := ""
	for i, sub := range joined.Unwrap() {
		if i > 0 {
			msg += "\n  "
		}
		msg += fieldPathError(e, sub).Error()
	}
	return &userError{msg: msg}
}

// fieldPathError prefixes a domain error with its JSON path.
func fieldPathError(e *env, err error) error {
	var d *selfcare.Error
	if !errors.As(err, &d) {
		return err
	}
	if d.Field != "" {
		return &userError{msg: d.Field + ": " + e.tr().Err(err)}
	}
	return &userError{msg: e.tr().Err(err)}
}

func demoCommand() *command {
	return &command{name: "demo", help: "make an empty data folder the demo workspace", run: func(ctx context.Context, e *env, _ []string) error {
		db, err := e.store(ctx)
		if err != nil {
			return err
		}
		if err := demo.Seed(ctx, db, time.Now()); err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, e.tr().T("cli.demo.ready", e.dataDir))
		return nil
	}}
}
