package store

import (
	"context"
	"testing"
	"time"

	"github.com/ligne-app/ligne/selfcare"
)

func TestDeviceSyncState(t *testing.T) {
	db := withProfile(t)
	ctx := context.Background()
	devs, err := db.Devices(ctx)
	must(t, err)
	yl := devs[0]
	s, err := db.SyncState(ctx, yl.ID)
	must(t, err)
	if !s.LastFetch.At.IsZero() || s.Address != "" || s.UpToDate(yl.ConfigVersion) {
		t.Fatalf("fresh device has a sync state: %+v", s)
	}
	at := testNow.Add(time.Minute)
	f := selfcare.Fetch{DeviceID: yl.ID, At: at, File: "805ec0a1b2c3.cfg", UserAgent: "Yealink SIP-T46U 108.86.0.45 805ec0a1b2c3",
		Remote: "192.0.2.46", Version: yl.ConfigVersion}
	must(t, db.RecordFetch(ctx, f))
	s, err = db.SyncState(ctx, yl.ID)
	must(t, err)
	got := s.LastFetch
	got.At = got.At.UTC()
	if got != f || s.Address != "192.0.2.46" || !s.UpToDate(yl.ConfigVersion) || s.UpToDate(yl.ConfigVersion+1) {
		t.Fatalf("after a fetch: %+v", s)
	}
	must(t, db.SetDeviceAddress(ctx, yl.ID, "192.0.2.99:5062"))
	if s, _ = db.SyncState(ctx, yl.ID); s.Address != "192.0.2.99:5062" {
		t.Fatalf("typed address not preferred: %+v", s)
	}
	wantCode(t, db.SetDeviceAddress(ctx, yl.ID, "not an address!"), selfcare.CodeHostPortInvalid)
	if d, _ := db.Devices(ctx); d[0].SIPAddress != "192.0.2.99:5062" || d[0].ConfigVersion != yl.ConfigVersion {
		t.Fatalf("refused address changed the device, or the address raised the version: %+v", d[0])
	}
	r := selfcare.SyncResult{At: at, Target: "192.0.2.99:5062", Status: 200, Reason: "OK"}
	must(t, db.RecordSync(ctx, yl.ID, r, "abc", 3))
	s, _ = db.SyncState(ctx, yl.ID)
	s.Push.At = s.Push.At.UTC()
	if s.Push != r || s.PushedHash != "abc" || s.PushedVersion != 3 {
		t.Fatalf("push not recorded: %+v", s)
	}
	wantCode(t, db.RecordFetch(ctx, selfcare.Fetch{DeviceID: 999, At: at, File: "x"}), selfcare.CodeNotFound)
}

func TestFetchLogIsBounded(t *testing.T) {
	db := withProfile(t)
	ctx := context.Background()
	devs, _ := db.Devices(ctx)
	for i := range maxFetchesPerDevice + 5 {
		must(t, db.RecordFetch(ctx, selfcare.Fetch{DeviceID: devs[0].ID, At: testNow.Add(time.Duration(i) * time.Second), File: "a.cfg"}))
	}
	all, err := db.Fetches(ctx, devs[0].ID, 1000)
	must(t, err)
	if len(all) != maxFetchesPerDevice || !all[0].At.Equal(testNow.Add(time.Duration(maxFetchesPerDevice+4)*time.Second)) {
		t.Fatalf("%d fetches kept, newest %v", len(all), all[0].At)
	}
	must(t, db.RemoveDevice(ctx, devs[0].ID))
	if rest, _ := db.Fetches(ctx, devs[0].ID, 1000); len(rest) != 0 {
		t.Fatal("fetch log outlived its device")
	}
}

func TestBumpDeviceConfigAndAddress(t *testing.T) {
	db := withProfile(t)
	ctx := context.Background()
	devs, _ := db.Devices(ctx)
	v, err := db.BumpDeviceConfig(ctx, devs[1].ID, devs[1].ConfigVersion)
	must(t, err)
	if v != devs[1].ConfigVersion+1 {
		t.Fatalf("version %d after %d", v, devs[1].ConfigVersion)
	}
	// a version already past the one pushed is not raised again
	if again, err := db.BumpDeviceConfig(ctx, devs[1].ID, devs[1].ConfigVersion); err != nil || again != v {
		t.Fatalf("raised again past %d: %d %v, want %d", devs[1].ConfigVersion, again, err, v)
	}
	if again, _ := db.Devices(ctx); again[0].ConfigVersion != devs[0].ConfigVersion {
		t.Fatal("bumping one device raised another")
	}
	_, err = db.BumpDeviceConfig(ctx, 999, 0)
	wantCode(t, err, selfcare.CodeNotFound)
	d := devs[0]
	d.SIPAddress = "bad address"
	_, err = db.UpdateDevice(ctx, d)
	wantCode(t, err, selfcare.CodeHostPortInvalid)
	d.SIPAddress = "phone.local:5060"
	up, err := db.UpdateDevice(ctx, d)
	must(t, err)
	if got, _ := db.Devices(ctx); got[0].SIPAddress != "phone.local:5060" || up.ConfigVersion != d.ConfigVersion+1 {
		t.Fatalf("address not saved: %+v", got[0])
	}
}

func TestSetKeysRefusesAColleagueNotSupervisable(t *testing.T) {
	db := withProfile(t)
	ctx := context.Background()
	keys := []selfcare.FunctionKey{{Position: 1, Kind: selfcare.KeySupervision, ContactID: "dir:u-003"},
		{Position: 2, Kind: selfcare.KeySupervision, ContactID: "dir:u-001"}}
	err := db.SetKeys(ctx, keys)
	wantCode(t, err, selfcare.CodeNotSupervisable)
	if msg := selfcare.ErrorMessage(err, "fr"); msg != "Votre administrateur n'autorise pas la supervision de Hélène Lemoine." {
		t.Fatalf("message %q", msg)
	}
	if got, _ := db.Keys(ctx); len(got) != 0 {
		t.Fatalf("refused keys saved: %+v", got)
	}
	must(t, db.SetKeys(ctx, keys[:1]))
}
