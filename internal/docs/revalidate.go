package docs

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/ligne-app/ligne/selfcare"
)

// RevalidateAfter is how long a downloaded document is used as it is;
// after that, opening it first asks its server whether it changed (a
// conditional GET: 304 keeps the copy, 200 replaces it).
const RevalidateAfter = 24 * time.Hour

// revalidateWait bounds how long opening a kept document waits for its
// server's answer: offline, the copy opens after it.
const revalidateWait = 5 * time.Second

// retryAfterFailure is how soon a server that did not answer is asked
// again.
const retryAfterFailure = time.Hour

// validators are what the server said about the copy kept, given back in
// the conditional GET, and when it was last checked.
type validators struct {
	ETag         string    `json:"etag,omitempty"`
	LastModified string    `json:"last_modified,omitempty"`
	Checked      time.Time `json:"checked"`
}

// validatorsPath is the hidden file beside a document holding its
// validators.
func validatorsPath(p string) string {
	return filepath.Join(filepath.Dir(p), "."+filepath.Base(p)+".json")
}

// readValidators returns what is known of p; a copy without them (kept
// before validators existed) counts as checked when it was written.
func readValidators(p string) validators {
	var v validators
	if data, err := os.ReadFile(validatorsPath(p)); err == nil && json.Unmarshal(data, &v) == nil {
		return v
	}
	if st, err := os.Stat(p); err == nil {
		v.Checked = st.ModTime()
		v.LastModified = st.ModTime().UTC().Format(http.TimeFormat)
	}
	return v
}

// writeValidators keeps v for p (a lost write only means an earlier check).
func writeValidators(p string, v validators) {
	data, err := json.Marshal(v)
	if err != nil {
		return
	}
	tmp := validatorsPath(p) + ".tmp"
	if os.WriteFile(tmp, data, 0o600) == nil {
		_ = os.Rename(tmp, validatorsPath(p))
	}
}

// validatorsOf reads a response's validators.
func validatorsOf(resp *http.Response, now time.Time) validators {
	return validators{ETag: resp.Header.Get("ETag"), LastModified: resp.Header.Get("Last-Modified"), Checked: now}
}

// revalidate asks d's server whether the copy at p changed, once
// RevalidateAfter has passed, and replaces it when it did. Whatever goes
// wrong (offline, a server error, a broken new version), the copy kept
// stays and opens.
func (c *Cache) revalidate(ctx context.Context, d selfcare.Document, p string, progress Progress) {
	v := readValidators(p)
	now := c.now()
	if now.Sub(v.Checked) < RevalidateAfter {
		return
	}
	resp, cancel, err := c.conditionalGet(ctx, d, v)
	if err != nil {
		v.Checked = now.Add(retryAfterFailure - RevalidateAfter)
		writeValidators(p, v)
		return
	}
	defer cancel()
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotModified:
		v.Checked = now
		writeValidators(p, v)
	case checkResponse(d, resp, extension(d)) == nil && resp.ContentLength <= MaxSize:
		total := resp.ContentLength
		if writeAtomically(p, resp.Body, total, func(done int64) { progress(done, total) }) == nil {
			writeValidators(p, validatorsOf(resp, now))
			return
		}
		fallthrough
	default:
		v.Checked = now.Add(retryAfterFailure - RevalidateAfter)
		writeValidators(p, v)
	}
}

// conditionalGet sends the GET with v's validators, giving up when no
// answer comes within revalidateWait (the body, once it flows, may take
// longer). cancel ends the request once the body is read.
func (c *Cache) conditionalGet(ctx context.Context, d selfcare.Document, v validators) (*http.Response, context.CancelFunc, error) {
	ctx, cancel := context.WithCancel(ctx)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, d.URL, nil)
	if err != nil {
		cancel()
		return nil, nil, err
	}
	if v.ETag != "" {
		req.Header.Set("If-None-Match", v.ETag)
	}
	if v.LastModified != "" {
		req.Header.Set("If-Modified-Since", v.LastModified)
	}
	timer := time.AfterFunc(revalidateWait, cancel)
	resp, err := c.client.Do(req)
	if !timer.Stop() || err != nil {
		if err == nil {
			resp.Body.Close()
			err = context.DeadlineExceeded
		}
		cancel()
		return nil, nil, err
	}
	return resp, cancel, nil
}
