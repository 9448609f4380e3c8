package workspace

import (
	"context"
	"database/sql"
	"fmt"
	"runtime/trace"
	"time"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/audit"
)

// Group commit. Every write of the workspace is one SQLite transaction, and
// with synchronous FULL each commit waits for a flush of the disk (about a
// millisecond here, much more under load). Writes one at a time capped the
// workspace at the disk's flushes a second: about 1,200 alerts a second
// under lexload -alert, every request waiting its turn. So the writes that
// queue while a commit is flushing run together in the next transaction,
// each in its own savepoint: a write that fails is rolled back alone and
// the others commit; the audit records of all of them go to the audit log
// in one append (in the order of the changes) before the commit, and a
// refusal there undoes the whole group. Each caller still gets its own
// answer only once its change is committed (or refused).

// maxGroup bounds the writes committed together.
const maxGroup = 256

// writeReq is one write waiting for its group.
type writeReq struct {
	ctx context.Context // the caller's: checked before fn runs
	fn  func(ctx context.Context, tx *sql.Tx, c *change) error
	// alone: committed in a transaction of its own, on the caller's
	// context (a large write: an import, a monitoring run), never in
	// a savepoint whose journal would hold every page it changes.
	alone bool
	// pre: audit records appended just before this write's actions, in
	// the same append and only if the write succeeds (the record of the
	// screening whose alerts the write opens: foundscreening.go).
	pre  []*audit.Record
	c    change
	err  error
	done chan struct{}
}

// aloneAbove is the number of subjects, results or alerts above which a
// write is committed alone.
const aloneAbove = 64

// write runs fn in a transaction, records its actions in the audit log and
// commits; if fn fails or the audit log refuses, nothing of fn's is
// changed. fn may run in a transaction with other writes (after them, in
// its own savepoint); it is given a context that is not cancelled
// mid-write, as an interrupted statement would roll back the whole group.
func (s *Store) write(ctx context.Context, fn func(ctx context.Context, tx *sql.Tx, c *change) error) error {
	return s.queueWrite(&writeReq{ctx: ctx, fn: fn})
}

// writeAlone is write in a transaction of its own, with ctx passed to fn
// as it is: a large write, which its caller may cancel.
func (s *Store) writeAlone(ctx context.Context, fn func(ctx context.Context, tx *sql.Tx, c *change) error) error {
	return s.queueWrite(&writeReq{ctx: ctx, fn: fn, alone: true})
}

// queueWrite queues r and returns once it is committed or refused.
func (s *Store) queueWrite(r *writeReq) error {
	if err := r.ctx.Err(); err != nil {
		return err
	}
	r.done = make(chan struct{})
	s.qmu.Lock()
	s.queue = append(s.queue, r)
	s.qmu.Unlock()

	// Whoever holds the writer lock commits what is queued, ours included
	// unless an earlier holder already took it.
	s.mu.Lock()
	defer s.mu.Unlock()
	for {
		select {
		case <-r.done:
			return r.err
		default:
		}
		s.qmu.Lock()
		n := 1
		if !s.queue[0].alone {
			for n < min(len(s.queue), maxGroup) && !s.queue[n].alone {
				n++
			}
		}
		group := s.queue[:n:n]
		s.queue = s.queue[n:]
		if len(s.queue) == 0 {
			s.queue = nil
		}
		s.qmu.Unlock()
		s.commitGroup(group)
	}
}

// commitGroup runs a group of writes in one transaction and tells each its
// outcome.
func (s *Store) commitGroup(group []*writeReq) {
	defer func() {
		// A write that panics fails its whole group (whose transaction
		// is rolled back), and the panic goes on in the committer.
		if p := recover(); p != nil {
			for _, r := range group {
				select {
				case <-r.done:
				default:
					r.err = lexscreen.Errorf(lexscreen.EINTERNAL, "workspace: a write of the same transaction failed unexpectedly, nothing was changed: %v", p)
					close(r.done)
				}
			}
			panic(p)
		}
	}()
	// Regions of an execution trace (go tool trace, "User-defined
	// regions"; see cmd/lexscreen/pprof_debug.go): where a group's time
	// goes, running, runnable or waiting. Nearly free when not tracing.
	var err error
	trace.WithRegion(context.Background(), "workspace group commit", func() { err = s.runGroup(group) })
	for _, r := range group {
		// Done, failed or in doubt: verdicts on these keys are read again.
		s.verdicts.touch(r.c.pairs, r.c.sups)
	}
	for _, r := range group {
		if err != nil && r.err == nil {
			r.err = err
		}
		close(r.done)
	}
	s.metrics.observe(len(group))
	if err != nil {
		return
	}
	for _, r := range group {
		if r.err == nil {
			for _, e := range r.c.events {
				s.publish(r.ctx, e)
			}
		}
	}
}

// runGroup runs the writes of a group; it returns an error that fails
// them all (the transaction could not begin or commit, the audit log
// refused), or nil with each write's own error in its err.
func (s *Store) runGroup(group []*writeReq) error {
	// The transaction of a group belongs to no one caller: one leaving
	// must not roll back the others' changes.
	ctx := context.WithoutCancel(group[0].ctx)
	if group[0].alone {
		ctx = group[0].ctx
	}
	t0 := time.Now()
	tx, err := s.wdb.BeginTx(ctx, nil)
	if err != nil {
		return dbErr(err)
	}
	defer tx.Rollback()
	if err := s.lockWrites(ctx, tx); err != nil {
		return dbErr(err)
	}
	t1 := time.Now()
	s.metrics.phase(phaseBegin, t1.Sub(t0))
	alone := len(group) == 1
	var recs []*audit.Record
	// The records of the actions are encoded on another goroutine while
	// the next writes run (encoder.go); pre records come encoded.
	enc := startEncoder()
	defer enc.wait()
	for _, r := range group {
		if err := r.ctx.Err(); err != nil {
			r.err = err
			continue
		}
		if !alone {
			if err := s.exec(ctx, tx, qSavepoint); err != nil {
				return dbErr(err)
			}
		}
		fnCtx := context.WithoutCancel(r.ctx)
		if r.alone {
			fnCtx = r.ctx
		}
		r.err = s.runOne(fnCtx, tx, r)
		if alone {
			if r.err != nil {
				return nil
			}
		} else {
			end := []string{qRelease}
			if r.err != nil {
				// Undo this write only. If SQLite already rolled back
				// the whole transaction (an I/O error, say), this fails,
				// and so does the group.
				end = []string{qRollbackTo, qRelease}
			}
			for _, q := range end {
				if err := s.exec(ctx, tx, q); err != nil {
					return dbErr(fmt.Errorf("after a write of the group failed (%v): %w", r.err, err))
				}
			}
		}
		if r.err == nil {
			recs = append(recs, r.pre...)
			t := s.now()
			n := len(recs)
			for _, a := range r.c.actions {
				rec, err := audit.ActionRecord(a, t)
				if err != nil {
					return lexscreen.Errorf(lexscreen.EINTERNAL, "workspace: audit record: %v", err)
				}
				recs = append(recs, rec)
			}
			enc.encode(recs[n:])
		}
	}
	if err := enc.wait(); err != nil {
		return lexscreen.Errorf(lexscreen.EINTERNAL, "workspace: audit record: %v", err)
	}
	t2 := time.Now()
	s.metrics.phase(phaseWrites, t2.Sub(t1))
	if len(recs) > 0 {
		var err error
		trace.WithRegion(ctx, "workspace group: audit append", func() { err = s.opts.Audit.Append(ctx, recs...) })
		if err != nil {
			return lexscreen.Errorf(lexscreen.EUNAVAILABLE, "the audit log refused the record of this action, so it was not done: %v", err)
		}
	}
	t3 := time.Now()
	s.metrics.phase(phaseAudit, t3.Sub(t2))
	err = tx.Commit()
	s.metrics.phase(phaseCommit, time.Since(t3))
	return dbErr(err)
}

// runOne runs one write's fn and queues its webhook deliveries.
func (s *Store) runOne(ctx context.Context, tx *sql.Tx, r *writeReq) error {
	r.c = change{}
	if err := r.fn(ctx, tx, &r.c); err != nil {
		return err
	}
	if err := s.enqueue(ctx, tx, r.c.events, s.now()); err != nil {
		return err
	}
	return s.notifyEvents(ctx, tx, r.c.events)
}
