package storetest

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/lexscreen/lexscreen/store"
	"github.com/lexscreen/lexscreen/store/postgres"
	"github.com/lexscreen/lexscreen/store/sqlite"
)

// EnvPostgres names the PostgreSQL database the tests may use (a DSN such as
// postgres://postgres@127.0.0.1:5432/lexscreen_test?sslmode=disable). Each
// test works in a schema of its own, dropped at its end.
const EnvPostgres = "LEXSCREEN_TEST_POSTGRES"

// EnvRequirePostgres set to 1 makes the PostgreSQL tests fail, instead of
// skipping, when EnvPostgres is unset (CI sets it).
const EnvRequirePostgres = "LEXSCREEN_REQUIRE_POSTGRES"

// PostgresDSN is the test database's DSN. Without one the test is skipped,
// loudly, or fails when EnvRequirePostgres=1.
func PostgresDSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv(EnvPostgres)
	if dsn == "" {
		msg := "SKIPPING the PostgreSQL store tests: " + EnvPostgres + " is not set " +
			"(e.g. postgres://postgres@127.0.0.1:5432/lexscreen_test?sslmode=disable; .ci/run starts one)"
		if os.Getenv(EnvRequirePostgres) == "1" {
			t.Fatal(EnvRequirePostgres + "=1 but " + EnvPostgres + " is not set: the PostgreSQL store tests cannot run")
		}
		t.Skip(msg)
	}
	return dsn
}

// OpenSQLite opens an empty SQLite store in a temporary directory.
func OpenSQLite(t *testing.T) store.Store {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "lexscreen.db"))
	if err != nil {
		t.Fatal(err)
	}
	return db
}

var schemaSeq atomic.Int64

// PostgresSchema creates an empty schema in the test database for t
// (dropped when t ends) and returns a DSN that works in it. It skips or
// fails as PostgresDSN does.
func PostgresSchema(t testing.TB) string {
	t.Helper()
	dsn := PostgresDSN(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	admin, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("%s: %v", EnvPostgres, err)
	}
	defer admin.Close(context.Background())
	schema := fmt.Sprintf("lextest_%d_%d_%d", os.Getpid(), time.Now().UnixNano()%1e9, schemaSeq.Add(1))
	if _, err := admin.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create test schema: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		c, err := pgx.Connect(ctx, dsn)
		if err != nil {
			t.Errorf("drop test schema %s: %v", schema, err)
			return
		}
		defer c.Close(context.Background())
		if _, err := c.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop test schema %s: %v", schema, err)
		}
	})
	return WithSearchPath(dsn, schema)
}

// WithSearchPath is dsn with its search_path set to schema.
func WithSearchPath(dsn, schema string) string { return WithParam(dsn, "search_path", schema) }

// WithParam is dsn (a URL or key=value pairs) with one more connection
// parameter.
func WithParam(dsn, key, value string) string {
	if postgres.IsDSN(dsn) {
		u, err := url.Parse(dsn)
		if err == nil {
			q := u.Query()
			q.Set(key, value)
			u.RawQuery = q.Encode()
			return u.String()
		}
	}
	return strings.TrimSpace(dsn) + " " + key + "=" + value
}

// OpenPostgres opens an empty PostgreSQL store in a schema of its own.
func OpenPostgres(t *testing.T) store.Store {
	t.Helper()
	db, err := postgres.Open(context.Background(), PostgresSchema(t))
	if err != nil {
		t.Fatal(err)
	}
	return db
}
