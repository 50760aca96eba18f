// Package orgprofile fetches the organization profile from a file or an
// HTTPS URL and parses it with selfcare.ParseProfile.
package orgprofile

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/ligne-app/ligne/selfcare"
)

// Timeout bounds a profile download.
const Timeout = 30 * time.Second

// Load reads the profile at src: an https:// URL (plain http is refused:
// the profile carries the company directory) or a file path. client may be
// nil for http.DefaultClient.
func Load(ctx context.Context, src string, client *http.Client) (selfcare.Profile, error) {
	switch {
	case strings.HasPrefix(src, "https://"):
		return fetch(ctx, src, client)
	case strings.HasPrefix(src, "http://"):
		return selfcare.Profile{}, selfcare.Errorf(selfcare.CodeURLInvalid, "profile", src)
	}
	f, err := os.Open(src)
	if err != nil {
		return selfcare.Profile{}, selfcare.Errorf(selfcare.CodeProfileFetch, "profile", err.Error())
	}
	defer f.Close()
	return selfcare.ParseProfile(f)
}

// fetch downloads and parses the profile at url.
func fetch(ctx context.Context, url string, client *http.Client) (selfcare.Profile, error) {
	if client == nil {
		client = http.DefaultClient
	}
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return selfcare.Profile{}, selfcare.Errorf(selfcare.CodeURLInvalid, "profile", url)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return selfcare.Profile{}, selfcare.Errorf(selfcare.CodeProfileFetch, "profile", err.Error())
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
		return selfcare.Profile{}, selfcare.Errorf(selfcare.CodeProfileFetch, "profile", fmt.Sprintf("HTTP %d", resp.StatusCode))
	}
	return selfcare.ParseProfile(resp.Body)
}
