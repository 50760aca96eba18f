// Package assets holds what Ligne ships inside its binaries: the demo
// organization profile, translations, icons, pictures of the desk phones,
// bundled documents and sounds.
package assets

import (
	"embed"
	"io/fs"
)

//go:embed demo/profile.json i18n icons/ligne.png icons/ligne.svg icons/call.svg phones/*.svg docs voicemail
var files embed.FS

// FS returns the embedded files.
func FS() fs.FS { return files }

// Read returns one embedded file, by its path inside assets (e.g.
// "phones/t4xu.svg").
func Read(name string) ([]byte, error) { return files.ReadFile(name) }

// DemoProfile returns the demo organization profile (JSON).
func DemoProfile() []byte { return must("demo/profile.json") }

// Icon returns the application icon (PNG, 512x512).
func Icon() []byte { return must("icons/ligne.png") }

// PhonePicture returns the SVG picture named by a model's Picture field.
func PhonePicture(name string) ([]byte, error) { return files.ReadFile("phones/" + name) }

// Document returns a bundled document by its file name.
func Document(name string) ([]byte, error) { return files.ReadFile("docs/" + name) }

// must reads a file that is known to be embedded.
func must(name string) []byte {
	b, err := files.ReadFile(name)
	if err != nil {
		panic("assets: " + name + " is not embedded: " + err.Error())
	}
	return b
}
