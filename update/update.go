// Package update downloads the current official list files from their
// publishers. It follows redirects (OFAC answers with a redirect to a signed
// S3 address), retries failures that may pass with back-off, bounds each
// request in time and size, and detects truncated downloads. What it fetched
// is then imported like any file, so a list that does not parse never
// replaces the one in use.
package update

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/lexscreen/lexscreen"
)

// Target is one list and the files that make one publication of it.
type Target struct {
	Source string       `json:"source"`
	Format string       `json:"format"` // format id of source/formats
	Files  []RemoteFile `json:"files"`
	Note   string       `json:"note,omitempty"`
}

// RemoteFile is one file of a publication and where it is published.
type RemoteFile struct {
	Name string `json:"name"` // local file name, e.g. "sdn.csv"
	URL  string `json:"url"`
}

const ofacSLS = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/"

// Official are the publishers' own addresses (checked 2026; OFAC's old
// treasury.gov paths and the OFSI list, closed on 2026-01-28, are not used).
var Official = []Target{
	{Source: "us-ofac-sdn", Format: "ofac-csv", Files: []RemoteFile{
		{"sdn.csv", ofacSLS + "SDN.CSV"}, {"add.csv", ofacSLS + "ADD.CSV"},
		{"alt.csv", ofacSLS + "ALT.CSV"}, {"sdn_comments.csv", ofacSLS + "SDN_COMMENTS.CSV"}}},
	{Source: "us-ofac-cons", Format: "ofac-csv", Files: []RemoteFile{
		{"cons_prim.csv", ofacSLS + "CONS_PRIM.CSV"}, {"cons_add.csv", ofacSLS + "CONS_ADD.CSV"},
		{"cons_alt.csv", ofacSLS + "CONS_ALT.CSV"}, {"cons_comments.csv", ofacSLS + "CONS_COMMENTS.CSV"}}},
	{Source: "un-sc", Format: "un-xml", Files: []RemoteFile{
		{"consolidated.xml", "https://scsanctions.un.org/resources/xml/en/consolidated.xml"}}},
	{Source: "eu-fsf", Format: "eu-fsf-csv", Files: []RemoteFile{
		{"eu_csl.csv", "https://webgate.ec.europa.eu/fsd/fsf/public/files/csvFullSanctionsList_1_1/content?token=dG9rZW4tMjAxNw"}},
		Note: "the EU portal often answers 403 to automated clients; import a downloaded copy with `lexscreen import FILE`"},
	{Source: "gb-fcdo", Format: "uk-fcdo-csv", Files: []RemoteFile{
		{"UK-Sanctions-List.csv", "https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.csv"}}},
	{Source: "ca-sema", Format: "ca-sema-xml", Files: []RemoteFile{
		{"sema-lmes.xml", "https://www.international.gc.ca/world-monde/assets/office_docs/international_relations-relations_internationales/sanctions/sema-lmes.xml"}}},
	{Source: "us-csl", Format: "us-csl-csv", Files: []RemoteFile{
		{"consolidated.csv", "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv"}}},
}

// Fetcher downloads files. The zero value is not usable; use NewFetcher.
type Fetcher struct {
	Client   *http.Client
	Retries  int           // further attempts after the first, for errors that may pass
	Backoff  time.Duration // wait before the first retry; doubles each time
	Timeout  time.Duration // per attempt
	MaxBytes int64         // per file
	// Mirror, when set, replaces the scheme and host of every URL (a local
	// mirror or a test server with the same paths).
	Mirror string
	// UserAgent is sent with every request.
	UserAgent string
}

// NewFetcher returns a Fetcher with production defaults: 3 retries from 2 s,
// 5 minutes and 1 GiB per file.
func NewFetcher() *Fetcher {
	return &Fetcher{Client: &http.Client{}, Retries: 3, Backoff: 2 * time.Second,
		Timeout: 5 * time.Minute, MaxBytes: 1 << 30, UserAgent: "lexscreen (sanctions screening; +https://github.com/lexscreen/lexscreen)"}
}

// FetchTarget downloads every file of t into dir and returns their paths.
// Either all files arrive whole or an error says which did not.
func (f *Fetcher) FetchTarget(ctx context.Context, t Target, dir string) ([]string, error) {
	var paths []string
	for _, rf := range t.Files {
		p := filepath.Join(dir, rf.Name)
		if err := f.Fetch(ctx, rf.URL, p); err != nil {
			return nil, err
		}
		paths = append(paths, p)
	}
	return paths, nil
}

// Fetch downloads one URL to path, retrying network errors, 429 and 5xx
// answers with exponential back-off. 4xx answers (403 from an anti-bot
// wall, 404 after a publisher moved a file) are not retried.
func (f *Fetcher) Fetch(ctx context.Context, rawURL, path string) error {
	u, err := f.resolve(rawURL)
	if err != nil {
		return err
	}
	wait := f.Backoff
	var last error
	for attempt := 0; attempt <= f.Retries; attempt++ {
		if attempt > 0 {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(wait):
			}
			wait *= 2
		}
		retry, err := f.once(ctx, u, path)
		if err == nil {
			return nil
		}
		last = err
		if !retry || ctx.Err() != nil {
			break
		}
	}
	return last
}

func (f *Fetcher) resolve(raw string) (string, error) {
	if f.Mirror == "" {
		return raw, nil
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", err
	}
	m, err := url.Parse(f.Mirror)
	if err != nil || m.Scheme == "" || m.Host == "" {
		return "", lexscreen.Errorf(lexscreen.EINVALID, "invalid mirror address %q: want scheme://host[:port]", f.Mirror)
	}
	u.Scheme, u.Host = m.Scheme, m.Host
	return u.String(), nil
}

// once makes one attempt; retry says whether another attempt may succeed.
func (f *Fetcher) once(ctx context.Context, u, path string) (retry bool, err error) {
	ctx, cancel := context.WithTimeout(ctx, f.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return false, lexscreen.Errorf(lexscreen.EINVALID, "invalid address %s: %v", u, err)
	}
	if f.UserAgent != "" {
		req.Header.Set("User-Agent", f.UserAgent)
	}
	resp, err := f.Client.Do(req)
	if err != nil {
		return true, &lexscreen.Error{Code: lexscreen.EUNAVAILABLE, Message: fmt.Sprintf("%s: %v", u, errors.Unwrap(err)), Err: err}
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		retry = resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500
		msg := fmt.Sprintf("%s: the publisher answered HTTP %d %s", u, resp.StatusCode, http.StatusText(resp.StatusCode))
		if resp.StatusCode == http.StatusForbidden {
			msg += " (often an anti-bot wall: download the file in a browser and run `lexscreen import FILE`)"
		}
		return retry, &lexscreen.Error{Code: lexscreen.EUNAVAILABLE, Message: msg}
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".download-*")
	if err != nil {
		return false, err
	}
	defer os.Remove(tmp.Name())
	n, err := io.Copy(tmp, io.LimitReader(resp.Body, f.MaxBytes+1))
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return true, &lexscreen.Error{Code: lexscreen.EUNAVAILABLE, Message: fmt.Sprintf("%s: download interrupted after %d bytes: %v", u, n, err), Err: err}
	}
	if n > f.MaxBytes {
		return false, lexscreen.Errorf(lexscreen.EINVALID, "%s: larger than the %d-byte limit", u, f.MaxBytes)
	}
	if resp.ContentLength >= 0 && n != resp.ContentLength {
		return true, lexscreen.Errorf(lexscreen.EUNAVAILABLE, "%s: truncated download: %d of %s bytes", u, n, strconv.FormatInt(resp.ContentLength, 10))
	}
	if n == 0 {
		return true, lexscreen.Errorf(lexscreen.EUNAVAILABLE, "%s: the publisher sent an empty file", u)
	}
	return false, os.Rename(tmp.Name(), path)
}
