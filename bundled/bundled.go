// Package bundled carries real official list files inside the binary, so
// that lexscreen screens on a fresh machine with no network and no set-up.
//
// The files are the publishers' own, byte for byte, gzip-compressed
// (scripts/bundle-lists.sh rebuilds them). manifest.json says which list
// each is, its publisher's date and where it is published.
package bundled

import (
	"compress/gzip"
	"embed"
	"encoding/json"
	"io"
	"path"
	"time"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/source"
)

//go:embed manifest.json data
var files embed.FS

// List is one bundled publication.
type List struct {
	Source    string `json:"source"`
	Format    string `json:"format"`
	Published string `json:"published"` // publisher's date: YYYY-MM-DD or YYYY-MM
	// ContentHash is the snapshot content hash the list imports with (see
	// ingest: sha256 of the files' names and uncompressed bytes), so that
	// a store can be checked for it without reading the files. A test in
	// ingest keeps it true; scripts/bundle-lists.sh does not compute it.
	ContentHash string   `json:"content_hash"`
	Dir         string   `json:"dir"`
	Files       []string `json:"files"`
	URL         string   `json:"url"`
	// Title and Attribution describe lists that are not a publisher's
	// own (the ICC-related lists lexscreen compiles).
	Title       string `json:"title,omitempty"`
	Attribution string `json:"attribution,omitempty"`
}

// PublishedTime is the publisher's date as a time (the first day of the
// month when only the month is known).
func (l List) PublishedTime() time.Time {
	d, err := lexscreen.ParseISODate(l.Published)
	if err != nil {
		return time.Time{}
	}
	return d.First()
}

// Info is the source's title and attribution.
func (l List) Info() lexscreen.SourceInfo {
	if l.Attribution != "" {
		return lexscreen.SourceInfo{ID: l.Source, Title: l.Title, Authority: "lexscreen", Attribution: l.Attribution}
	}
	return source.SourceInfos[l.Source]
}

// SourceFiles returns the list's files, decompressed as they are read.
func (l List) SourceFiles() []source.File {
	out := make([]source.File, len(l.Files))
	for i, name := range l.Files {
		p := path.Join("data", l.Dir, name+".gz")
		out[i] = source.File{
			Name: name,
			Path: "bundled:" + path.Join(l.Dir, name),
			Open: func() (io.ReadCloser, error) {
				f, err := files.Open(p)
				if err != nil {
					return nil, err
				}
				z, err := gzip.NewReader(f)
				if err != nil {
					f.Close()
					return nil, err
				}
				return readCloser{source.CapReader(name, z, 0), z, f}, nil
			},
		}
	}
	return out
}

// readCloser reads a bundled file decompressed, under the MaxBytes limit
// that every decompressed list stream has.
type readCloser struct {
	io.Reader
	z *gzip.Reader
	f io.Closer
}

func (r readCloser) Close() error { r.z.Close(); return r.f.Close() }

// Lists returns the bundled publications.
func Lists() []List {
	b, err := files.ReadFile("manifest.json")
	if err != nil {
		panic("bundled: manifest.json missing from the binary: " + err.Error())
	}
	var ls []List
	if err := json.Unmarshal(b, &ls); err != nil {
		panic("bundled: manifest.json is malformed: " + err.Error())
	}
	return ls
}
