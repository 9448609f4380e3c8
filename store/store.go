// Package store is what lexscreen asks of a list store: versioned snapshots
// of each list, their entities, imports that are all-or-nothing, diffs and
// entity history. Two implementations satisfy Store: store/sqlite (one file,
// the embedded default) and store/postgres (one database shared by several
// servers). store/storetest is the contract both pass.
//
// Promises every Store keeps:
//   - an import is one transaction: nothing of it is visible before Commit,
//     and an import that fails or is abandoned leaves the store unchanged;
//   - Commit refuses a snapshot that has fewer than DefaultShrinkLimit of the
//     entities of the snapshot preceding it (ECONFLICT) unless forced, and a
//     snapshot whose content hash is already stored (ECONFLICT + ErrDuplicate);
//   - errors carry a lexscreen error code: ENOTFOUND for a missing snapshot or
//     entity, EINVALID for bad input, EUNAVAILABLE for a database that cannot
//     be reached or is busy, EINTERNAL otherwise.
package store

import (
	"context"
	"errors"
	"time"

	"github.com/lexscreen/lexscreen"
)

// Store is a list store. Implementations are safe for concurrent use.
type Store interface {
	// Snapshots lists the snapshots of source ("" = all sources), ordered
	// by source, Published and id.
	Snapshots(ctx context.Context, source string) ([]lexscreen.Snapshot, error)
	// Snapshot returns one snapshot; ENOTFOUND when there is none.
	Snapshot(ctx context.Context, id int64) (lexscreen.Snapshot, error)
	// FindByHash returns the snapshot of source with that content hash.
	FindByHash(ctx context.Context, source, contentHash string) (lexscreen.Snapshot, bool, error)
	// Current returns, per source, the snapshot in use: the latest
	// Published (ties: the latest imported). Ordered by source.
	Current(ctx context.Context) ([]lexscreen.Snapshot, error)
	// CurrentAt is Current as of t: per source, the latest snapshot
	// published on or before t; sources with none are left out.
	CurrentAt(ctx context.Context, t time.Time) ([]lexscreen.Snapshot, error)
	// Sources lists the source ids with at least one snapshot, sorted.
	Sources(ctx context.Context) ([]string, error)
	// Entities streams a snapshot's entities, ordered by id, to fn; an
	// error from fn stops the walk and is returned as is.
	Entities(ctx context.Context, snapshotID int64, fn func(*lexscreen.Entity) error) error
	// Entity returns one entity of a snapshot (0: the current snapshot of
	// the entity's source); ENOTFOUND when absent.
	Entity(ctx context.Context, id string, snapshotID int64) (*lexscreen.Entity, error)
	// DeleteSnapshot removes a snapshot and the entity versions no other
	// snapshot uses; ENOTFOUND when absent.
	DeleteSnapshot(ctx context.Context, id int64) error
	// FirstSeen maps every stored entity id to the Published date of the
	// earliest snapshot of its source that holds it.
	FirstSeen(ctx context.Context) (map[string]time.Time, error)
	// Diff compares two snapshots of one source (EINVALID otherwise).
	Diff(ctx context.Context, fromID, toID int64) (*Diff, error)
	// History reports when an entity appeared, changed, was removed and
	// reappeared; ENOTFOUND when no snapshot ever had it.
	History(ctx context.Context, entityID string) ([]HistoryEvent, error)
	// BeginImport starts importing one snapshot (see Import).
	BeginImport(ctx context.Context, snap lexscreen.Snapshot) (Import, error)
	// Location names the store for logs and messages (a file path, or a
	// database URL without its password).
	Location() string
	// Close releases the store.
	Close() error
}

// EachEntity streams the entities of snaps, one snapshot after another in
// that order, each ordered by id, to fn; an error from fn or from the
// store stops the walk and is returned as is.
func EachEntity(ctx context.Context, db Store, snaps []lexscreen.Snapshot, fn func(*lexscreen.Entity) error) error {
	for _, s := range snaps {
		if err := db.Entities(ctx, s.ID, fn); err != nil {
			return err
		}
	}
	return nil
}

// SnapshotsByID reads the snapshots of ids from db, in that order; the
// first that cannot be read stops it, with the store's error.
func SnapshotsByID(ctx context.Context, db Store, ids []int64) ([]lexscreen.Snapshot, error) {
	snaps := make([]lexscreen.Snapshot, 0, len(ids))
	for _, id := range ids {
		s, err := db.Snapshot(ctx, id)
		if err != nil {
			return nil, err
		}
		snaps = append(snaps, s)
	}
	return snaps, nil
}

// Import is one snapshot being written, in one transaction. It is not safe
// for concurrent use. Always call Rollback (a no-op after Commit):
//
//	imp, err := db.BeginImport(ctx, snap)
//	if err != nil { ... }
//	defer imp.Rollback()
//	for ... { if err := imp.Add(e); err != nil { ... } }
//	snap, err = imp.Commit(store.CommitOptions{})
type Import interface {
	// Add stores one entity: its ID is "<source>:<key>" of the snapshot's
	// source and new in this import. After an error the import can only be
	// rolled back.
	Add(e *lexscreen.Entity) error
	// SetSnapshot replaces the description (Source, Format, Version,
	// Published, ContentHash, Files, Origin, Records) before Commit.
	SetSnapshot(snap lexscreen.Snapshot)
	// Snapshot is the snapshot being imported, with the counts so far.
	Snapshot() lexscreen.Snapshot
	// Commit checks (content hash, shrink guard) and publishes the
	// snapshot. A refused shrink leaves the import open: Commit again with
	// Force, or Rollback. Any other error rolls it back.
	Commit(opts CommitOptions) (lexscreen.Snapshot, error)
	// Rollback discards the import.
	Rollback() error
}

// ChangeNotifier is implemented by stores that can say when another process
// committed or deleted a snapshot (PostgreSQL's LISTEN/NOTIFY), so that a
// server reloads at once instead of at its next poll.
type ChangeNotifier interface {
	// Changes returns a channel that receives a value (coalesced) after a
	// snapshot was committed or deleted anywhere, until ctx ends. Missed
	// notifications are possible (a lost connection): callers still poll.
	Changes(ctx context.Context) <-chan struct{}
}

// Pinger is implemented by stores that can check their database is
// reachable (readiness).
type Pinger interface {
	Ping(ctx context.Context) error
}

// ErrDuplicate is in the chain of the error Commit returns when a snapshot of
// the same source with the same content hash is already stored. Commit then
// returns that existing snapshot.
var ErrDuplicate = errors.New("already imported")

// DefaultShrinkLimit is the smallest fraction of the preceding snapshot's
// entity count a new snapshot may have without CommitOptions.Force.
const DefaultShrinkLimit = 0.8

// CommitOptions control the checks Commit makes.
type CommitOptions struct {
	// Force accepts a snapshot that the shrink guard would refuse.
	Force bool
	// ShrinkLimit overrides DefaultShrinkLimit when > 0.
	ShrinkLimit float64
}

// SourceOf is the source id of an entity id: the part before the first ':'.
func SourceOf(entityID string) string {
	for i := 0; i < len(entityID); i++ {
		if entityID[i] == ':' {
			if i == 0 {
				return ""
			}
			return entityID[:i]
		}
	}
	return ""
}
