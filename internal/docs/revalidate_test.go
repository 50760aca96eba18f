package docs

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"testing"
	"time"
)

// versionedGuide is a server whose one document changes version, honours
// If-None-Match, and can go down.
type versionedGuide struct {
	mu      sync.Mutex
	version int
	down    bool
	asked   []string // If-None-Match of each request
}

func (g *versionedGuide) body() []byte { return pdf(1000 + g.version) }

func (g *versionedGuide) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.asked = append(g.asked, r.Header.Get("If-None-Match"))
	if g.down {
		http.Error(w, "maintenance", http.StatusServiceUnavailable)
		return
	}
	etag := fmt.Sprintf(`"v%d"`, g.version)
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("ETag", etag)
	w.Header().Set("Content-Type", "application/pdf")
	w.Write(g.body())
}

func (g *versionedGuide) set(f func(*versionedGuide)) {
	g.mu.Lock()
	defer g.mu.Unlock()
	f(g)
}

func (g *versionedGuide) requests() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]string(nil), g.asked...)
}

// TestKeptDocumentsAreCheckedAfterADay: a copy is used as it is for a
// day; then opening it asks the server with the copy's ETag (304: the
// copy stays), a new version replaces it, and a server that fails leaves
// the copy opening.
func TestKeptDocumentsAreCheckedAfterADay(t *testing.T) {
	g := &versionedGuide{}
	srv := httptest.NewServer(g)
	defer srv.Close()
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	c := New(t.TempDir(), srv.Client(), nil)
	c.now = func() time.Time { return now }
	d := doc("guide", srv.URL+"/guide.pdf")
	open := func(want []byte) {
		t.Helper()
		p, err := c.Fetch(context.Background(), d, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := os.ReadFile(p); !bytes.Equal(got, want) {
			t.Fatalf("the document opened has %d bytes, want %d", len(got), len(want))
		}
	}
	open(g.body())
	now = now.Add(RevalidateAfter - time.Minute)
	open(g.body())
	if r := g.requests(); len(r) != 1 {
		t.Fatalf("the server was asked %d times within a day, want once: %q", len(r), r)
	}
	now = now.Add(2 * time.Minute)
	open(g.body())
	if r := g.requests(); len(r) != 2 || r[1] != `"v0"` {
		t.Fatalf("after a day: requests %q, want a second one with If-None-Match \"v0\"", r)
	}
	old := g.body()
	g.set(func(g *versionedGuide) { g.version = 1 })
	open(old) // checked an instant ago: not asked again
	now = now.Add(RevalidateAfter + time.Minute)
	open(g.body())
	g.set(func(g *versionedGuide) { g.version, g.down = 2, true })
	kept := pdf(1001)
	now = now.Add(RevalidateAfter + time.Minute)
	open(kept)
	n := len(g.requests())
	now = now.Add(retryAfterFailure / 2)
	open(kept)
	if len(g.requests()) != n {
		t.Fatal("a server that failed was asked again before an hour")
	}
	g.set(func(g *versionedGuide) { g.down = false })
	now = now.Add(retryAfterFailure)
	open(g.body())
}
