package ingest

import (
	"context"
	"errors"
	"fmt"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/bundled"
	"github.com/lexscreen/lexscreen/store"
)

// Bundled list states in a store.
const (
	BundledLoaded     = "loaded"     // a snapshot of the source holds the bundled content
	BundledSuperseded = "superseded" // the source has a snapshot published on or after the bundled list's date
	BundledMissing    = "missing"    // neither: the bundled list must be loaded
)

// BundledState says whether one bundled list is in a store.
type BundledState struct {
	Source   string `json:"source"`
	Version  string `json:"version"` // the bundled list's publisher's date
	Status   string `json:"status"`  // BundledLoaded, BundledSuperseded or BundledMissing
	Snapshot int64  `json:"snapshot,omitempty"`
	Own      bool   `json:"own,omitempty"` // one of lexscreen's own compilations (ICC warrants, Russian cases)
	Error    string `json:"error,omitempty"`
	list     bundled.List
}

// BundledStates checks every bundled list against the store, by source and
// content hash: a list is loaded when a snapshot of its source has its
// content, superseded when its source has a snapshot published on or after
// the bundled list's date (a newer file the user imported; the bundled one
// would add nothing to screening), and missing otherwise. It reads no list
// file.
func BundledStates(ctx context.Context, db store.Store) ([]BundledState, error) {
	var out []BundledState
	for _, l := range bundled.Lists() {
		st := BundledState{Source: l.Source, Version: l.Published, Status: BundledMissing, Own: l.Attribution != "", list: l}
		snap, ok, err := db.FindByHash(ctx, l.Source, l.ContentHash)
		if err != nil {
			return nil, err
		}
		if ok {
			st.Status, st.Snapshot = BundledLoaded, snap.ID
		} else {
			snaps, err := db.Snapshots(ctx, l.Source)
			if err != nil {
				return nil, err
			}
			for _, s := range snaps {
				if !s.Published.Before(l.PublishedTime()) {
					st.Status, st.Snapshot = BundledSuperseded, s.ID
				}
			}
		}
		out = append(out, st)
	}
	return out, nil
}

// EnsureBundled loads every bundled list that BundledStates finds missing,
// one at a time, each atomically, so that a load interrupted before is
// finished now and loading twice stores nothing twice. onLoad, when set, is
// called before each load with the lists still to load. A list that fails
// does not stop the others: the returned states say which failed, and the
// error joins every failure. A cancelled ctx stops at once with its error.
func EnsureBundled(ctx context.Context, db store.Store, onLoad func(todo []BundledState)) ([]BundledState, error) {
	states, err := BundledStates(ctx, db)
	if err != nil {
		return nil, err
	}
	var todo []int
	for i, st := range states {
		if st.Status == BundledMissing {
			todo = append(todo, i)
		}
	}
	var errs []error
	for k, i := range todo {
		st := &states[i]
		if onLoad != nil {
			rest := make([]BundledState, 0, len(todo)-k)
			for _, j := range todo[k:] {
				rest = append(rest, states[j])
			}
			onLoad(rest)
		}
		// Force: the bundled files are known good (their hashes are
		// checked by the tests), so the shrink guard, which protects
		// against a truncated download, must not keep them out.
		res, err := Bundled(ctx, db, st.list, Options{Force: true})
		if err != nil {
			if ctx.Err() != nil {
				return states, ctx.Err()
			}
			st.Error = err.Error()
			errs = append(errs, fmt.Errorf("loading bundled list %s %s: %w", st.Source, st.Version, err))
			continue
		}
		if res.Snapshot.ContentHash != st.list.ContentHash {
			// The manifest's hash is stale: the list would be loaded again
			// on every run. Say so rather than loop silently.
			st.Error = "bundled manifest content_hash does not match the files"
			errs = append(errs, lexscreen.Errorf(lexscreen.EINTERNAL, "bundled list %s: manifest content_hash %s, files hash to %s",
				st.Source, st.list.ContentHash, res.Snapshot.ContentHash))
			continue
		}
		st.Status, st.Snapshot = BundledLoaded, res.Snapshot.ID
	}
	return states, errors.Join(errs...)
}
