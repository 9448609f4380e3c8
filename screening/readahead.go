package screening

import (
	"context"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/store"
)

// readBatch is how many entities the reading goroutine hands over at a
// time, and readAhead how many batches it may be ahead.
const (
	readBatch = 64
	readAhead = 4
)

// readEntities calls fn with every entity of snaps, in the store's order,
// on the caller's goroutine, while another goroutine reads and decodes
// the next ones from the store (on two idle cores, building the index of
// every bundled list then takes about the time of indexing alone, not of
// reading plus indexing; the CPU spent is the same). A store error, or
// the context's (cancelled before fn had every entity), is returned once
// fn has had the entities read before it; a panic while reading is
// raised again on the caller's goroutine.
func readEntities(ctx context.Context, db store.Store, snaps []lexscreen.Snapshot, fn func(*lexscreen.Entity)) error {
	ctx, cancel := context.WithCancel(ctx)
	batches := make(chan []*lexscreen.Entity, readAhead)
	done := make(chan readResult, 1)
	var res readResult
	ended := false
	// However this returns (fn may panic), the reader is stopped and gone
	// first: it holds a store connection while it reads.
	defer func() {
		cancel()
		for range batches {
		}
		if !ended {
			<-done
		}
	}()
	go func() {
		var res readResult
		defer func() {
			if r := recover(); r != nil {
				res = readResult{panicValue: r}
			}
			close(batches)
			done <- res
		}()
		batch := make([]*lexscreen.Entity, 0, readBatch)
		send := func() error {
			select {
			case batches <- batch:
				batch = make([]*lexscreen.Entity, 0, readBatch)
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		err := store.EachEntity(ctx, db, snaps, func(e *lexscreen.Entity) error {
			batch = append(batch, e)
			if len(batch) == readBatch {
				return send()
			}
			return nil
		})
		if err != nil {
			res.err = err
			return
		}
		if len(batch) > 0 {
			res.err = send()
		}
	}()
	for batch := range batches {
		if ctx.Err() != nil {
			break // the deferred drain waits for the reader
		}
		for _, e := range batch {
			fn(e)
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	res, ended = <-done, true
	if res.panicValue != nil {
		panic(res.panicValue) // the store's, raised again here
	}
	return res.err
}

// readResult is how the reading goroutine ended.
type readResult struct {
	err        error
	panicValue any // recovered from a panic while reading
}

// readEntitiesInline is readEntities reading on the caller's goroutine.
func readEntitiesInline(ctx context.Context, db store.Store, snaps []lexscreen.Snapshot, fn func(*lexscreen.Entity)) error {
	return store.EachEntity(ctx, db, snaps, func(e *lexscreen.Entity) error {
		fn(e)
		return nil
	})
}
