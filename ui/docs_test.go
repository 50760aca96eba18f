package ui_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/ligne-app/ligne/assets"
	"github.com/ligne-app/ligne/selfcare"
	"github.com/ligne-app/ligne/ui"
)

// docServer serves a product sheet, and one whose download is cut.
func docServer(t *testing.T) *httptest.Server {
	sheet := append([]byte("%PDF-1.7\n"), make([]byte, 200_000)...)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", fmt.Sprint(len(sheet)))
		switch r.URL.Path {
		case "/fiche-yealink-t46u.pdf":
			w.Write(sheet)
		case "/charte.pdf":
			w.Write(sheet[:len(sheet)/4])
			w.(http.Flusher).Flush()
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.Close()
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// withDocsOn points the demo profile's web documents at srv.
func withDocsOn(t *testing.T, h *harness, srv *httptest.Server) {
	ctx := context.Background()
	p, err := h.db.Profile(ctx)
	must(t, err)
	for i, d := range p.Documents {
		if d.URL != "" && d.Kind != selfcare.DocVideo {
			p.Documents[i].URL = srv.URL + "/" + filepath.Base(d.URL)
		}
	}
	must(t, h.db.ApplyProfile(ctx, p))
}

// localPath is the file a file: URL names.
func localPath(t *testing.T, s string) string {
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "file" {
		t.Fatalf("%q is not a file URL", s)
	}
	return filepath.FromSlash(u.Path)
}

// rowButton is the button of the document titled title.
func (h *harness) rowButton(title string) *widget.Button {
	h.t.Helper()
	objs := h.objects()
	for i, o := range objs {
		if l, ok := o.(*widget.Label); ok && l.Text == title {
			for _, next := range objs[i:] {
				if b, ok := next.(*widget.Button); ok {
					return b
				}
			}
		}
	}
	h.t.Fatalf("no document %q", title)
	return nil
}

func TestDocumentsDownloadOpenAndPlay(t *testing.T) {
	srv := docServer(t)
	open := &opened{}
	h := newDemoHarness(t, "fr", nil, open)
	withDocsOn(t, h, srv)
	h.app.Open(ui.SectionDocs)
	h.settle()
	sheet := h.rowButton("Fiche produit Yealink T46U")
	if sheet.Text != "Télécharger" {
		t.Fatalf("a document not downloaded yet offers %q", sheet.Text)
	}
	test.Tap(sheet)
	h.settle()
	urls := open.list()
	if len(urls) != 1 {
		t.Fatalf("opened %v; on screen %q", urls, h.texts())
	}
	path := localPath(t, urls[0])
	if data, err := os.ReadFile(path); err != nil || len(data) != 200_009 || !strings.HasPrefix(path, filepath.Join(h.db.Dir(), "docs")) {
		t.Fatalf("downloaded %s (%d bytes, %v)", path, len(data), err)
	}
	h.mustShow("cached", "Téléchargé")
	if b := h.rowButton("Fiche produit Yealink T46U"); b.Text != "Ouvrir" {
		t.Fatalf("a downloaded document offers %q", b.Text)
	}

	test.Tap(h.rowButton("Charte d'usage de la téléphonie"))
	h.settle()
	h.mustShow("cut", "Le téléchargement de « Charte d'usage de la téléphonie » a été interrompu ; rien n'a été gardé. Réessayez.")
	entries, _ := os.ReadDir(filepath.Join(h.db.Dir(), "docs"))
	var kept []string // documents and temporary files: not the sheet's validators (".<name>.json")
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), ".") || !strings.HasSuffix(e.Name(), ".json") {
			kept = append(kept, e.Name())
		}
	}
	if len(kept) != 1 || kept[0] != filepath.Base(path) {
		t.Fatalf("the cache holds %q after a cut download, want only the product sheet", kept)
	}

	test.Tap(h.rowButton("Guide utilisateur Poly VVX 450"))
	h.settle()
	bundled, _ := assets.Document("guide-poly-vvx450.pdf")
	if urls = open.list(); len(urls) != 2 {
		t.Fatalf("opened %v", urls)
	}
	if data, _ := os.ReadFile(localPath(t, urls[1])); string(data) != string(bundled) {
		t.Fatal("the bundled guide opened is not a copy of the one shipped")
	}
	video := h.rowButton("Tutoriel : programmer ses renvois d'appel")
	if video.Text != "Regarder" {
		t.Fatalf("a video offers %q", video.Text)
	}
	test.Tap(video)
	h.settle()
	if urls = open.list(); urls[len(urls)-1] != "https://videos.lemoine-equipements.fr/tutoriels/renvois" {
		t.Fatalf("video opened as %v", urls)
	}
}

func TestDeviceGuideButtonForMesTelephones(t *testing.T) {
	open := &opened{}
	h := newDemoHarness(t, "fr", nil, open)
	guide := h.app.DeviceGuideButtonForTest("T46U")
	none := h.app.DeviceGuideButtonForTest("VVX 250")
	h.settle()
	var button *widget.Button
	for _, o := range test.LaidOutObjects(guide) {
		if b, ok := o.(*widget.Button); ok {
			button = b
		}
	}
	if button == nil || button.Text != "Télécharger le guide utilisateur (PDF)" || button.Disabled() {
		t.Fatalf("guide button %+v", button)
	}
	test.Tap(button)
	h.settle()
	urls := open.list()
	want, _ := assets.Document("guide-yealink-t46u.pdf")
	if len(urls) != 1 {
		t.Fatalf("opened %v", urls)
	}
	if data, _ := os.ReadFile(localPath(t, urls[0])); string(data) != string(want) {
		t.Fatal("the T46U guide opened is not the T46U's")
	}
	var texts []string
	for _, o := range test.LaidOutObjects(none) {
		switch w := o.(type) {
		case *widget.Button:
			if !w.Disabled() {
				t.Error("the button is active for a model without a guide")
			}
		case *widget.Label:
			texts = append(texts, w.Text)
		}
	}
	if !strings.Contains(strings.Join(texts, "\n"), "Aucun guide utilisateur n'est disponible pour le VVX 250.") {
		t.Fatalf("no guide: %q", texts)
	}
}

func TestDialogShowsTheOptionsOfTheUser(t *testing.T) {
	for lang, want := range map[string][]string{
		"fr": {"4 options actives sur 8", "Vos options actives", "Autres options de l'offre", "Messagerie vocale visuelle",
			"Active pour vous", "Salle de conférence", "Non souscrite",
			"Pour ajouter ou enlever des options, vous devez vous rapprocher de votre administrateur."},
		"en": {"4 of 8 options active", "Your active options", "Conference room", "contact your administrator"},
	} {
		h := newDemoHarness(t, lang, nil, nil)
		h.app.Open(ui.SectionDialog)
		h.settle()
		h.mustShow(lang, want...)
	}
}
