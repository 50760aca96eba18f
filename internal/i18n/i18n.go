// Package i18n translates Ligne's user-visible strings. Catalogs are the
// JSON files assets/i18n/<lang>.json: one flat object, key to text, with
// fmt verbs for arguments. French is the product's first language; a key
// missing from a catalog falls back to French, then to the key itself.
//
// Ligne does not use fyne's lang package for its own strings: that package
// picks the language from the system locale and cannot switch at run time,
// while Ligne lets the user choose French or English in the window.
package i18n

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"

	"github.com/ligne-app/ligne/assets"
	"github.com/ligne-app/ligne/selfcare"
)

// Languages Ligne speaks, in display order.
var languages = []string{selfcare.LangFrench, selfcare.LangEnglish}

// Languages returns the language codes Ligne speaks, French first.
func Languages() []string { return append([]string(nil), languages...) }

// Translator returns text in one language. It is safe for concurrent use.
type Translator struct {
	lang     string
	catalog  map[string]string
	fallback map[string]string
}

var (
	loadOnce sync.Once
	catalogs map[string]map[string]string
	loadErr  error
)

// load reads the embedded catalogs once. A language's catalog is the
// union of i18n/<lang>.json and every i18n/<area>.<lang>.json, so that
// each part of Ligne keeps its strings in its own file; a key defined in
// two files is a build defect.
func load() (map[string]map[string]string, error) {
	loadOnce.Do(func() { catalogs, loadErr = readCatalogs() })
	return catalogs, loadErr
}

func readCatalogs() (map[string]map[string]string, error) {
	out := map[string]map[string]string{}
	for _, l := range languages {
		out[l] = map[string]string{}
		files, err := fs.Glob(assets.FS(), "i18n/*"+l+".json")
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			if err := readCatalogFile(f, out[l]); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// readCatalogFile adds the keys of one file to cat.
func readCatalogFile(name string, cat map[string]string) error {
	base := path.Base(name)
	if strings.Count(base, ".") > 2 {
		return fmt.Errorf("load catalog %s: name it <area>.<lang>.json", name)
	}
	data, err := fs.ReadFile(assets.FS(), name)
	if err != nil {
		return fmt.Errorf("load catalog %s: %w", name, err)
	}
	m := map[string]string{}
	if err := json.Unmarshal(data, &m); err != nil {
		return fmt.Errorf("load catalog %s: %w", name, err)
	}
	for k, v := range m {
		if _, dup := cat[k]; dup {
			return fmt.Errorf("load catalog %s: key %q is defined twice", name, k)
		}
		cat[k] = v
	}
	return nil
}

// New returns a translator for lang; unknown languages give French.
func New(lang string) *Translator {
	cats, err := load()
	if err != nil {
		panic(err) // the catalogs are embedded: this is a build defect
	}
	if _, ok := cats[lang]; !ok {
		lang = selfcare.LangFrench
	}
	return &Translator{lang: lang, catalog: cats[lang], fallback: cats[selfcare.LangFrench]}
}

// Lang returns the translator's language code.
func (t *Translator) Lang() string { return t.lang }

// T returns the text of key, formatted with args when given.
func (t *Translator) T(key string, args ...any) string {
	s, ok := t.catalog[key]
	if !ok {
		if s, ok = t.fallback[key]; !ok {
			s = key
		}
	}
	if len(args) == 0 {
		return s
	}
	return fmt.Sprintf(s, args...)
}

// Tn translates a counted text: key+".one" for a singular count when the
// catalog has it (0 and 1 in French, 1 in English), key otherwise. The
// count is the text's first argument.
func (t *Translator) Tn(key string, n int, args ...any) string {
	singular := n == 1 || (n == 0 && t.lang == selfcare.LangFrench)
	if singular && t.Has(key+".one") {
		key += ".one"
	}
	return t.T(key, append([]any{n}, args...)...)
}

// Has reports whether key exists in the translator's catalog.
func (t *Translator) Has(key string) bool {
	_, ok := t.catalog[key]
	return ok
}

// Err returns the user text of err in the translator's language.
func (t *Translator) Err(err error) string { return selfcare.ErrorMessage(err, t.lang) }

// Keys returns the sorted keys of lang's catalog (for tests and tools).
func Keys(lang string) []string {
	cats, _ := load()
	var out []string
	for k := range cats[lang] {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
