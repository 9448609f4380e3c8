package ingest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/source"
	"github.com/lexscreen/lexscreen/source/ftm"
	"github.com/lexscreen/lexscreen/store"
)

// An FtM delta file (entities.delta.json: ADD, MOD and DEL operations) is
// applied to the snapshot of its list that precedes it: the new snapshot is
// that snapshot's entities, less the deleted ones, with the added and
// modified ones; the entities the delta does not mention stay. An empty
// delta gives a snapshot equal to the one before (a new version of the
// list, with nothing changed). The shrink guard compares the result with
// the snapshot before, as for a whole list: a delta deleting more than a
// fifth of the list needs --force.

// DeltaResult says what a delta did to the snapshot it was applied to.
type DeltaResult struct {
	Base     int64 `json:"base_snapshot"` // the snapshot the delta was applied to
	Added    int   `json:"added"`
	Modified int   `json:"modified"`
	Deleted  int   `json:"deleted"`
	// NotFound are DEL operations naming no entity of the base snapshot:
	// helper records (Sanction, Address, ...) folded into an entity, or
	// entities already gone.
	NotFound int `json:"not_found"`
	// Stale are entities the delta does not carry whose designations,
	// identifiers, addresses or links changed through helper records: they
	// keep their previous folded data until a full export is imported.
	Stale []string `json:"stale,omitempty"`
}

// deltaBase is the snapshot of src a delta published at t applies to: the
// newest published on or before t.
func deltaBase(ctx context.Context, db store.Store, src string, t time.Time) (lexscreen.Snapshot, error) {
	snaps, err := db.Snapshots(ctx, src)
	if err != nil {
		return lexscreen.Snapshot{}, err
	}
	var base lexscreen.Snapshot
	for _, s := range snaps {
		if t.IsZero() || !s.Published.After(t) {
			if base.ID == 0 || !s.Published.Before(base.Published) {
				base = s
			}
		}
	}
	if base.ID == 0 {
		if len(snaps) == 0 {
			return base, lexscreen.Errorf(lexscreen.EINVALID, "an FtM delta applies to the previous snapshot of %s, and the store has none: import a full export (entities.ftm.json) of %s first; nothing was imported", src, src)
		}
		return base, lexscreen.Errorf(lexscreen.EINVALID, "the FtM delta of %s is dated %s, before every snapshot of %s in the store (the oldest is %s): import the deltas in order after their full export; nothing was imported",
			src, t.Format("2006-01-02 15:04:05"), src, snaps[0].Published.Format("2006-01-02 15:04:05"))
	}
	return base, nil
}

// runDelta imports an FtM delta file as a new snapshot of its list.
func runDelta(ctx context.Context, db store.Store, files []source.File, opts Options, guess dateGuess) (Result, error) {
	start := time.Now()
	res := Result{}
	for _, f := range files {
		res.Files = append(res.Files, f.Path)
	}
	hash, err := contentHash(files)
	if err != nil {
		return res, err
	}
	var upserts []*lexscreen.Entity
	d, err := ftm.ParseDelta(ctx, files, func(e *lexscreen.Entity) error {
		upserts = append(upserts, e)
		return nil
	})
	if err != nil {
		return res, err
	}
	src := d.Meta.Source
	published := d.Meta.Published.UTC()
	if !opts.Published.IsZero() {
		published = opts.Published.UTC()
	} else if published.IsZero() && !guess.t.IsZero() {
		published = guess.t
	}
	if published.IsZero() {
		published = newestModTime(files)
	}
	base, err := deltaBase(ctx, db, src, published)
	if err != nil {
		return res, err
	}
	dr := &DeltaResult{Base: base.ID, Stale: d.Affected}
	deleted := map[string]bool{}
	for _, id := range d.Deleted {
		deleted[id] = true
	}
	upserted := map[string]bool{}
	for _, e := range upserts {
		if err := checkEntity(e, new(string)); err != nil {
			return res, err
		}
		if e.Source != src {
			return res, lexscreen.Errorf(lexscreen.EINTERNAL, "ftm-delta parser: entity %s of source %s in a delta of %s", e.ID, e.Source, src)
		}
		upserted[e.ID] = true
	}
	snap := lexscreen.Snapshot{Source: src, Format: "ftm-delta", ContentHash: hash, Imported: time.Now().UTC(), Origin: opts.Origin,
		Published: published, Version: d.Meta.Version}
	for _, f := range files {
		snap.Files = append(snap.Files, f.Name)
	}
	if snap.Version == "" {
		snap.Version = published.Format("2006-01-02T15:04:05")
	}
	if opts.Version != "" {
		snap.Version = opts.Version
	}
	// The base's entities are read before the import's write transaction
	// opens (one connection writes, the reads must not wait on it).
	var kept []*lexscreen.Entity
	seen := map[string]bool{}
	if err := db.Entities(ctx, base.ID, func(e *lexscreen.Entity) error {
		seen[e.ID] = true
		switch {
		case deleted[e.ID]:
			dr.Deleted++
		case upserted[e.ID]:
			dr.Modified++
		default:
			kept = append(kept, e)
		}
		return nil
	}); err != nil {
		return res, err
	}
	for id := range deleted {
		if !seen[id] {
			dr.NotFound++
		}
	}
	for _, e := range upserts {
		if !seen[e.ID] {
			dr.Added++
		}
	}
	imp, err := db.BeginImport(ctx, snap)
	if err != nil {
		return res, err
	}
	defer imp.Rollback()
	for _, e := range kept {
		if err := imp.Add(e); err != nil {
			return res, err
		}
	}
	for _, e := range upserts {
		if deleted[e.ID] {
			continue // added and deleted in the same delta
		}
		if err := imp.Add(e); err != nil {
			return res, err
		}
	}
	if len(kept)+len(upserts) == 0 {
		return res, &lexscreen.Error{Code: lexscreen.EINVALID, File: strings.Join(res.Files, ", "),
			Message: fmt.Sprintf("the delta deletes every entity of %s snapshot %d: nothing would be left; nothing was imported", src, base.ID)}
	}
	imp.SetSnapshot(snap)
	out, err := imp.Commit(store.CommitOptions{Force: opts.Force})
	res.Elapsed = time.Since(start)
	res.Delta = dr
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
