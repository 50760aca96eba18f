package orgprofile

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/ligne-app/ligne/assets"
	"github.com/ligne-app/ligne/selfcare"
)

func TestLoadFromHTTPS(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/profile.json":
			w.Write(assets.DemoProfile())
		case "/broken.json":
			w.Write([]byte(`{"schema":"ligne.profile/1","company":`))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	ctx := context.Background()
	p, err := Load(ctx, srv.URL+"/profile.json", srv.Client())
	if err != nil || p.Company.Name != "Lemoine Équipements SAS" {
		t.Fatalf("%+v %v", p.Company, err)
	}
	if _, err := Load(ctx, srv.URL+"/missing.json", srv.Client()); selfcare.ErrorCode(err) != selfcare.CodeProfileFetch {
		t.Fatalf("404: %v", err)
	}
	if _, err := Load(ctx, srv.URL+"/broken.json", srv.Client()); selfcare.ErrorCode(err) != selfcare.CodeProfileSyntax {
		t.Fatalf("broken: %v", err)
	}
	// the default client does not trust the test server's certificate
	if _, err := Load(ctx, srv.URL+"/profile.json", nil); selfcare.ErrorCode(err) != selfcare.CodeProfileFetch {
		t.Fatalf("untrusted certificate accepted: %v", err)
	}
	if _, err := Load(ctx, "http://127.0.0.1/profile.json", nil); selfcare.ErrorCode(err) != selfcare.CodeURLInvalid {
		t.Fatalf("plain http accepted: %v", err)
	}
}

func TestLoadFromFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.json")
	os.WriteFile(path, assets.DemoProfile(), 0o600)
	if _, err := Load(context.Background(), path, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(context.Background(), path+".missing", nil); selfcare.ErrorCode(err) != selfcare.CodeProfileFetch {
		t.Fatal(err)
	}
}
