// Package postgres is a lexscreen list store (store.Store) in a PostgreSQL
// database, for several servers that share their lists: an import through
// any of them is one transaction, and the others learn of it by LISTEN/NOTIFY
// on the channel NotifyChannel (and by polling, should a notification be
// lost).
//
// The layout is store/sqlite's: snapshots, entity_versions (one row per
// distinct content of an entity, deflated when that helps) and
// snapshot_entities (which version of which entity a snapshot holds).
// Migrations are the SQL files of migrations/, applied in order under an
// advisory lock (so that replicas starting together migrate once) and
// recorded in schema_version.
//
// Times are stored as timestamptz, to the microsecond.
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/store"
)

// NotifyChannel is the LISTEN/NOTIFY channel on which a committed or deleted
// snapshot is announced (payload: the snapshot id).
const NotifyChannel = "lexscreen_snapshots"

// lockMigrate and lockImport are the advisory lock keys that serialize
// migrations and imports across processes.
const (
	lockMigrate = 7420170001
	lockImport  = 7420170002
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// DB is a lexscreen store in a PostgreSQL database. It is safe for
// concurrent use.
type DB struct {
	pool           *pgxpool.Pool
	location       string // the DSN without its password
	listenFailures atomic.Int64
}

var (
	_ store.Store          = (*DB)(nil)
	_ store.ChangeNotifier = (*DB)(nil)
	_ store.Pinger         = (*DB)(nil)
)

// IsDSN reports whether s names a PostgreSQL database (postgres:// or
// postgresql://) rather than a file.
func IsDSN(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// Open connects to the database named by dsn (a postgres:// URL or a
// key=value connection string) and brings its schema up to date.
func Open(ctx context.Context, dsn string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, lexscreen.Errorf(lexscreen.EINVALID, "postgres store: cannot read the connection string %s: %v", Redact(dsn), redactErr(err, dsn))
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, storeErr(err, "connect to %s", Redact(dsn))
	}
	d := &DB{pool: pool, location: Redact(dsn)}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, storeErr(err, "connect to %s (is PostgreSQL running and the database created? see docs/OPERATIONS.md)", d.location)
	}
	if err := d.migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return d, nil
}

// Close closes the connections.
func (d *DB) Close() error { d.pool.Close(); return nil }

// Location is the database URL without its password.
func (d *DB) Location() string { return d.location }

// Ping checks the database answers.
func (d *DB) Ping(ctx context.Context) error {
	return storeErr(d.pool.Ping(ctx), "ping %s", d.location)
}

// Redact is dsn with its password replaced by "xxxxx".
func Redact(dsn string) string {
	// A URL whose user information Go reads other than as written (an
	// unescaped '#' or '/' in the password) falls to the masking below.
	if u, err := url.Parse(dsn); err == nil && u.Scheme != "" && u.Fragment == "" &&
		(u.User != nil || !strings.Contains(dsn, "@")) {
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
		}
		q := u.Query()
		if q.Has("password") {
			q.Set("password", "xxxxx")
			u.RawQuery = q.Encode()
		}
		return u.String()
	}
	if IsDSN(dsn) { // a URL Go cannot parse: hide all of its user information
		rest := dsn[strings.Index(dsn, "://")+3:]
		if at := strings.LastIndex(rest, "@"); at >= 0 {
			return dsn[:len(dsn)-len(rest)] + "xxxxx" + rest[at:]
		}
		return dsn
	}
	var out []string
	for _, f := range strings.Fields(dsn) {
		if strings.HasPrefix(f, "password=") {
			f = "password=xxxxx"
		}
		out = append(out, f)
	}
	return strings.Join(out, " ")
}

func redactErr(err error, dsn string) string {
	msg := err.Error()
	if u, perr := url.Parse(dsn); perr == nil {
		if p, has := u.User.Password(); has && p != "" {
			msg = strings.ReplaceAll(msg, p, "xxxxx")
		}
	}
	return msg
}

// migrations are the embedded SQL files in name order; file i brings the
// schema to version i+1. Never edit a released one: add a file.
func migrations() ([]string, error) {
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	out := make([]string, len(names))
	for i, n := range names {
		b, err := migrationFiles.ReadFile(n)
		if err != nil {
			return nil, err
		}
		out[i] = string(b)
	}
	return out, nil
}

// SchemaVersion is the schema version this package writes.
func SchemaVersion() int {
	m, _ := migrations()
	return len(m)
}

func (d *DB) migrate(ctx context.Context) error {
	steps, err := migrations()
	if err != nil {
		return lexscreen.Errorf(lexscreen.EINTERNAL, "postgres store: migrations: %v", err)
	}
	return pgx.BeginFunc(ctx, d.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(lockMigrate)); err != nil {
			return storeErr(err, "open %s: lock", d.location)
		}
		if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_version (
			version INTEGER PRIMARY KEY,
			applied TIMESTAMPTZ NOT NULL DEFAULT now())`); err != nil {
			return storeErr(err, "open %s: create schema_version", d.location)
		}
		var cur int
		if err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_version`).Scan(&cur); err != nil {
			return storeErr(err, "open %s: read schema version", d.location)
		}
		if cur > len(steps) {
			return lexscreen.Errorf(lexscreen.EINVALID,
				"%s: database schema version %d is newer than this lexscreen supports (%d); upgrade lexscreen", d.location, cur, len(steps))
		}
		for v := cur + 1; v <= len(steps); v++ {
			if _, err := tx.Exec(ctx, steps[v-1]); err != nil {
				return storeErr(err, "open %s: migration %d", d.location, v)
			}
			if _, err := tx.Exec(ctx, `INSERT INTO schema_version(version) VALUES ($1)`, v); err != nil {
				return storeErr(err, "open %s: migration %d", d.location, v)
			}
		}
		return nil
	})
}

// storeErr wraps a database error: *lexscreen.Error passes through; context
// errors, connection failures and serialization conflicts are EUNAVAILABLE
// (retry); anything else EINTERNAL.
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
	var pe *pgconn.PgError
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		code = lexscreen.EUNAVAILABLE
	case errors.As(err, &pe):
		// Class 08: connection exception; 40: transaction rollback
		// (serialization, deadlock); 53: insufficient resources; 57: operator
		// intervention (shutdown).
		switch pe.Code[:2] {
		case "08", "40", "53", "57":
			code = lexscreen.EUNAVAILABLE
		}
	case pgconn.SafeToRetry(err), pgconn.Timeout(err):
		code = lexscreen.EUNAVAILABLE
	default:
		var ce *pgconn.ConnectError
		if errors.As(err, &ce) {
			code = lexscreen.EUNAVAILABLE
		}
	}
	return &lexscreen.Error{Code: code, Message: "postgres store: " + msg + ": " + err.Error(), Err: err}
}

func notFound(format string, args ...any) error {
	return lexscreen.Errorf(lexscreen.ENOTFOUND, format, args...)
}

// dbTime is t as stored: UTC, to the microsecond.
func dbTime(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// fromDB is a stored time as callers get it: UTC, and the zero time for the
// zero time.
func fromDB(t time.Time) time.Time {
	t = t.UTC()
	if t.Equal(time.Time{}) {
		return time.Time{}
	}
	return t
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
