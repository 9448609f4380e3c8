// Package ingest imports list publications into the store: it hashes the
// files, runs the format's parser, checks what came out, and commits one
// snapshot atomically, or nothing.
package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/bundled"
	"github.com/lexscreen/lexscreen/source"
	"github.com/lexscreen/lexscreen/source/formats"
	"github.com/lexscreen/lexscreen/source/ftm"
	"github.com/lexscreen/lexscreen/store"
)

// Options tune one import.
type Options struct {
	Force     bool      // accept a snapshot that loses more than 20% of the previous one's entities
	Origin    string    // "bundled", "update", a path; recorded with the snapshot
	Published time.Time // overrides the publisher's date (zero: from the file, else the folder name, else the file time)
	Version   string    // overrides the version label
	// OnRead, when set, is told how many bytes of the input were read, as
	// they are read (for progress bars).
	OnRead func(n int)
}

// Result is the outcome of one job.
type Result struct {
	Snapshot  lexscreen.Snapshot `json:"snapshot"`
	Duplicate bool               `json:"duplicate"` // the same content was already imported; nothing new was stored
	Files     []string           `json:"files"`
	Elapsed   time.Duration      `json:"-"`
	// Delta is what an FtM delta file did to the snapshot before (nil for
	// a whole list).
	Delta *DeltaResult `json:"delta,omitempty"`
}

// Job imports one detected job.
func Job(ctx context.Context, db store.Store, job formats.Job, opts Options) (Result, error) {
	if opts.Origin == "" {
		opts.Origin = job.Dir
	}
	if job.Format.ID == ftm.FormatDelta.ID {
		return runDelta(ctx, db, job.Files, opts, inferDate(job.Dir))
	}
	return run(ctx, db, job.Format, job.Files, opts, inferDate(job.Dir))
}

// Bundled imports one bundled list.
func Bundled(ctx context.Context, db store.Store, l bundled.List, opts Options) (Result, error) {
	f := formats.ByID(l.Format)
	if f == nil {
		return Result{}, lexscreen.Errorf(lexscreen.EINTERNAL, "bundled list %s names unknown format %q", l.Source, l.Format)
	}
	opts.Origin = "bundled"
	if opts.Published.IsZero() {
		opts.Published = l.PublishedTime()
	}
	if opts.Version == "" {
		opts.Version = l.Published
	}
	return run(ctx, db, *f, l.SourceFiles(), opts, dateGuess{})
}

func run(ctx context.Context, db store.Store, format source.Format, files []source.File, opts Options, guess dateGuess) (Result, error) {
	start := time.Now()
	res := Result{}
	for _, f := range files {
		res.Files = append(res.Files, f.Path)
	}
	hash, err := contentHash(files)
	if err != nil {
		return res, err
	}
	if opts.OnRead != nil {
		files = countingFiles(files, opts.OnRead)
	}
	snap := lexscreen.Snapshot{Format: format.ID, ContentHash: hash, Imported: time.Now().UTC(), Origin: opts.Origin}
	for _, f := range files {
		snap.Files = append(snap.Files, f.Name)
	}
	imp, err := db.BeginImport(ctx, snap)
	if err != nil {
		return res, err
	}
	defer imp.Rollback() // no-op after Commit
	var src string
	count := 0
	meta, err := format.Parse(ctx, files, func(e *lexscreen.Entity) error {
		if err := checkEntity(e, &src); err != nil {
			return err
		}
		count++
		return imp.Add(e)
	})
	if err != nil {
		return res, err
	}
	if meta.Source == "" {
		meta.Source = src
	}
	if src != "" && meta.Source != src {
		return res, lexscreen.Errorf(lexscreen.EINTERNAL, "%s parser: entities of source %q in a publication of %q", format.ID, src, meta.Source)
	}
	if count == 0 {
		return res, &lexscreen.Error{Code: lexscreen.EINVALID, File: strings.Join(res.Files, ", "), Message: "no entities found: the file is empty or not a complete list; nothing was imported"}
	}
	if meta.Declared > 0 && meta.Declared != count {
		return res, &lexscreen.Error{Code: lexscreen.EINVALID, File: strings.Join(res.Files, ", "),
			Message: fmt.Sprintf("the file declares %d records but %d were read; it may be truncated; nothing was imported", meta.Declared, count)}
	}
	snap.Source = meta.Source
	snap.Version = meta.Version
	snap.Published = meta.Published.UTC()
	snap.Records = meta.Records
	if !snap.Published.IsZero() {
		// One form for every list: the publisher's date, so that snapshots
		// can be named by date in diff and history.
		snap.Version = snap.Published.Format("2006-01-02")
	}
	switch {
	case !opts.Published.IsZero():
		snap.Published = opts.Published.UTC()
	case snap.Published.IsZero() && !guess.t.IsZero():
		snap.Published = guess.t
		if snap.Version == "" {
			snap.Version = guess.label
		}
	case snap.Published.IsZero():
		snap.Published = newestModTime(files)
	}
	if opts.Version != "" {
		snap.Version = opts.Version
	}
	if snap.Version == "" {
		snap.Version = snap.Published.Format("2006-01-02")
	}
	imp.SetSnapshot(snap)
	out, err := imp.Commit(store.CommitOptions{Force: opts.Force})
	res.Elapsed = time.Since(start)
	if errors.Is(err, store.ErrDuplicate) {
		res.Snapshot, res.Duplicate = out, true
		return res, nil
	}
	if err != nil {
		return res, err
	}
	res.Snapshot = out
	return res, nil
}

func checkEntity(e *lexscreen.Entity, src *string) error {
	if e.Source == "" || !strings.HasPrefix(e.ID, e.Source+":") || len(e.ID) == len(e.Source)+1 {
		return lexscreen.Errorf(lexscreen.EINTERNAL, "parser produced entity id %q for source %q: ids must be \"<source>:<key>\"", e.ID, e.Source)
	}
	if *src == "" {
		*src = e.Source
	} else if *src != e.Source {
		return lexscreen.Errorf(lexscreen.EINVALID, "one publication holds entities of two sources (%s and %s): import them separately", *src, e.Source)
	}
	return nil
}

// contentHash is the sha256 of the files' names and bytes, in name order.
func contentHash(files []source.File) (string, error) {
	h := sha256.New()
	sorted := append([]source.File(nil), files...)
	for i := 1; i < len(sorted); i++ {
		for j := i; j > 0 && strings.ToLower(sorted[j].Name) < strings.ToLower(sorted[j-1].Name); j-- {
			sorted[j], sorted[j-1] = sorted[j-1], sorted[j]
		}
	}
	for _, f := range sorted {
		r, err := f.Open()
		if err != nil {
			return "", &lexscreen.Error{Code: lexscreen.EINVALID, File: f.Path, Message: "cannot open: " + err.Error(), Err: err}
		}
		fmt.Fprintf(h, "%s\x00", strings.ToLower(f.Name))
		_, err = io.Copy(h, r)
		r.Close()
		if err != nil {
			return "", &lexscreen.Error{Code: lexscreen.EINVALID, File: f.Path, Message: "cannot read: " + err.Error(), Err: err}
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

type dateGuess struct {
	t     time.Time
	label string
}

var reDirDate = regexp.MustCompile(`^(\d{4})-(\d{2})(?:-(\d{2}))?$`)

// inferDate reads a publisher's date from a folder name such as
// ".../sdn/2025-12-24" or ".../cons/2025-12" (the layout of the archive the
// bundled lists come from). The deepest matching folder wins.
func inferDate(dir string) dateGuess {
	for d := filepath.Clean(dir); d != "." && d != "/" && d != ""; d = filepath.Dir(d) {
		b := filepath.Base(d)
		if reDirDate.MatchString(b) {
			if pd, err := lexscreen.ParseISODate(b); err == nil {
				return dateGuess{t: pd.First(), label: b}
			}
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	return dateGuess{}
}

func newestModTime(files []source.File) time.Time {
	var t time.Time
	for _, f := range files {
		if m := modTime(f.Path); m.After(t) {
			t = m
		}
	}
	if t.IsZero() {
		t = time.Now()
	}
	return t.UTC().Truncate(time.Second)
}
