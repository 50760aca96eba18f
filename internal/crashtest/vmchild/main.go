// Command vmchild is the process the crash tests kill while it records a
// voicemail message: Ligne's own voicemail (voicemail.Machine, as the
// window runs it) answering every call on a SIP phone on 127.0.0.1 and
// recording into the data folder given as its only argument. It prints
// "ready ADDR" once it listens and "answered" for each call, then runs
// until it is killed. It is built by internal/crashtest's TestMain, like
// lignectl, without the race detector.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/ligne-app/ligne/internal/voicemail"
	"github.com/ligne-app/ligne/secrets"
	"github.com/ligne-app/ligne/selfcare"
	"github.com/ligne-app/ligne/softphone"
	"github.com/ligne-app/ligne/store"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: vmchild DATA_DIR")
		os.Exit(2)
	}
	if err := run(context.Background(), os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "vmchild:", err)
		os.Exit(3)
	}
}

// run starts the voicemail and the phone, then waits to be killed.
func run(ctx context.Context, dir string) error {
	db, err := store.Open(ctx, dir, store.Options{})
	if err != nil {
		return err
	}
	log := slog.New(slog.DiscardHandler)
	m := voicemail.New(voicemail.Config{Store: db, Dir: dir, Secrets: &secrets.Memory{}, Logger: log, SilenceTimeout: time.Minute})
	if err := m.Start(ctx); err != nil {
		return err
	}
	p, err := softphone.New(softphone.Account{User: "ligne", Domain: "127.0.0.1", NoRegister: true},
		softphone.Options{ListenAddr: "127.0.0.1:0", Logger: log, Incoming: answerWith(m)})
	if err != nil {
		return err
	}
	if err := p.Start(ctx); err != nil {
		return err
	}
	fmt.Println("ready", p.LocalAddr())
	select {}
}

// answerWith answers every call with the voicemail.
func answerWith(m *voicemail.Machine) softphone.IncomingPolicy {
	return func(context.Context, softphone.IncomingCall) softphone.Disposition {
		return softphone.Disposition{Action: softphone.ActionAnswer, OnAnswer: func(ctx context.Context, c *softphone.Call) {
			fmt.Println("answered")
			m.Deposit(ctx, c, selfcare.LineFixed)
		}}
	}
}
