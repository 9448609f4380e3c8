package main

import (
	"os"
	"path/filepath"

	"github.com/lexscreen/lexscreen/screening"
)

// sharedIndexes keeps the index files that in-process runs build, by
// their name (a hash of what the index is made of: screening.IndexKey),
// so that a run on another test's copy of the same lists (the bundled
// lists and one custom list, say) reads the file instead of building the
// same index again. Files are hard links: nothing is copied.
type sharedIndexes struct{ dir string }

// wrap makes a screenerCache of cache that fetches an index file before a
// load and keeps the file a load built.
func (s sharedIndexes) wrap(cache func(key string, load func() (*screening.Screener, error)) (*screening.Screener, error)) func(key, indexFile string, load func() (*screening.Screener, error)) (*screening.Screener, error) {
	return func(key, indexFile string, load func() (*screening.Screener, error)) (*screening.Screener, error) {
		return cache(key, func() (*screening.Screener, error) {
			if indexFile != "" {
				s.fetch(indexFile)
			}
			sc, err := load()
			if err == nil && indexFile != "" {
				s.keep(indexFile)
			}
			return sc, err
		})
	}
}

// fetch links the kept file of indexFile's name to indexFile, when there
// is one and indexFile does not exist.
func (s sharedIndexes) fetch(indexFile string) {
	kept := filepath.Join(s.dir, filepath.Base(indexFile))
	if _, err := os.Stat(indexFile); err == nil {
		return
	}
	if _, err := os.Stat(kept); err != nil {
		return
	}
	if os.MkdirAll(filepath.Dir(indexFile), 0o700) == nil {
		os.Link(kept, indexFile) // a failed link costs a build, nothing else
	}
}

// keep links indexFile into the shared directory, unless it holds one of
// that name already.
func (s sharedIndexes) keep(indexFile string) {
	os.Link(indexFile, filepath.Join(s.dir, filepath.Base(indexFile)))
}
