package screening

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/store"
)

// snapshotStore serves the entities of its snapshots (and nothing else
// of a store); failAfter > 0 makes the read of snapshot 2 fail or panic
// after that many of its entities.
type snapshotStore struct {
	store.Store
	snaps     map[int64][]*lexscreen.Entity
	failAfter int
	panics    bool
}

var errDiskGone = errors.New("disk I/O error")

func (s *snapshotStore) Entities(ctx context.Context, id int64, fn func(*lexscreen.Entity) error) error {
	for i, e := range s.snaps[id] {
		if err := ctx.Err(); err != nil {
			return err
		}
		if id == 2 && s.failAfter > 0 && i == s.failAfter {
			if s.panics {
				panic("page 4711 corrupt")
			}
			return errDiskGone
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return nil
}

// newSnapshotStore holds three snapshots of sizes around the read batch.
func newSnapshotStore() (*snapshotStore, []lexscreen.Snapshot) {
	s := &snapshotStore{snaps: map[int64][]*lexscreen.Entity{}}
	var snaps []lexscreen.Snapshot
	for id, n := range map[int64]int{1: readBatch*3 + 5, 2: readBatch, 3: 1} {
		for i := range n {
			s.snaps[id] = append(s.snaps[id], &lexscreen.Entity{ID: fmt.Sprintf("src%d:%d", id, i)})
		}
	}
	for id := range int64(3) {
		snaps = append(snaps, lexscreen.Snapshot{ID: id + 1})
	}
	return s, snaps
}

// Every entity, in the store's order, snapshot after snapshot.
func TestReadEntitiesOrder(t *testing.T) {
	db, snaps := newSnapshotStore()
	var got []string
	if err := readEntities(context.Background(), db, snaps, func(e *lexscreen.Entity) { got = append(got, e.ID) }); err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, s := range snaps {
		for _, e := range db.snaps[s.ID] {
			want = append(want, e.ID)
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("read %d entities, want %d in order", len(got), len(want))
	}
}

// A store that fails, a context cancelled while reading, a store that
// panics and an fn that panics: the error or the panic reaches the
// caller, and fn has seen no entity after the failure.
func TestReadEntitiesFailures(t *testing.T) {
	db, snaps := newSnapshotStore()
	db.failAfter = 10
	n := 0
	err := readEntities(context.Background(), db, snaps, func(e *lexscreen.Entity) { n++ })
	if !errors.Is(err, errDiskGone) || n > len(db.snaps[1])+10 {
		t.Errorf("failing store: %v after %d entities", err, n)
	}

	ctx, cancel := context.WithCancel(context.Background())
	n = 0
	err = readEntities(ctx, &snapshotStore{snaps: db.snaps}, snaps, func(e *lexscreen.Entity) {
		if n++; n == 70 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) || n >= 70+readBatch {
		t.Errorf("cancelled: %v after %d entities, want context.Canceled before the next batch", err, n)
	}

	db.panics = true
	func() {
		defer func() {
			if r := recover(); r != "page 4711 corrupt" {
				t.Errorf("store panic: recovered %v", r)
			}
		}()
		readEntities(context.Background(), db, snaps, func(e *lexscreen.Entity) {})
		t.Error("no panic")
	}()

	func() {
		defer func() {
			if r := recover(); r != "index full" {
				t.Errorf("fn panic: recovered %v", r)
			}
		}()
		readEntities(context.Background(), &snapshotStore{snaps: db.snaps}, snaps, func(e *lexscreen.Entity) { panic("index full") })
		t.Error("no panic")
	}()
}
