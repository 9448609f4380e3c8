package workspace

import (
	"context"
	"database/sql"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lexscreen/lexscreen/internal/sqlitewal"
)

// Queries of the hot paths (recording a screening that finds the same
// alert again), prepared once when the store opens instead of parsed at
// each call: parsing cost more than running them.
const (
	qSuppressed = `SELECT 1 FROM suppressions WHERE subject_fp = ? AND entity_id = ? AND entity_fp = ?`
	qLastOfPair = `SELECT id, subject_fp, entity_fp FROM alerts WHERE subject_id = ? AND entity_id = ? ORDER BY id DESC LIMIT 1`
	qSeenAgain  = `UPDATE alerts SET last_seen = ?, last_run = ? WHERE id = ?`
	// qInsertAlert opens an alert (found.go).
	qInsertAlert = `INSERT INTO alerts (status, subject_id, subject, subject_fp, entity_id, entity_name, entity_fp, entity, score,
		result, result_hash, run, due, opened, updated, last_seen, last_run, previous, changes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`
	// qInsertFrozen stores a screening's result once for its alerts.
	qInsertFrozen = `INSERT INTO frozen_results (hash, result) VALUES (?, ?) ON CONFLICT DO NOTHING`
)

// The writes of the four-eyes cycle (a decision, its approval) and of an
// alert's history: run in the workspace's single writer, where parsing
// them (and compiling the triggers they fire) took a third of the time.
const (
	qAlertHead      = `SELECT id, status, subject_id, subject_fp, entity_id, entity_name, entity_fp FROM alerts WHERE id = ?`
	qInsertHistory  = `INSERT INTO history (alert_id, time, actor, action, from_status, to_status, note) VALUES (?, ?, ?, ?, ?, ?, ?)`
	qSetStatus      = `UPDATE alerts SET status = ?, updated = ? WHERE id = ?`
	qInsertDecision = `INSERT INTO decisions (alert_id, outcome, reason, maker, maker_role, made, from_status) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`
	// qPendingDecision: the literal 'pending' lets SQLite use the partial
	// index decisions_one_pending (at most one row).
	qPendingDecision   = `SELECT ` + decisionColumns + `, from_status FROM decisions WHERE alert_id = ? AND state = 'pending'`
	qCheckDecision     = `UPDATE decisions SET state = ?, checker = ?, checker_role = ?, checked = ?, check_note = ? WHERE id = ?`
	qInsertSuppression = `INSERT INTO suppressions (subject_fp, entity_id, entity_fp, alert_id, decision_id, created) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT DO NOTHING`
	// qWebhooks: read by every write that has events, for their outbox.
	qWebhooks = `SELECT id, url, secret, events, created FROM webhooks ORDER BY id`
)

var hotQueries = []string{qSuppressed, qLastOfPair, qSeenAgain, qInsertAlert, qInsertFrozen,
	qAlertHead, qInsertHistory, qSetStatus, qInsertDecision, qPendingDecision, qCheckDecision, qInsertSuppression, qWebhooks}

// The savepoints of a group commit, two or three a write: prepared in
// SQLite only (PostgreSQL runs them as they are).
const (
	qSavepoint  = `SAVEPOINT write`
	qRelease    = `RELEASE write`
	qRollbackTo = `ROLLBACK TO write`
)

// readQueries are the hot queries read outside the writer (the precheck of
// FoundScreening), prepared on the read pool.
var readQueries = []string{qSuppressed, qLastOfPair}

// prepare prepares the hot queries: on the writer's connection for the
// writes (stmts), on the read pool for the reads (rstmts).
func (s *Store) prepare(ctx context.Context) error {
	queries := hotQueries
	if !s.pg {
		queries = append(queries[:len(queries):len(queries)], qSavepoint, qRelease, qRollbackTo)
	}
	for _, set := range []struct {
		db      *sql.DB
		queries []string
		into    *sync.Map
	}{{s.wdb, queries, &s.stmts}, {s.db, readQueries, &s.rstmts}} {
		for _, q := range set.queries {
			st, err := set.db.PrepareContext(ctx, q)
			if err != nil {
				s.closeStmts()
				return err
			}
			set.into.Store(q, st)
		}
	}
	return nil
}

// stmt returns a hot query prepared for tx (database/sql prepares it once
// per connection).
func (s *Store) stmt(ctx context.Context, tx *sql.Tx, query string) *sql.Stmt {
	st, ok := s.stmts.Load(query)
	if !ok {
		panic("workspace: query not prepared: " + query)
	}
	return tx.StmtContext(ctx, st.(*sql.Stmt))
}

// exec runs query in tx, prepared if it is a hot query.
func (s *Store) exec(ctx context.Context, tx *sql.Tx, query string) error {
	var err error
	if st, ok := s.stmts.Load(query); ok {
		_, err = tx.StmtContext(ctx, st.(*sql.Stmt)).ExecContext(ctx)
	} else {
		_, err = tx.ExecContext(ctx, query)
	}
	return err
}

// closeStmts closes the prepared statements.
func (s *Store) closeStmts() {
	for _, m := range []*sync.Map{&s.stmts, &s.rstmts} {
		m.Range(func(k, v any) bool {
			v.(*sql.Stmt).Close()
			m.Delete(k)
			return true
		})
	}
}

// writeMetrics counts the group commits of the workspace and the time
// the writer spent in each phase of them.
type writeMetrics struct {
	groups, writes atomic.Int64
	phases         [phaseCount]atomic.Int64 // nanoseconds
}

// The phases of a group commit.
const (
	phaseBegin  = iota // beginning the transaction (waiting for SQLite's write lock)
	phaseWrites        // running the writes and encoding their audit records
	phaseAudit         // appending the records to the audit log (and its flush)
	phaseCommit        // committing (and the flush of the disk)
	phaseCount
)

// PhaseNames names the phases of WriteStats.PhaseSeconds.
var PhaseNames = [phaseCount]string{"begin", "writes", "audit", "commit"}

func (m *writeMetrics) phase(p int, d time.Duration) { m.phases[p].Add(int64(d)) }

func (m *writeMetrics) observe(writes int) {
	m.groups.Add(1)
	m.writes.Add(int64(writes))
}

// WriteStats is how the workspace's writes were committed.
type WriteStats struct {
	Commits int64 `json:"commits"` // transactions committed or rolled back
	Writes  int64 `json:"writes"`  // writes (actions, recorded screenings) they held
	// SeenLost counts "last seen" marks of alerts found again that could
	// not be written (FoundScreening writes them after the answer).
	SeenLost int64 `json:"seen_lost"`
	// WAL counts the background WAL checkpoints that failed (SQLite;
	// checkpoint.go: the WAL grows until one succeeds) and how the WAL was
	// made to start over (internal/sqlitewal).
	WAL sqlitewal.Stats `json:"wal"`
	// PhaseSeconds is the writer's time in each phase of the group
	// commits (PhaseNames): where a write queued waits.
	PhaseSeconds [phaseCount]float64 `json:"phase_seconds"`
}

// WriteStats says how many writes the store committed in how many
// transactions since it was opened.
func (s *Store) WriteStats() WriteStats {
	st := WriteStats{Commits: s.metrics.groups.Load(), Writes: s.metrics.writes.Load(), SeenLost: s.seen.lost.Load(),
		WAL: s.ckpt.wal.Stats()}
	for i := range st.PhaseSeconds {
		st.PhaseSeconds[i] = time.Duration(s.metrics.phases[i].Load()).Seconds()
	}
	return st
}
