// Command mkico packs PNG images into one Windows icon (.ico) file, one
// entry per image, each stored as PNG (Windows Vista and later read those):
//
//	go run ./packaging/cmd/mkico -out ligne.ico ligne-16.png ligne-32.png ... ligne-256.png
//
// The Windows resources of ligne.exe take their icon from that file.
package main

import (
	"bytes"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"image/png"
	"io"
	"os"
)

func main() {
	out := flag.String("out", "", "the .ico file to write")
	flag.Parse()
	if *out == "" || flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: mkico -out FILE.ico IMAGE.png...")
		os.Exit(2)
	}
	if err := writeFile(*out, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "mkico:", err)
		os.Exit(1)
	}
}

// writeFile writes the icon made of the PNG files pngs to path.
func writeFile(path string, pngs []string) error {
	var images [][]byte
	for _, p := range pngs {
		b, err := os.ReadFile(p)
		if err != nil {
			return fmt.Errorf("read icon image: %w", err)
		}
		images = append(images, b)
	}
	var buf bytes.Buffer
	if err := encode(&buf, images); err != nil {
		return fmt.Errorf("encode %s: %w", path, err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("write icon: %w", err)
	}
	return nil
}

// iconDirEntry is one ICONDIRENTRY of the .ico format.
type iconDirEntry struct {
	Width, Height, Colors, Reserved uint8
	Planes, BitCount                uint16
	Size, Offset                    uint32
}

// encode writes an ICONDIR header, the entries, then the PNG data of images.
func encode(w io.Writer, images [][]byte) error {
	if len(images) == 0 || len(images) > 255 {
		return errors.New("an icon holds 1 to 255 images")
	}
	header := [3]uint16{0, 1, uint16(len(images))} // reserved, type icon, count
	offset := uint32(6 + 16*len(images))
	entries := make([]iconDirEntry, len(images))
	for i, b := range images {
		cfg, err := png.DecodeConfig(bytes.NewReader(b))
		if err != nil {
			return fmt.Errorf("image %d: %w", i+1, err)
		}
		if cfg.Width > 256 || cfg.Height > 256 {
			return fmt.Errorf("image %d is %dx%d: icons hold images up to 256x256", i+1, cfg.Width, cfg.Height)
		}
		entries[i] = iconDirEntry{
			Width: uint8(cfg.Width % 256), Height: uint8(cfg.Height % 256), // 0 means 256
			Planes: 1, BitCount: 32, Size: uint32(len(b)), Offset: offset,
		}
		offset += uint32(len(b))
	}
	if err := binary.Write(w, binary.LittleEndian, header); err != nil {
		return err
	}
	if err := binary.Write(w, binary.LittleEndian, entries); err != nil {
		return err
	}
	for _, b := range images {
		if _, err := w.Write(b); err != nil {
			return err
		}
	}
	return nil
}
