// Package sqlitewal copies a SQLite database's write-ahead log into the
// database in the background, and keeps the WAL from growing without end
// under a steady stream of commits, without making a commit wait.
//
// SQLite starts the WAL over from its beginning only when a checkpoint has
// copied all of it and the next write finds no reader of an older state.
// Under a steady stream of commits a checkpoint rarely gets there by
// itself: commits land while it copies. The old way, a checkpoint taken
// with the writer held (nothing coming in), made every commit wait for it:
// 33 to 54 ms every 12 s in the server's load test, most of it flushing
// the disk. A Checkpointer instead catches up: once the WAL has outgrown
// RestartBytes it runs passive checkpoints one after another, each copying
// only what came in during the one before (a few frames, a millisecond or
// two), until one finds nothing new; then all of the WAL is in the
// database and the next commit starts it over. Only when that keeps
// failing and the WAL reaches twice RestartBytes does it fall back to the
// owner's Force, the checkpoint with the writer held.
//
// Durability is unchanged: a checkpoint flushes the database before SQLite
// lets the WAL be written over.
package sqlitewal

import (
	"context"
	"database/sql"
	"sync/atomic"
	"time"
)

// Checkpointer checkpoints one SQLite database in WAL mode with automatic
// checkpoints off (PRAGMA wal_autocheckpoint(0)).
type Checkpointer struct {
	// DB is the database; the checkpoints take one of its connections.
	DB *sql.DB
	// PageSize is the database's page size (PRAGMA page_size).
	PageSize int64
	// RestartBytes is the WAL size past which the checkpointer catches up
	// so that the WAL starts over.
	RestartBytes int64
	// Passes is the most passive checkpoints one catch-up runs (0: 20;
	// negative: none, which tests use to reach Force).
	Passes int
	// Force, when the WAL holds more than twice RestartBytes, checkpoints
	// with no commit coming in (the owner holds its writer), so that the
	// next commit starts the WAL over. It may also just ask the owner's
	// writer to do so. Its checkpoint goes through Passive, which counts
	// a failure; Step does not count it again.
	Force func(ctx context.Context) error

	failures, caughtUp, forced atomic.Int64
}

// Outcome is what one Step did.
type Outcome int

const (
	// Copied: one passive checkpoint; the WAL is under RestartBytes.
	Copied Outcome = iota
	// Behind: the WAL is past RestartBytes and commits kept coming in
	// during the catch-up; the next step tries again.
	Behind
	// CaughtUp: the whole WAL is in the database; the next commit starts
	// it over (unless a reader of an older state is still open then).
	CaughtUp
	// Forced: Force ran.
	Forced
)

// Stats counts what the checkpointer did since it was made.
type Stats struct {
	// Failures counts checkpoints that failed; the next step tries again,
	// and the WAL grows meanwhile.
	Failures int64 `json:"failures"`
	// CaughtUp counts catch-ups that copied the whole WAL without holding
	// the writer; Forced, the times Force ran.
	CaughtUp int64 `json:"caught_up"`
	Forced   int64 `json:"forced"`
}

// Stats returns the checkpointer's counts.
func (c *Checkpointer) Stats() Stats {
	return Stats{Failures: c.failures.Load(), CaughtUp: c.caughtUp.Load(), Forced: c.forced.Load()}
}

// Run steps every interval until ctx ends.
func (c *Checkpointer) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		c.Step(ctx)
	}
}

// Step copies what it can of the WAL into the database without blocking a
// writer and, when the WAL has outgrown RestartBytes, catches up (see the
// package's comment).
func (c *Checkpointer) Step(ctx context.Context) (Outcome, error) {
	frames, _, err := c.Passive(ctx)
	if err != nil || frames*c.PageSize <= c.RestartBytes {
		return Copied, err
	}
	passes := c.Passes
	if passes == 0 {
		passes = 20
	}
	for range passes {
		before := frames
		var copied int64
		frames, copied, err = c.Passive(ctx)
		if err != nil {
			return Behind, err
		}
		// Nothing came in since the checkpoint before and all is copied:
		// the whole WAL is in the database. (Fewer frames: the WAL has
		// started over meanwhile.)
		if frames <= before && copied == frames {
			c.caughtUp.Add(1)
			return CaughtUp, nil
		}
	}
	if frames*c.PageSize <= 2*c.RestartBytes || c.Force == nil {
		return Behind, nil
	}
	if err := c.Force(ctx); err != nil {
		return Behind, err
	}
	c.forced.Add(1)
	return Forced, nil
}

// Passive runs one passive checkpoint, which never waits for a writer or
// a reader: frames is the number of frames in the WAL when it began, copied
// how many of them are in the database now. A failure is counted (unless
// ctx ended).
func (c *Checkpointer) Passive(ctx context.Context) (frames, copied int64, err error) {
	var busy int64
	err = c.DB.QueryRowContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &frames, &copied)
	if err != nil && ctx.Err() == nil {
		c.failures.Add(1)
	}
	return frames, copied, err
}
