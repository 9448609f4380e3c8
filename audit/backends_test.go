package audit

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/lexscreen/lexscreen/store/storetest"
)

// testLog is one audit log under test, on SQLite or PostgreSQL. Each open
// opens the same log again (a reopen, or another replica); raw runs SQL
// on it behind lexscreen's back, as someone with write access to the
// database can, written for SQLite (tables unprefixed, ? placeholders).
type testLog struct {
	backend string
	// where is the SQLite file, or the DSN of the PostgreSQL schema.
	where string
	rawDB *sql.DB
}

// eachBackend runs fn on a new, empty log on SQLite, and on PostgreSQL
// when LEXSCREEN_TEST_POSTGRES names a database (skipped without it,
// failed with LEXSCREEN_REQUIRE_POSTGRES=1), the two in parallel.
func eachBackend(t *testing.T, fn func(t *testing.T, l *testLog)) {
	t.Run("sqlite", func(t *testing.T) { t.Parallel(); fn(t, newSQLiteLog(t)) })
	t.Run("postgres", func(t *testing.T) { t.Parallel(); fn(t, newPostgresLog(t)) })
}

// fresh is a new, empty log on l's backend.
func (l *testLog) fresh(t testing.TB) *testLog {
	if l.backend == "postgres" {
		return newPostgresLog(t)
	}
	return newSQLiteLog(t)
}

func newSQLiteLog(t testing.TB) *testLog {
	return &testLog{backend: "sqlite", where: filepath.Join(t.TempDir(), "audit.db")}
}

// newPostgresLog is a log in a schema of its own in the test database,
// dropped when t ends.
func newPostgresLog(t testing.TB) *testLog {
	return &testLog{backend: "postgres", where: storetest.PostgresSchema(t)}
}

// open opens the log with o, closed when t ends (Close again is harmless).
func (l *testLog) open(t testing.TB, o Options) *DB {
	t.Helper()
	db, err := l.tryOpen(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func (l *testLog) tryOpen(o Options) (*DB, error) {
	if l.backend == "postgres" {
		return OpenPostgres(context.Background(), l.where, o)
	}
	return OpenWith(context.Background(), l.where, o)
}

// raw is a connection to the log's database that lexscreen does not hold.
func (l *testLog) raw(t testing.TB) *sql.DB {
	t.Helper()
	if l.rawDB != nil {
		return l.rawDB
	}
	driver := "sqlite"
	if l.backend == "postgres" {
		driver = "pgx"
	}
	db, err := sql.Open(driver, l.where)
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close(); l.rawDB = nil })
	l.rawDB = db
	return db
}

// q is a query written for SQLite as the log's database takes it.
func (l *testLog) q(query string) string {
	if l.backend == "postgres" {
		return pgSQL(query)
	}
	return query
}

// exec runs a statement on the log's database behind lexscreen's back.
func (l *testLog) exec(t testing.TB, query string, args ...any) {
	t.Helper()
	if _, err := l.raw(t).Exec(l.q(query), args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}
