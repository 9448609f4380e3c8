package workspace

import (
	"context"
	"sync/atomic"
	"time"
)

// WAL checkpoints off the write path. With SQLite's automatic checkpoint,
// the commit that took the WAL past 1,000 pages copied it into the
// database and flushed it, in the workspace's single writer: under
// lexload's four-eyes cycles (each a new subject and four alerts of some
// 10 KB) that was a third of a commit's CPU, and every write queued
// behind it waited. Now a background goroutine copies the WAL every
// checkpointEvery without blocking writers (PASSIVE), as the audit log
// does. SQLite starts the WAL over only when a checkpoint has copied all
// of it, which under a steady stream of writes may not happen by itself:
// once the WAL holds more than walRestartBytes, the checkpointer takes the
// writer's lock between two group commits and checkpoints again, which
// copies the little written since; the next commit starts the WAL over.
// Durability is unchanged: a commit is durable in the WAL (synchronous
// FULL) before its answer, whenever its pages reach the database file.
var (
	checkpointEvery       = time.Second
	walRestartBytes int64 = 64 << 20
)

// checkpoints is the state of a store's checkpointer.
type checkpoints struct {
	stop     context.CancelFunc
	done     chan struct{}
	pageSize int64
	// failures counts checkpoints that failed (they are tried again at the
	// next tick; the WAL grows meanwhile).
	failures atomic.Int64
	restarts atomic.Int64
}

// startCheckpoints starts the checkpointer of a SQLite store.
func (s *Store) startCheckpoints(ctx context.Context) error {
	if err := s.db.QueryRowContext(ctx, "PRAGMA page_size").Scan(&s.ckpt.pageSize); err != nil {
		return err
	}
	cctx, cancel := context.WithCancel(context.Background())
	s.ckpt.stop, s.ckpt.done = cancel, make(chan struct{})
	go s.checkpointer(cctx)
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

func (s *Store) checkpointer(ctx context.Context) {
	defer close(s.ckpt.done)
	t := time.NewTicker(checkpointEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		s.checkpointStep(ctx)
	}
}

// checkpointStep is one tick of the checkpointer: a passive checkpoint and,
// when the WAL has outgrown walRestartBytes, a second one between two group
// commits so that the next commit starts the WAL over. It reports whether
// it took that second step.
func (s *Store) checkpointStep(ctx context.Context) (restart bool) {
	frames, err := s.checkpoint(ctx)
	if err != nil || frames*s.ckpt.pageSize <= walRestartBytes {
		return false
	}
	// Between two group commits, with nothing coming in.
	s.mu.Lock()
	_, err = s.checkpoint(ctx)
	s.mu.Unlock()
	if err != nil {
		return false
	}
	s.ckpt.restarts.Add(1)
	return true
}

// checkpoint copies what it can of the WAL into the database without
// blocking writers; frames is the number of frames in the WAL.
func (s *Store) checkpoint(ctx context.Context) (frames int64, err error) {
	var busy, copied int64
	err = s.db.QueryRowContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &frames, &copied)
	if err != nil && ctx.Err() == nil {
		s.ckpt.failures.Add(1)
	}
	return frames, err
}
