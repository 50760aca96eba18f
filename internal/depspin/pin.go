//go:build depspin

// Package depspin pins module versions while packages are being written.
package depspin

import (
	_ "fyne.io/fyne/v2"
	_ "github.com/emiago/sipgo"
	_ "github.com/gen2brain/malgo"
	_ "github.com/hajimehoshi/go-mp3"
	_ "github.com/nyaruka/phonenumbers"
	_ "github.com/pion/rtcp"
	_ "github.com/pion/rtp"
	_ "github.com/pion/sdp/v3"
	_ "github.com/zalando/go-keyring"
	_ "go.uber.org/goleak"
	_ "modernc.org/sqlite"
)
