package monitor

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"time"

	"github.com/lexscreen/lexscreen"
	_ "modernc.org/sqlite" // the "sqlite" database/sql driver
)

// Store is the SQLite file (or PostgreSQL database, OpenPostgresStore) that
// makes monitoring durable: the runs, the chunks of each run already
// delivered to the Sink (the checkpoints), and the snapshot set last
// monitored.
type Store struct {
	db *sql.DB
	pg bool
}

// OpenStore opens (creating it if needed) the monitoring file at path.
func OpenStore(ctx context.Context, path string) (*Store, error) {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(FULL)")
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("opening the monitoring store %s: %w", path, err)
	}
	_, err = db.ExecContext(ctx, `
	CREATE TABLE IF NOT EXISTS runs (
		id       TEXT PRIMARY KEY,
		spec     TEXT NOT NULL,   -- hash of what the run screens (kind, snapshots, book, engine)
		kind     TEXT NOT NULL,   -- delta or full
		state    TEXT NOT NULL,   -- running, done
		chunks   INTEGER NOT NULL,
		started  TEXT NOT NULL,
		finished TEXT
	);
	CREATE INDEX IF NOT EXISTS runs_spec ON runs(spec, state);
	CREATE TABLE IF NOT EXISTS run_chunks (
		run      TEXT NOT NULL,
		chunk    INTEGER NOT NULL, -- -1: the removals
		screened INTEGER NOT NULL,
		subjects INTEGER NOT NULL, -- subjects that matched
		pairs    INTEGER NOT NULL, -- (subject, entity) pairs delivered
		failed   INTEGER NOT NULL,
		done     TEXT NOT NULL,
		PRIMARY KEY (run, chunk)
	) WITHOUT ROWID;
	CREATE TABLE IF NOT EXISTS facts (
		name TEXT PRIMARY KEY,    -- "legal": the regime engine's FactsHash
		hash TEXT NOT NULL,
		at   TEXT NOT NULL
	) WITHOUT ROWID;
	CREATE TABLE IF NOT EXISTS monitored (
		source   TEXT PRIMARY KEY,
		snapshot INTEGER NOT NULL,
		run      TEXT NOT NULL,
		at       TEXT NOT NULL
	) WITHOUT ROWID;`)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("preparing the monitoring store %s: %w", path, err)
	}
	return &Store{db: db}, nil
}

// Close closes the file.
func (s *Store) Close() error { return s.db.Close() }

// Monitored returns the snapshot set last monitored to the end: snapshot
// id by source (empty before the first run).
func (s *Store) Monitored(ctx context.Context) (map[string]int64, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT source, snapshot FROM monitored`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var src string
		var id int64
		if err := rows.Scan(&src, &id); err != nil {
			return nil, err
		}
		out[src] = id
	}
	return out, rows.Err()
}

// RunInfo is one run as the store records it.
type RunInfo struct {
	ID       string `json:"id"`
	Kind     string `json:"kind"`
	State    string `json:"state"`
	Chunks   int    `json:"chunks"`
	Done     int    `json:"chunks_done"`
	Started  string `json:"started"`
	Finished string `json:"finished,omitempty"`
}

// Runs returns the runs, newest first.
func (s *Store) Runs(ctx context.Context) ([]RunInfo, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, kind, state, chunks, started, COALESCE(finished, ''),
		(SELECT COUNT(*) FROM run_chunks c WHERE c.run = runs.id AND c.chunk >= 0)
		FROM runs ORDER BY started DESC, id DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []RunInfo
	for rows.Next() {
		var r RunInfo
		if err := rows.Scan(&r.ID, &r.Kind, &r.State, &r.Chunks, &r.Started, &r.Finished, &r.Done); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// begin returns the unfinished run of spec to resume, or records a new
// one (resumed false).
func (s *Store) begin(ctx context.Context, spec, kind string, chunks int) (id string, resumed bool, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT id FROM runs WHERE spec = ? AND state = 'running' ORDER BY started DESC LIMIT 1`, spec).Scan(&id)
	if err == nil {
		return id, true, nil
	}
	if err != sql.ErrNoRows {
		return "", false, err
	}
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM runs WHERE spec = ?`, spec).Scan(&n); err != nil {
		return "", false, err
	}
	id = fmt.Sprintf("%s-%s-%d", kind, spec[:12], n+1)
	_, err = s.db.ExecContext(ctx, `INSERT INTO runs (id, spec, kind, state, chunks, started) VALUES (?, ?, ?, 'running', ?, ?)`,
		id, spec, kind, chunks, time.Now().UTC().Format(time.RFC3339Nano))
	return id, false, err
}

// done returns the chunks of run already delivered.
func (s *Store) done(ctx context.Context, run string) (map[int]bool, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT chunk FROM run_chunks WHERE run = ?`, run)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int]bool{}
	for rows.Next() {
		var c int
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		out[c] = true
	}
	return out, rows.Err()
}

// checkpoint records that chunk of run was delivered to the Sink.
func (s *Store) checkpoint(ctx context.Context, run string, chunk, screened, subjects, pairs, failed int) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO run_chunks (run, chunk, screened, subjects, pairs, failed, done)
		VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (run, chunk) DO UPDATE SET screened = excluded.screened,
		subjects = excluded.subjects, pairs = excluded.pairs, failed = excluded.failed, done = excluded.done`,
		run, chunk, screened, subjects, pairs, failed, time.Now().UTC().Format(time.RFC3339Nano))
	return err
}

// totals sums the checkpoints of run.
func (s *Store) totals(ctx context.Context, run string) (screened, subjects, pairs, failed int, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT COALESCE(SUM(screened),0), COALESCE(SUM(subjects),0), COALESCE(SUM(pairs),0),
		COALESCE(SUM(failed),0) FROM run_chunks WHERE run = ? AND chunk >= 0`, run).Scan(&screened, &subjects, &pairs, &failed)
	return
}

// finish marks run done and, for a run that monitored a snapshot set,
// records the set as monitored, in one transaction.
func (s *Store) finish(ctx context.Context, run string, after []lexscreen.Snapshot) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	now := time.Now().UTC().Format(time.RFC3339Nano)
	if _, err := tx.ExecContext(ctx, `UPDATE runs SET state = 'done', finished = ? WHERE id = ?`, now, run); err != nil {
		return err
	}
	if after != nil {
		if _, err := tx.ExecContext(ctx, `DELETE FROM monitored`); err != nil {
			return err
		}
		for _, sn := range after {
			if _, err := tx.ExecContext(ctx, `INSERT INTO monitored (source, snapshot, run, at) VALUES (?, ?, ?, ?)`,
				sn.Source, sn.ID, run, now); err != nil {
				return err
			}
		}
	}
	return tx.Commit()
}

// Facts returns the hash of the legal facts the last re-evaluation (or
// first run) used ("" before any).
func (s *Store) Facts(ctx context.Context) (string, error) {
	var h string
	err := s.db.QueryRowContext(ctx, `SELECT hash FROM facts WHERE name = 'legal'`).Scan(&h)
	if err == sql.ErrNoRows {
		return "", nil
	}
	return h, err
}

// SetFacts records the hash of the legal facts the open alerts were last
// evaluated with.
func (s *Store) SetFacts(ctx context.Context, hash string) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO facts (name, hash, at) VALUES ('legal', ?, ?)
		ON CONFLICT (name) DO UPDATE SET hash = excluded.hash, at = excluded.at`,
		hash, time.Now().UTC().Format(time.RFC3339Nano))
	return err
}
