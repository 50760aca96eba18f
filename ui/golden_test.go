package ui_test

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// update rewrites the markup goldens: go test ./ui -update
var update = flag.Bool("update", false, "rewrite the markup goldens in testdata/")

// assertMarkup compares the window's markup with testdata/name, or
// rewrites it with -update.
func assertMarkup(t *testing.T, name string, c fyne.Canvas) {
	t.Helper()
	if *update {
		writeGolden(t, name, test.RenderToMarkup(c))
		return
	}
	test.AssertRendersToMarkup(t, name, c)
}

// assertObjectMarkup is assertMarkup for one object.
func assertObjectMarkup(t *testing.T, name string, o fyne.CanvasObject) {
	t.Helper()
	if *update {
		writeGolden(t, name, test.RenderObjectToMarkup(o))
		return
	}
	test.AssertObjectRendersToMarkup(t, name, o)
}

func writeGolden(t *testing.T, name, markup string) {
	t.Helper()
	if err := os.MkdirAll("testdata", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join("testdata", name), []byte(markup), 0o644); err != nil {
		t.Fatal(err)
	}
}
