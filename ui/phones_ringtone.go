package ui

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ligne-app/ligne/selfcare"
)

// maxRingtoneBytes bounds an uploaded ringtone (desk phones keep them in a
// small flash).
const maxRingtoneBytes = 1 << 20

// importRingtone copies a WAV file into the data folder's ringtones/ under
// a plain name and returns that name. A file that is not a RIFF/WAVE one,
// empty or too large is refused and nothing is written.
func importRingtone(dataDir, name string, r io.Reader) (string, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxRingtoneBytes+1))
	if err != nil {
		return "", fmt.Errorf("read ringtone: %w", err)
	}
	switch {
	case len(data) == 0:
		return "", selfcare.Errorf(selfcare.CodeFileEmpty, "ringtone")
	case len(data) > maxRingtoneBytes:
		return "", selfcare.Errorf(selfcare.CodeFileTooLarge, "ringtone", maxRingtoneBytes>>20)
	case len(data) < 12 || !bytes.Equal(data[:4], []byte("RIFF")) || !bytes.Equal(data[8:12], []byte("WAVE")):
		return "", selfcare.Errorf(selfcare.CodeFileType, "ringtone", "WAV")
	}
	safe := ringtoneName(name)
	dir := filepath.Join(dataDir, "ringtones")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("save ringtone: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, safe), data, 0o600); err != nil {
		return "", fmt.Errorf("save ringtone: %w", err)
	}
	return safe, nil
}

// ringtoneName turns a file name into one a phone URL and the ringtone
// folder accept: letters, digits, dash, underscore, dot, ending in .wav.
func ringtoneName(name string) string {
	base := accents.Replace(strings.TrimSuffix(filepath.Base(name), filepath.Ext(name)))
	base = strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return '-'
	}, base)
	base = strings.Trim(base, "-.")
	if base == "" {
		base = "sonnerie"
	}
	if len(base) > 60 {
		base = base[:60]
	}
	return base + ".wav"
}

// ringtoneButton opens a WAV file and adds it to the ringtones the phone
// can play; the error, if any, shows under the form.
func (f *settingsForm) ringtoneButton() fyne.CanvasObject {
	u := f.s.u
	if !f.m.Supports(selfcare.FeatureCustomRingtone) || u.deps.DataDir == "" {
		return fyne.NewContainer()
	}
	return widget.NewButtonWithIcon(u.T("device.ring.upload"), theme.UploadIcon(), func() {
		d := dialog.NewFileOpen(func(rc fyne.URIReadCloser, err error) {
			if err != nil || rc == nil {
				return
			}
			defer rc.Close()
			name, err := importRingtone(u.deps.DataDir, rc.URI().Name(), rc)
			u.showError(f.errL, err)
			if err == nil {
				f.useUploaded(name)
			}
		}, u.win)
		d.SetFilter(storage.NewExtensionFileFilter([]string{".wav", ".WAV"}))
		d.Show()
	})
}

// useUploaded selects a ringtone just uploaded.
func (f *settingsForm) useUploaded(name string) {
	value := selfcare.CustomRingtonePrefix + name
	for i, r := range f.rings {
		if r == value {
			f.ring.SetSelectedIndex(i)
			return
		}
	}
	f.rings = append(f.rings, value)
	f.ring.Options = append(f.ring.Options, f.s.u.T("device.ring.custom", name))
	f.ring.SetSelectedIndex(len(f.rings) - 1)
}
