package provision_test

import (
	"io"
	"net/http"
	"testing"

	"github.com/ligne-app/ligne/provision"
)

// BenchmarkRender renders one phone's files: the demo's T46U, a T46S with
// all 266 keys (phone and six EXP40), the demo's VVX 450.
func BenchmarkRender(b *testing.B) {
	r, err := provision.NewRenderer()
	if err != nil {
		b.Fatal(err)
	}
	for name, in := range map[string]provision.Input{
		"T46U-9keys":    rich(fixture(b, "T46U", 9)),
		"T46S-266keys":  fixture(b, "T46S", 266),
		"VVX450-9keys":  rich(fixture(b, "VVX 450", 9)),
		"VVX450-95keys": fixture(b, "VVX 450", 95),
	} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if _, err := r.Render(in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkServeFetch is one authenticated fetch of a T46U's <mac>.cfg
// over loopback HTTP: Digest check, reading the settings from SQLite,
// rendering, and the fetch written to the log.
func BenchmarkServeFetch(b *testing.B) {
	w := newWorkspace(b)
	s := serve(b, w)
	url := s.httpURL + yealinkMAC + ".cfg"
	first, err := http.Get(url)
	if err != nil {
		b.Fatal(err)
	}
	first.Body.Close()
	nonce := digestChallenge(b, first.Header)["nonce"]
	client := &http.Client{}
	nc := 0
	for b.Loop() {
		nc++
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		req.Header.Set("User-Agent", yealinkUA)
		req.Header.Set("Authorization", digestAuthorization(nonce, "GET", "/"+yealinkMAC+".cfg", yealinkMAC, w.pw[yealinkMAC], nc))
		res, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			b.Fatalf("status %d", res.StatusCode)
		}
	}
}
