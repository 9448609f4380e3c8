package workspace

import (
	"context"
	"database/sql"
	"sync/atomic"
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
		result, run, due, opened, updated, last_seen, last_run, previous, changes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`
)

var hotQueries = []string{qSuppressed, qLastOfPair, qSeenAgain, qInsertAlert}

// prepare prepares the hot queries.
func (s *Store) prepare(ctx context.Context) error {
	for _, q := range hotQueries {
		st, err := s.db.PrepareContext(ctx, q)
		if err != nil {
			s.closeStmts()
			return err
		}
		s.stmts.Store(q, st)
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

// closeStmts closes the prepared statements.
func (s *Store) closeStmts() {
	s.stmts.Range(func(k, v any) bool {
		v.(*sql.Stmt).Close()
		s.stmts.Delete(k)
		return true
	})
}

// writeMetrics counts the group commits of the workspace.
type writeMetrics struct {
	groups, writes atomic.Int64
}

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
}

// WriteStats says how many writes the store committed in how many
// transactions since it was opened.
func (s *Store) WriteStats() WriteStats {
	return WriteStats{Commits: s.metrics.groups.Load(), Writes: s.metrics.writes.Load(), SeenLost: s.seen.lost.Load()}
}
