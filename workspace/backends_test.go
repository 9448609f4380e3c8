package workspace

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/lexscreen/lexscreen/audit"
	"github.com/lexscreen/lexscreen/store/storetest"
)

// onEachBackend runs a test of the workspace's contract on SQLite and on
// PostgreSQL: always on SQLite; on PostgreSQL when LEXSCREEN_TEST_POSTGRES
// names a database (skipped loudly otherwise, and failed when
// LEXSCREEN_REQUIRE_POSTGRES=1).
func onEachBackend(t *testing.T, test func(t *testing.T, newFixture func(testing.TB) *fixture)) {
	t.Run("sqlite", func(t *testing.T) { test(t, newFixture) })
	t.Run("postgres", func(t *testing.T) { test(t, newPostgresFixture) })
}

// newPostgresFixture is newFixture with the workspace in a PostgreSQL schema
// of its own (the audit log stays a file: it is not the workspace's).
func newPostgresFixture(t testing.TB) *fixture {
	t.Helper()
	dsn := storetest.PostgresSchema(t)
	adb, err := audit.Open(context.Background(), filepath.Join(t.TempDir(), "audit.db"))
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{audit: adb, listings: listings{}}
	f.s, err = OpenPostgres(context.Background(), dsn, Options{Audit: adb, Listings: f.listings})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.s.Close(); adb.Close() })
	return f
}
