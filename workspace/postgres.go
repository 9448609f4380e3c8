package workspace

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"slices"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/internal/sqlpg"
	"github.com/lexscreen/lexscreen/store/postgres"
)

// The workspace in PostgreSQL: the same tables, rules and SQL as in SQLite
// (the queries take '?' placeholders, which internal/sqlpg rebinds), so
// that several servers share one book, one set of alerts and one four-eyes
// record. Migrations are the SQL files of pgmigrations/, applied in order
// under an advisory lock and recorded in workspace_schema_version (the list
// store's own version table is schema_version). Writes of all the servers
// are serialized by an advisory transaction lock (lockWrites), as SQLite's
// one writer serializes them: what a write reads (the last alert of a
// pair, a pending decision) is still true when it commits.

//go:embed pgmigrations/*.sql
var pgMigrationFiles embed.FS

// Advisory lock keys (store/postgres uses 7420170001 and 7420170002).
const (
	pgLockMigrate = 7420170101 // migrations of the workspace
	pgLockWrites  = 7420170102 // every write transaction of the workspace
)

// OpenPostgres opens the workspace in the PostgreSQL database named by dsn
// (a postgres:// URL or key=value connection string), creating or
// migrating its tables.
func OpenPostgres(ctx context.Context, dsn string, o Options) (*Store, error) {
	o, err := o.withDefaults()
	if err != nil {
		return nil, err
	}
	where := postgres.Redact(dsn)
	db, err := sqlpg.Open(ctx, dsn, 8)
	if err != nil {
		return nil, lexscreen.Errorf(lexscreen.EUNAVAILABLE,
			"workspace database %s: %v (is PostgreSQL running and the database created? see docs/OPERATIONS.md)", where, err)
	}
	if err := migratePostgres(ctx, db); err != nil {
		db.Close()
		return nil, lexscreen.Errorf(lexscreen.EUNAVAILABLE, "workspace database %s: %v", where, err)
	}
	s := newStore(db, where, o)
	s.pg, s.origin = true, newOrigin()
	if err := s.prepare(ctx); err != nil {
		db.Close()
		return nil, lexscreen.Errorf(lexscreen.EUNAVAILABLE, "workspace database %s: %v", where, err)
	}
	lctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	s.stopListening = cancel
	go s.listen(lctx, dsn)
	return s, nil
}

// pgMigrations are the embedded SQL files in name order; file i brings the
// schema to version i+1. Never edit a released one: add a file.
func pgMigrations() ([]string, error) {
	names, err := fs.Glob(pgMigrationFiles, "pgmigrations/*.sql")
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	out := make([]string, len(names))
	for i, n := range names {
		b, err := pgMigrationFiles.ReadFile(n)
		if err != nil {
			return nil, err
		}
		out[i] = string(b)
	}
	return out, nil
}

// migratePostgres brings the workspace tables up to date, once however
// many servers start together, and refuses a schema of a newer lexscreen.
func migratePostgres(ctx context.Context, db *sql.DB) error {
	steps, err := pgMigrations()
	if err != nil {
		return err
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(?)`, int64(pgLockMigrate)); err != nil {
		return fmt.Errorf("migration lock: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS workspace_schema_version (
		version INTEGER PRIMARY KEY,
		applied TIMESTAMPTZ NOT NULL DEFAULT now())`); err != nil {
		return err
	}
	var cur int
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM workspace_schema_version`).Scan(&cur); err != nil {
		return err
	}
	if cur > len(steps) {
		return fmt.Errorf("it was made by a newer lexscreen (workspace schema %d; this one reads up to %d): use that version", cur, len(steps))
	}
	for v := cur + 1; v <= len(steps); v++ {
		if _, err := tx.ExecContext(ctx, steps[v-1]); err != nil {
			return fmt.Errorf("migration %d: %w", v, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO workspace_schema_version (version) VALUES (?)`, v); err != nil {
			return fmt.Errorf("migration %d: %w", v, err)
		}
	}
	return tx.Commit()
}

// lockWrites makes tx the only write transaction of the workspace until it
// ends, across all the servers of a PostgreSQL database (nothing to do in
// SQLite, whose transactions begin immediate).
func (s *Store) lockWrites(ctx context.Context, tx *sql.Tx) error {
	if !s.pg {
		return nil
	}
	_, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(?)`, int64(pgLockWrites))
	return err
}

// jsonText is the SQL for the text of field of the JSON object in column.
func (s *Store) jsonText(column, field string) string {
	if s.pg {
		return fmt.Sprintf("(%s::jsonb ->> '%s')", column, field)
	}
	return fmt.Sprintf("json_extract(%s, '$.%s')", column, field)
}
