// Package sqlite stores list snapshots, their entities and their history in
// one SQLite file (modernc.org/sqlite, pure Go, driver name "sqlite").
//
// Layout. Each import of a list is one row of snapshots. Entities are stored
// once per distinct content: entity_versions holds (entity_id, sha256 of the
// entity's canonical JSON, the JSON itself, deflated when that helps), and
// snapshot_entities says which version of which entity belongs to a snapshot.
// Re-importing a list where most entities are unchanged therefore adds only
// membership rows and the versions that changed.
//
// Concurrency. The database runs in WAL mode with a busy timeout, so a server
// may read while another process imports: an import is one write transaction
// (BEGIN IMMEDIATE) and nothing of it is visible before Commit. A crash
// mid-import leaves the previous state, as SQLite discards the uncommitted
// transaction when the file is next opened.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	msqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/store"
)

// DB is a lexscreen store in one SQLite file. It is safe for concurrent use.
type DB struct {
	db   *sql.DB
	path string
}

// busyTimeout is how long a statement waits for another connection's lock
// before failing with "database is locked".
const busyTimeout = 10 * time.Second

// migrations are applied in order; migration i brings the schema to version
// i+1. Never edit a released migration: append a new one.
var migrations = []string{
	// 1: snapshots, entity versions, membership.
	`CREATE TABLE snapshots (
		id           INTEGER PRIMARY KEY AUTOINCREMENT,
		source       TEXT    NOT NULL,
		format       TEXT    NOT NULL DEFAULT '',
		version      TEXT    NOT NULL DEFAULT '',
		published    TEXT    NOT NULL, -- UTC, fixed width, sorts chronologically
		imported     TEXT    NOT NULL,
		content_hash TEXT    NOT NULL DEFAULT '',
		entities     INTEGER NOT NULL DEFAULT 0,
		names        INTEGER NOT NULL DEFAULT 0,
		records      INTEGER NOT NULL DEFAULT 0, -- the publisher's own record count when it differs from entities
		files        TEXT    NOT NULL DEFAULT '[]', -- JSON array of file names
		origin       TEXT    NOT NULL DEFAULT ''
	);
	CREATE INDEX snapshots_source_published ON snapshots(source, published, id);
	CREATE INDEX snapshots_source_hash ON snapshots(source, content_hash);

	CREATE TABLE entity_versions (
		id        INTEGER PRIMARY KEY,
		entity_id TEXT    NOT NULL,
		hash      BLOB    NOT NULL, -- sha256 of the canonical JSON
		schema    TEXT    NOT NULL DEFAULT '',
		caption   TEXT    NOT NULL DEFAULT '',
		programs  TEXT    NOT NULL DEFAULT '', -- designation programs, one per line
		codec     INTEGER NOT NULL DEFAULT 0,  -- 0: raw JSON, 1: deflate
		data      BLOB    NOT NULL,
		UNIQUE (entity_id, hash)
	);

	CREATE TABLE snapshot_entities (
		snapshot_id INTEGER NOT NULL REFERENCES snapshots(id) ON DELETE CASCADE,
		entity_id   TEXT    NOT NULL,
		hash        BLOB    NOT NULL,
		PRIMARY KEY (snapshot_id, entity_id),
		FOREIGN KEY (entity_id, hash) REFERENCES entity_versions(entity_id, hash)
	) WITHOUT ROWID;
	CREATE INDEX snapshot_entities_entity ON snapshot_entities(entity_id, hash);`,
}

// SchemaVersion is the schema version this package writes.
var SchemaVersion = len(migrations)

// Open opens (creating it if needed) the store at path and brings its schema
// up to date.
func Open(ctx context.Context, path string) (*DB, error) {
	if path == "" {
		return nil, lexscreen.Errorf(lexscreen.EINVALID, "sqlite store: empty database path")
	}
	q := url.Values{}
	q.Set("_busy_timeout", fmt.Sprint(busyTimeout.Milliseconds()))
	q.Set("_journal_mode", "WAL")
	q.Set("_foreign_keys", "1")
	q.Set("_txlock", "immediate")
	q.Add("_pragma", "synchronous(FULL)")
	q.Add("_pragma", "journal_size_limit(67108864)") // truncate a big WAL after checkpoints
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
	sdb, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, storeErr(err, "open %s", path)
	}
	sdb.SetMaxIdleConns(4)
	d := &DB{db: sdb, path: path}
	if err := d.migrate(ctx); err != nil {
		sdb.Close()
		return nil, err
	}
	return d, nil
}

// Close closes the database.
func (d *DB) Close() error { return d.db.Close() }

// Path is the file the store was opened from.
func (d *DB) Path() string { return d.path }

// Location is Path (store.Store).
func (d *DB) Location() string { return d.path }

// Ping checks the database file can be read.
func (d *DB) Ping(ctx context.Context) error {
	return storeErr(d.db.PingContext(ctx), "ping %s", d.path)
}

var _ store.Store = (*DB)(nil)

func (d *DB) migrate(ctx context.Context) error {
	conn, err := d.db.Conn(ctx)
	if err != nil {
		return storeErr(err, "open %s", d.path)
	}
	defer conn.Close()
	if err := beginImmediate(ctx, conn); err != nil {
		return storeErr(err, "open %s", d.path)
	}
	done := false
	defer func() {
		if !done {
			conn.ExecContext(context.Background(), "ROLLBACK")
		}
	}()
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY,
		applied TEXT NOT NULL)`); err != nil {
		return storeErr(err, "open %s: create migrations table", d.path)
	}
	var cur int
	if err := conn.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&cur); err != nil {
		return storeErr(err, "open %s: read schema version", d.path)
	}
	if cur > len(migrations) {
		return lexscreen.Errorf(lexscreen.EINVALID,
			"%s: database schema version %d is newer than this lexscreen supports (%d)", d.path, cur, len(migrations))
	}
	for v := cur + 1; v <= len(migrations); v++ {
		if _, err := conn.ExecContext(ctx, migrations[v-1]); err != nil {
			return storeErr(err, "open %s: migration %d", d.path, v)
		}
		if _, err := conn.ExecContext(ctx, `INSERT INTO schema_migrations(version, applied) VALUES (?, ?)`,
			v, formatTime(time.Now())); err != nil {
			return storeErr(err, "open %s: migration %d", d.path, v)
		}
	}
	if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
		return storeErr(err, "open %s: commit migrations", d.path)
	}
	done = true
	return nil
}

// beginImmediate starts a write transaction on conn, waiting for another
// writer (an import in another process) as long as ctx allows.
func beginImmediate(ctx context.Context, conn *sql.Conn) error {
	for {
		_, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE")
		if err == nil || !isBusy(err) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}

func isBusy(err error) bool {
	var se *msqlite.Error
	if errors.As(err, &se) {
		c := se.Code() & 0xff
		return c == sqlite3.SQLITE_BUSY || c == sqlite3.SQLITE_LOCKED
	}
	return false
}

// storeErr wraps a database error: context errors and *lexscreen.Error pass
// through with their meaning, a busy database is EUNAVAILABLE, anything else
// EINTERNAL.
func storeErr(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	var le *lexscreen.Error
	if errors.As(err, &le) {
		return err
	}
	msg := fmt.Sprintf(format, args...)
	code := lexscreen.EINTERNAL
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		code = lexscreen.EUNAVAILABLE
	case isBusy(err):
		code = lexscreen.EUNAVAILABLE
	}
	return &lexscreen.Error{Code: code, Message: "sqlite store: " + msg + ": " + err.Error(), Err: err}
}

// timeLayout is fixed width so that text order is time order.
const timeLayout = "2006-01-02T15:04:05.000000000Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func parseTime(s string) time.Time {
	t, err := time.Parse(timeLayout, s)
	if err != nil {
		return time.Time{}
	}
	if t.IsZero() {
		return time.Time{}
	}
	return t
}

func notFound(format string, args ...any) error {
	return lexscreen.Errorf(lexscreen.ENOTFOUND, format, args...)
}

// sourceOf is the source id of an entity id: the part before the first ':'.
func sourceOf(entityID string) string {
	if i := strings.IndexByte(entityID, ':'); i > 0 {
		return entityID[:i]
	}
	return ""
}
