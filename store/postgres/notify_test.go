package postgres_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/store"
	"github.com/lexscreen/lexscreen/store/postgres"
	"github.com/lexscreen/lexscreen/store/storetest"
)

func open(t *testing.T, dsn string) *postgres.DB {
	t.Helper()
	db, err := postgres.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func waitSignal(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(10 * time.Second):
		t.Fatalf("no change notice %s within 10s", what)
	}
}

func importOne(t *testing.T, db *postgres.DB, version string) {
	t.Helper()
	imp, err := db.BeginImport(context.Background(), lexscreen.Snapshot{Source: "un-sc", Version: version})
	if err != nil {
		t.Fatal(err)
	}
	defer imp.Rollback()
	if err := imp.Add(&lexscreen.Entity{ID: "un-sc:QDi.268", Source: "un-sc", Schema: lexscreen.SchemaPerson,
		Names: []lexscreen.Name{{Full: "Hafiz Muhammad Saeed", Kind: lexscreen.NamePrimary}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := imp.Commit(store.CommitOptions{}); err != nil {
		t.Fatal(err)
	}
}

// TestChangesAcrossConnections: a commit through one DB reaches another's
// Changes; when the listening connection is killed, the listener says so
// (a notice, as something may have been missed), counts it, reconnects, and
// the next commit is announced again.
func TestChangesAcrossConnections(t *testing.T) {
	dsn := storetest.PostgresSchema(t)
	app := fmt.Sprintf("lextest-listener-%d", time.Now().UnixNano())
	writer, reader := open(t, dsn), open(t, storetest.WithParam(dsn, "application_name", app))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	changes := reader.Changes(ctx)
	time.Sleep(300 * time.Millisecond) // let LISTEN start
	importOne(t, writer, "1")
	waitSignal(t, changes, "after a commit through another connection")

	// A rolled-back import announces nothing.
	imp, err := writer.BeginImport(ctx, lexscreen.Snapshot{Source: "un-sc", Version: "rolled back"})
	if err != nil {
		t.Fatal(err)
	}
	imp.Rollback()
	select {
	case <-changes:
		t.Fatal("a rolled-back import was announced")
	case <-time.After(500 * time.Millisecond):
	}

	// Kill the listener's backend.
	admin, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(context.Background())
	var killed int
	if err := admin.QueryRow(ctx, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE application_name = $1 AND query LIKE 'LISTEN%'`, app).Scan(&killed); err != nil || killed != 1 {
		t.Fatalf("terminate the listener: %d, %v", killed, err)
	}
	waitSignal(t, changes, "after the listening connection was lost")
	if reader.ListenFailures() == 0 {
		t.Fatal("the lost LISTEN connection was not counted")
	}
	time.Sleep(300 * time.Millisecond)
	importOne(t, writer, "2")
	waitSignal(t, changes, "after a commit, once reconnected")
}
