package monitor

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"

	"github.com/lexscreen/lexscreen/internal/sqlpg"
	"github.com/lexscreen/lexscreen/store/postgres"
)

// The monitoring store in PostgreSQL: the tables of OpenStore, in the
// database the servers share, so that a run checkpointed by one server is
// resumed by any other. The same SQL runs on both ('?' placeholders,
// rebound by internal/sqlpg).

// Advisory lock keys (store/postgres uses 74201700xx, the workspace 74201701xx).
const (
	pgLockMigrate = 7420170201 // creating the tables
	pgLockRun     = 7420170202 // one monitoring run at a time (Exclusive)
)

const pgSchema = `
CREATE TABLE IF NOT EXISTS runs (
	id       TEXT COLLATE "C" PRIMARY KEY,
	spec     TEXT NOT NULL,
	kind     TEXT NOT NULL,
	state    TEXT NOT NULL,
	chunks   INTEGER NOT NULL,
	started  TEXT COLLATE "C" NOT NULL,
	finished TEXT
);
CREATE INDEX IF NOT EXISTS runs_spec ON runs(spec, state);
CREATE TABLE IF NOT EXISTS run_chunks (
	run      TEXT NOT NULL,
	chunk    INTEGER NOT NULL,
	screened INTEGER NOT NULL,
	subjects INTEGER NOT NULL,
	pairs    INTEGER NOT NULL,
	failed   INTEGER NOT NULL,
	done     TEXT NOT NULL,
	PRIMARY KEY (run, chunk)
);
CREATE TABLE IF NOT EXISTS facts (
	name TEXT PRIMARY KEY,
	hash TEXT NOT NULL,
	at   TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS monitored (
	source   TEXT PRIMARY KEY,
	snapshot BIGINT NOT NULL,
	run      TEXT NOT NULL,
	at       TEXT NOT NULL
);`

// OpenPostgresStore opens the monitoring store in the PostgreSQL database
// named by dsn, creating its tables if needed.
func OpenPostgresStore(ctx context.Context, dsn string) (*Store, error) {
	where := postgres.Redact(dsn)
	db, err := sqlpg.Open(ctx, dsn, 4)
	if err != nil {
		return nil, fmt.Errorf("opening the monitoring store %s: %w", where, err)
	}
	if err := createPostgres(ctx, db); err != nil {
		db.Close()
		return nil, fmt.Errorf("preparing the monitoring store %s: %w", where, err)
	}
	return &Store{db: db, pg: true}, nil
}

func createPostgres(ctx context.Context, db *sql.DB) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(?)`, int64(pgLockMigrate)); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, pgSchema); err != nil {
		return err
	}
	return tx.Commit()
}

// Exclusive waits until no other process sharing the store is monitoring,
// and keeps it so until release is called: in PostgreSQL, where several
// servers share the checkpoints, one run at a time (a second one, waiting,
// then finds the work done or resumes it). In SQLite it returns at once:
// the queue of the data directory already runs one at a time.
func (s *Store) Exclusive(ctx context.Context) (release func(), err error) {
	if !s.pg {
		return func() {}, nil
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("the monitoring lock: %w", err)
	}
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(?)`, int64(pgLockRun)); err != nil {
		conn.Close()
		return nil, fmt.Errorf("the monitoring lock: %w", err)
	}
	return func() {
		// A session lock: unlocked here, or by PostgreSQL when the
		// connection ends (a server killed mid-run).
		if _, err := conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(?)`, int64(pgLockRun)); err != nil {
			// Not unlocked: the connection must not go back to the
			// pool holding the lock.
			conn.Raw(func(any) error { return driver.ErrBadConn })
		}
		conn.Close()
	}, nil
}
