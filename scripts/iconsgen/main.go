// Command iconsgen renders Ligne's SVG icon to PNG at the sizes desktop
// packaging needs: go run ./scripts/iconsgen -svg assets/icons/ligne.svg -out DIR -sizes 16,32,...
package main

import (
	"flag"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/srwiley/oksvg"
	"github.com/srwiley/rasterx"
)

func main() {
	src := flag.String("svg", "assets/icons/ligne.svg", "SVG source")
	out := flag.String("out", "assets/icons", "output folder")
	sizes := flag.String("sizes", "512", "comma-separated pixel sizes")
	name := flag.String("name", "ligne", "base name: NAME.png for a single size, NAME-SIZE.png otherwise")
	flag.Parse()
	list := strings.Split(*sizes, ",")
	for _, s := range list {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n <= 0 {
			fail(fmt.Errorf("bad size %q", s))
		}
		file := filepath.Join(*out, *name+".png")
		if len(list) > 1 {
			file = filepath.Join(*out, fmt.Sprintf("%s-%d.png", *name, n))
		}
		if err := render(*src, file, n); err != nil {
			fail(err)
		}
	}
}

// render rasterizes svg at size x size pixels into file.
func render(svg, file string, size int) error {
	icon, err := oksvg.ReadIcon(svg, oksvg.StrictErrorMode)
	if err != nil {
		return fmt.Errorf("read %s: %w", svg, err)
	}
	icon.SetTarget(0, 0, float64(size), float64(size))
	img := image.NewRGBA(image.Rect(0, 0, size, size))
	scanner := rasterx.NewScannerGV(size, size, img, img.Bounds())
	icon.Draw(rasterx.NewDasher(size, size, scanner), 1)
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return err
	}
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", file, err)
	}
	return f.Close()
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "iconsgen:", err)
	os.Exit(1)
}
