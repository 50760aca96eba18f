package docs

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/ligne-app/ligne/assets"
	"github.com/ligne-app/ligne/selfcare"
)

// pdf returns a PDF-looking body of n bytes.
func pdf(n int) []byte {
	b := bytes.Repeat([]byte("0123456789abcdef\n"), n/17+1)[:n]
	copy(b, "%PDF-1.7\n")
	return b
}

// library is a local web server with a few documents, counting requests.
type library struct {
	*httptest.Server
	hits   atomic.Int32
	sheet  []byte
	cutAt  int           // /cut.pdf sends this many bytes of sheet, then hangs up
	stall  chan struct{} // /stall.pdf sends half, then waits for this
	halfIn chan struct{} // closed when /stall.pdf sent its half
}

func newLibrary(t *testing.T) *library {
	l := &library{sheet: pdf(300_000), stall: make(chan struct{}), halfIn: make(chan struct{})}
	l.cutAt = len(l.sheet) / 3
	l.Server = httptest.NewServer(http.HandlerFunc(l.serve))
	t.Cleanup(l.Close)
	t.Cleanup(func() { close(l.stall) })
	return l
}

func (l *library) serve(w http.ResponseWriter, r *http.Request) {
	l.hits.Add(1)
	switch r.URL.Path {
	case "/fiche-t46u.pdf":
		w.Header().Set("Content-Type", "application/pdf")
		w.Header().Set("Content-Length", fmt.Sprint(len(l.sheet)))
		w.Write(l.sheet)
	case "/chunked.pdf":
		w.Header().Set("Content-Type", "application/pdf")
		for i := 0; i < len(l.sheet); i += 50_000 {
			w.Write(l.sheet[i:min(i+50_000, len(l.sheet))])
			w.(http.Flusher).Flush()
		}
	case "/cut.pdf":
		w.Header().Set("Content-Length", fmt.Sprint(len(l.sheet)))
		w.Write(l.sheet[:l.cutAt])
		w.(http.Flusher).Flush()
		conn, _, _ := w.(http.Hijacker).Hijack()
		conn.Close()
	case "/stall.pdf":
		w.Header().Set("Content-Length", fmt.Sprint(len(l.sheet)))
		w.Write(l.sheet[:len(l.sheet)/2])
		w.(http.Flusher).Flush()
		close(l.halfIn)
		select {
		case <-l.stall:
		case <-r.Context().Done():
		}
	case "/login.pdf":
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, "<html><body>Connectez-vous</body></html>")
	default:
		http.NotFound(w, r)
	}
}

func doc(id, url string) selfcare.Document {
	return selfcare.Document{ID: id, Title: "Fiche produit Yealink T46U", Kind: selfcare.DocProductSheet, URL: url}
}

// files lists what the cache folder holds, temporary files included.
func files(t *testing.T, dir string) []string {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

func TestDownloadShowsProgressAndIsCached(t *testing.T) {
	lib := newLibrary(t)
	dir := t.TempDir()
	c := New(dir, lib.Client(), nil)
	for _, path := range []string{"/fiche-t46u.pdf", "/chunked.pdf"} {
		d := doc("fiche"+strings.TrimSuffix(path[1:], ".pdf"), lib.URL+path)
		var calls [][2]int64
		p, err := c.Fetch(context.Background(), d, func(done, total int64) { calls = append(calls, [2]int64{done, total}) })
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := os.ReadFile(p); !bytes.Equal(got, lib.sheet) || filepath.Dir(p) != dir || filepath.Ext(p) != ".pdf" {
			t.Fatalf("%s: cached file %s differs from the document", path, p)
		}
		wantTotal := int64(len(lib.sheet))
		if path == "/chunked.pdf" {
			wantTotal = -1 // the server did not say
		}
		if len(calls) < 3 || calls[len(calls)-1] != [2]int64{int64(len(lib.sheet)), wantTotal} {
			t.Fatalf("%s: progress %v", path, calls)
		}
		for i := 1; i < len(calls); i++ {
			if calls[i][0] < calls[i-1][0] {
				t.Fatalf("%s: progress went back: %v", path, calls)
			}
		}
	}
	hits := lib.hits.Load()
	if _, err := c.Fetch(context.Background(), doc("fichefiche-t46u", lib.URL+"/fiche-t46u.pdf"), nil); err != nil {
		t.Fatal(err)
	}
	if lib.hits.Load() != hits {
		t.Fatal("a cached document was downloaded again")
	}
	if _, ok := c.Path(doc("fichefiche-t46u", lib.URL+"/v2/fiche-t46u.pdf")); ok {
		t.Fatal("a document moved to a new address is taken from the cache")
	}
}

func TestInterruptedDownloadLeavesNoBrokenFile(t *testing.T) {
	lib := newLibrary(t)
	dir := t.TempDir()
	c := New(dir, lib.Client(), nil)
	d := doc("cut", lib.URL+"/cut.pdf")
	var seen int64
	_, err := c.Fetch(context.Background(), d, func(done, _ int64) { seen = done })
	if selfcare.ErrorCode(err) != selfcare.CodeDocumentInterrupted || seen == 0 {
		t.Fatalf("cut download: %v after %d bytes", err, seen)
	}
	if !strings.Contains(selfcare.ErrorMessage(err, selfcare.LangFrench), "Le téléchargement de « Fiche produit Yealink T46U » a été interrompu") {
		t.Fatalf("message: %s", selfcare.ErrorMessage(err, selfcare.LangFrench))
	}
	if f := files(t, dir); len(f) != 0 {
		t.Fatalf("an interrupted download left %v", f)
	}
	if _, ok := c.Path(d); ok {
		t.Fatal("an interrupted download counts as cached")
	}
}

func TestCancelledDownloadLeavesNoBrokenFile(t *testing.T) {
	lib := newLibrary(t)
	dir := t.TempDir()
	c := New(dir, lib.Client(), nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() {
		_, err := c.Fetch(ctx, doc("stall", lib.URL+"/stall.pdf"), nil)
		done <- err
	}()
	<-lib.halfIn
	cancel()
	if err := <-done; err == nil || !strings.Contains(err.Error(), "canceled") {
		t.Fatalf("cancelled download: %v", err)
	}
	if f := files(t, dir); len(f) != 0 {
		t.Fatalf("a cancelled download left %v", f)
	}
}

func TestRefusedDownloadsSaySo(t *testing.T) {
	lib := newLibrary(t)
	dir := t.TempDir()
	c := New(dir, lib.Client(), nil)
	for path, want := range map[string]selfcare.Code{
		"/missing.pdf": selfcare.CodeDocumentDownload,
		"/login.pdf":   selfcare.CodeDocumentNotDocument,
	} {
		_, err := c.Fetch(context.Background(), doc("x", lib.URL+path), nil)
		if selfcare.ErrorCode(err) != want {
			t.Errorf("%s: %v", path, err)
		}
	}
	_, err := c.Fetch(context.Background(), doc("x", lib.URL+"/missing.pdf"), nil)
	if !strings.Contains(selfcare.ErrorMessage(err, selfcare.LangFrench), "HTTP 404 Not Found") {
		t.Errorf("404: %v", err)
	}
	lib.Close()
	if _, err := c.Fetch(context.Background(), doc("x", lib.URL+"/fiche-t46u.pdf"), nil); selfcare.ErrorCode(err) != selfcare.CodeDocumentDownload {
		t.Errorf("server down: %v", err)
	}
	if f := files(t, dir); len(f) != 0 {
		t.Fatalf("refused downloads left %v", f)
	}
}

func TestBundledGuidesAreCopiedIntoTheCache(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "docs")
	c := New(dir, nil, assets.Document)
	d := selfcare.Document{ID: "guide-t46u", Title: "Guide utilisateur Yealink T46U", Kind: selfcare.DocUserGuide, Bundled: "guide-yealink-t46u.pdf"}
	var last [2]int64
	p, err := c.Fetch(context.Background(), d, func(done, total int64) { last = [2]int64{done, total} })
	if err != nil {
		t.Fatal(err)
	}
	want, _ := assets.Document("guide-yealink-t46u.pdf")
	if got, _ := os.ReadFile(p); !bytes.Equal(got, want) || filepath.Dir(p) != dir || last != [2]int64{int64(len(want)), int64(len(want))} {
		t.Fatalf("bundled guide copied to %s, progress %v", p, last)
	}
	d.Bundled = "absent.pdf"
	if _, err := c.Fetch(context.Background(), d, nil); selfcare.ErrorCode(err) != selfcare.CodeDocumentUnavailable {
		t.Fatalf("absent bundled file: %v", err)
	}
	video := selfcare.Document{ID: "v", Title: "Tutoriel", Kind: selfcare.DocVideo, URL: "https://videos.example/renvois"}
	if _, err := c.Fetch(context.Background(), video, nil); selfcare.ErrorCode(err) != selfcare.CodeDocumentUnavailable {
		t.Fatalf("videos play in the browser, they are not downloaded: %v", err)
	}
}
