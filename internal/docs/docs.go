// Package docs keeps the documentation library's files on disk: a
// document from the organization profile is either bundled with Ligne
// (copied out of the binary) or at a URL (downloaded once, with progress),
// and lands in a cache folder from which the OS viewer opens it. A file
// only appears in the cache once complete: downloads go to a temporary
// file that is renamed at the end and removed on any failure.
package docs

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/ligne-app/ligne/selfcare"
)

// MaxSize bounds a document.
const MaxSize = 200 << 20

// Progress hears how many bytes of total are in; total is -1 when the
// server does not say.
type Progress func(done, total int64)

// Cache is the folder of documents.
type Cache struct {
	dir     string
	client  *http.Client
	bundled func(name string) ([]byte, error)
	now     func() time.Time
}

// New returns the cache in dir. bundled reads a file shipped with Ligne
// (assets.Document); client may be nil for http.DefaultClient.
func New(dir string, client *http.Client, bundled func(string) ([]byte, error)) *Cache {
	if client == nil {
		client = http.DefaultClient
	}
	return &Cache{dir: dir, client: client, bundled: bundled, now: time.Now}
}

// Path returns where d's file is kept, and whether it is there.
func (c *Cache) Path(d selfcare.Document) (string, bool) {
	p := filepath.Join(c.dir, fileName(d))
	_, err := os.Stat(p)
	return p, err == nil
}

// fileName is the document's id, cut to safe characters, a hash of where
// it comes from (a new URL is a new file) and the extension of its source.
func fileName(d selfcare.Document) string {
	src := d.URL
	if src == "" {
		src = "bundled:" + d.Bundled
	}
	sum := sha256.Sum256([]byte(src))
	return safeName(d.ID) + "-" + hex.EncodeToString(sum[:4]) + extension(d)
}

func safeName(s string) string {
	out := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return '_'
	}, s)
	return out[:min(len(out), 60)]
}

// extension is the source's own (".pdf" when it has none), so that the OS
// picks the right viewer.
func extension(d selfcare.Document) string {
	p := d.Bundled
	if d.URL != "" {
		if u, err := url.Parse(d.URL); err == nil {
			p = u.Path
		}
	}
	ext := strings.ToLower(path.Ext(p))
	if ext == "" || len(ext) > 6 || strings.ContainsAny(ext, `/\ `) {
		return ".pdf"
	}
	return ext
}

// Fetch returns the local path of d's file, putting it in the cache first
// when it is not there: a bundled file is copied, a URL downloaded with
// progress. A downloaded copy older than RevalidateAfter is checked with
// its server first (see revalidate). Videos are not fetched: they play in
// the browser.
func (c *Cache) Fetch(ctx context.Context, d selfcare.Document, progress Progress) (string, error) {
	if progress == nil {
		progress = func(int64, int64) {}
	}
	if d.Kind == selfcare.DocVideo || c.dir == "" {
		return "", selfcare.Errorf(selfcare.CodeDocumentUnavailable, "", d.Title)
	}
	p, ok := c.Path(d)
	if ok {
		if d.URL != "" {
			c.revalidate(ctx, d, p, progress)
		}
		return p, nil
	}
	if err := os.MkdirAll(c.dir, 0o700); err != nil {
		return "", fmt.Errorf("fetch %s: %w", d.ID, err)
	}
	var err error
	if d.URL != "" {
		err = c.download(ctx, d, p, progress)
	} else {
		err = c.copyBundled(d, p, progress)
	}
	if err != nil {
		return "", err
	}
	return p, nil
}

// copyBundled writes a file shipped in Ligne into the cache.
func (c *Cache) copyBundled(d selfcare.Document, dest string, progress Progress) error {
	if c.bundled == nil {
		return selfcare.Errorf(selfcare.CodeDocumentUnavailable, "", d.Title)
	}
	data, err := c.bundled(d.Bundled)
	if err != nil {
		return selfcare.Errorf(selfcare.CodeDocumentUnavailable, "", d.Title)
	}
	total := int64(len(data))
	return writeAtomically(dest, bytes.NewReader(data), total, func(done int64) { progress(done, total) })
}

// download GETs the document into dest.
func (c *Cache) download(ctx context.Context, d selfcare.Document, dest string, progress Progress) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, d.URL, nil)
	if err != nil {
		return failed(d, err)
	}
	resp, err := c.client.Do(req)
	if err != nil {
		return failed(d, err)
	}
	defer resp.Body.Close()
	if err := checkResponse(d, resp, extension(d)); err != nil {
		return failed(d, err)
	}
	total := resp.ContentLength
	if total > MaxSize {
		return selfcare.Errorf(selfcare.CodeFileTooLarge, "", MaxSize>>20)
	}
	if err := writeAtomically(dest, resp.Body, total, func(done int64) { progress(done, total) }); err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("download %s: %w", d.ID, ctx.Err())
		}
		return failed(d, err)
	}
	writeValidators(dest, validatorsOf(resp, c.now()))
	return nil
}

// failed is the user's reading of a failed download.
func failed(d selfcare.Document, err error) error {
	var e *selfcare.Error
	switch {
	case errors.As(err, &e):
		return err
	case errors.Is(err, errTruncated), errors.Is(err, io.ErrUnexpectedEOF):
		return selfcare.Errorf(selfcare.CodeDocumentInterrupted, "", d.Title)
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return selfcare.Errorf(selfcare.CodeDocumentDownload, "", d.Title, err.Error())
}

// checkResponse refuses an error status, and a web page where a document
// was expected (a login page, an error page).
func checkResponse(d selfcare.Document, resp *http.Response, ext string) error {
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("HTTP %s", resp.Status)
	}
	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if mt == "text/html" && ext != ".html" && ext != ".htm" {
		return selfcare.Errorf(selfcare.CodeDocumentNotDocument, "", d.Title)
	}
	return nil
}

// errTruncated reports a download shorter than announced.
var errTruncated = errors.New("the download was cut short")

// writeAtomically copies r into a temporary file next to dest, checks it
// is complete (total bytes when total >= 0, and a PDF header for .pdf),
// syncs it and renames it to dest. On any failure nothing is left behind.
func writeAtomically(dest string, r io.Reader, total int64, progress func(int64)) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(dest), ".download-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	head := &headRecorder{}
	n, err := io.Copy(io.MultiWriter(tmp, head, &counter{fn: progress}), io.LimitReader(r, MaxSize+1))
	switch {
	case err != nil:
		return err
	case n > MaxSize:
		return selfcare.Errorf(selfcare.CodeFileTooLarge, "", MaxSize>>20)
	case total >= 0 && n != total:
		return errTruncated
	case strings.EqualFold(filepath.Ext(dest), ".pdf") && !bytes.HasPrefix(head.b, []byte("%PDF-")):
		return errors.New("the file is not a PDF")
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), dest)
}

// headRecorder keeps the first bytes written, to check the file type.
type headRecorder struct{ b []byte }

func (h *headRecorder) Write(p []byte) (int, error) {
	if len(h.b) < 8 {
		h.b = append(h.b, p[:min(len(p), 8-len(h.b))]...)
	}
	return len(p), nil
}

// counter counts bytes and reports the running total.
type counter struct {
	done int64
	fn   func(int64)
}

func (c *counter) Write(b []byte) (int, error) {
	c.done += int64(len(b))
	c.fn(c.done)
	return len(b), nil
}
