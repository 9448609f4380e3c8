package monitor

import (
	"context"
	"slices"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/store"
)

// Delta is what changed between two snapshot sets of the lists: the
// listed entities added, those whose listing changed (their
// EntityFingerprint differs) and the ids of those removed, each sorted by
// id.
type Delta struct {
	Added   []*lexscreen.Entity
	Changed []*lexscreen.Entity
	Removed []string
	// After holds the EntityFingerprint of every entity of the newer set.
	After map[string]string
}

// Screened returns the entities to screen the book with: the added and
// the changed.
func (d *Delta) Screened() []*lexscreen.Entity {
	return append(slices.Clone(d.Added), d.Changed...)
}

// Entities is a set of listed entities that can be walked (a snapshot
// set of a store, a slice in a test).
type Entities func(ctx context.Context, fn func(*lexscreen.Entity) error) error

// EntitySlice walks the entities of a slice.
func EntitySlice(es []*lexscreen.Entity) Entities {
	return func(ctx context.Context, fn func(*lexscreen.Entity) error) error {
		for _, e := range es {
			if err := fn(e); err != nil {
				return err
			}
		}
		return nil
	}
}

// StoreEntities walks the entities of the given snapshots of db.
func StoreEntities(db store.Store, snaps []lexscreen.Snapshot) Entities {
	return func(ctx context.Context, fn func(*lexscreen.Entity) error) error {
		return store.EachEntity(ctx, db, snaps, fn)
	}
}

// Compare returns the delta from before to after. Only the fingerprints
// of before are kept in memory, and the entities of after that are new or
// changed.
func Compare(ctx context.Context, before, after Entities) (*Delta, error) {
	old := map[string]string{}
	if before != nil {
		err := before(ctx, func(e *lexscreen.Entity) error {
			old[e.ID] = lexscreen.EntityFingerprint(e)
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	d := &Delta{After: map[string]string{}}
	err := after(ctx, func(e *lexscreen.Entity) error {
		fp := lexscreen.EntityFingerprint(e)
		d.After[e.ID] = fp
		switch was, ok := old[e.ID]; {
		case !ok:
			d.Added = append(d.Added, e)
		case was != fp:
			d.Changed = append(d.Changed, e)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for id := range old {
		if _, ok := d.After[id]; !ok {
			d.Removed = append(d.Removed, id)
		}
	}
	byID := func(a, b *lexscreen.Entity) int {
		if a.ID < b.ID {
			return -1
		}
		if a.ID > b.ID {
			return 1
		}
		return 0
	}
	slices.SortFunc(d.Added, byID)
	slices.SortFunc(d.Changed, byID)
	slices.Sort(d.Removed)
	return d, nil
}
