package workspace

import (
	"context"
	"time"

	"github.com/lexscreen/lexscreen/internal/sqlitewal"
)

// WAL checkpoints off the write path. With SQLite's automatic checkpoint,
// the commit that took the WAL past 1,000 pages copied it into the
// database and flushed it, in the workspace's single writer: under
// lexload's four-eyes cycles (each a new subject and four alerts of some
// 10 KB) that was a third of a commit's CPU, and every write queued
// behind it waited. Now a background goroutine copies the WAL every
// checkpointEvery without blocking writers, as the audit log does, and
// once the WAL holds more than walRestartBytes catches up so that the next
// commit starts it over (internal/sqlitewal); as a last resort, at twice
// that size, it takes the writer's lock between two group commits and
// checkpoints again. Durability is unchanged: a commit is durable in the
// WAL (synchronous FULL) before its answer, whenever its pages reach the
// database file.
var (
	checkpointEvery       = time.Second
	walRestartBytes int64 = 64 << 20
)

// checkpoints is the state of a store's checkpointer.
type checkpoints struct {
	stop context.CancelFunc
	done chan struct{}
	wal  sqlitewal.Checkpointer
}

// startCheckpoints starts the checkpointer of a SQLite store.
func (s *Store) startCheckpoints(ctx context.Context) error {
	if err := s.db.QueryRowContext(ctx, "PRAGMA page_size").Scan(&s.ckpt.wal.PageSize); err != nil {
		return err
	}
	s.ckpt.wal.DB, s.ckpt.wal.RestartBytes, s.ckpt.wal.Force = s.db, walRestartBytes, s.checkpointHeld
	cctx, cancel := context.WithCancel(context.Background())
	s.ckpt.stop, s.ckpt.done = cancel, make(chan struct{})
	go func() {
		defer close(s.ckpt.done)
		s.ckpt.wal.Run(cctx, checkpointEvery)
	}()
	return nil
}

// stopCheckpoints stops the checkpointer (if any) and waits for it.
func (s *Store) stopCheckpoints() {
	if s.ckpt.stop == nil {
		return
	}
	s.ckpt.stop()
	<-s.ckpt.done
}

// checkpointHeld checkpoints between two group commits, with nothing
// coming in, so that the next commit starts the WAL over.
func (s *Store) checkpointHeld(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, _, err := s.ckpt.wal.Passive(ctx)
	return err
}
