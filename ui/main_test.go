package ui_test

import (
	"os"
	"testing"
	"time"
)

// TestMain pins the local time zone, so that dates in the markup goldens
// (demo data shown in local time) are the same on every machine.
func TestMain(m *testing.M) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		panic(err)
	}
	time.Local = paris
	os.Exit(m.Run())
}
