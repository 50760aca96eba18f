package main

import (
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/ligne-app/ligne/internal/xvfb"
	"github.com/ligne-app/ligne/ui"
)

// TestScreenshotsOfEverySection builds the program, runs it under Xvfb on
// the demo workspace with --screenshots (what make screenshot does), and
// checks that each section's picture has the window's size and is not blank.
func TestScreenshotsOfEverySection(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "ligne")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	display := xvfb.Start(t, 1600, 1000)
	shots := t.TempDir()
	run := exec.Command(bin, "--data", t.TempDir(), "--demo", "--screenshots", shots)
	run.Env = append(os.Environ(), "DISPLAY="+display, "LANG=fr_FR.UTF-8")
	if out, err := run.CombinedOutput(); err != nil {
		t.Fatalf("ligne --screenshots: %v\n%s", err, out)
	}
	ids := ui.SectionIDs()
	files, _ := filepath.Glob(filepath.Join(shots, "*.png"))
	if len(files) != len(ids) {
		t.Fatalf("%d screenshots, want %d: %v", len(files), len(ids), files)
	}
	for _, f := range files {
		img := decode(t, f)
		if b := img.Bounds(); b.Dx() != ui.WindowWidth || b.Dy() != ui.WindowHeight {
			t.Errorf("%s is %dx%d, the window is %dx%d", filepath.Base(f), b.Dx(), b.Dy(), ui.WindowWidth, ui.WindowHeight)
		}
		if n := distinctColors(img); n < 64 {
			t.Errorf("%s looks blank: %d distinct colors", filepath.Base(f), n)
		}
	}
}

func decode(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return img
}

// distinctColors counts colors on a sparse grid (text and icons make many).
func distinctColors(img image.Image) int {
	seen := map[[3]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 3 {
		for x := b.Min.X; x < b.Max.X; x += 3 {
			r, g, bl, _ := img.At(x, y).RGBA()
			seen[[3]uint32{r >> 8, g >> 8, bl >> 8}] = true
		}
	}
	return len(seen)
}
