package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lexscreen/lexscreen/store/storetest"
)

// TestStoreFlagPostgres imports into a PostgreSQL store named by --store and
// by $LEXSCREEN_STORE, and finds the lists there: the data directory holds
// no list store.
func TestStoreFlagPostgres(t *testing.T) {
	dsn := storetest.PostgresSchema(t)
	dir := t.TempDir()
	type importOut struct {
		Imports []struct {
			Status   string `json:"status"`
			Snapshot struct {
				ID       int64  `json:"id"`
				Source   string `json:"source"`
				Entities int    `json:"entities"`
			} `json:"snapshot"`
		} `json:"imports"`
	}
	out, errOut, code := lex(t, dir, "--store", dsn, "import", "--json", "testdata/ofac/2025-02-27")
	if code != 0 {
		t.Fatalf("import --store: %d %s %s", code, out, errOut)
	}
	var first importOut
	if err := json.Unmarshal([]byte(out), &first); err != nil || len(first.Imports) != 1 || first.Imports[0].Snapshot.Source != "us-ofac-sdn" {
		t.Fatalf("import output: %v %s", err, out)
	}
	// The same store through the environment: the second file is a newer
	// version of the same list, stored next to the first.
	t.Setenv("LEXSCREEN_STORE", dsn)
	out, errOut, code = lex(t, dir, "import", "--json", "--published", "2026-07-01", "testdata/ofac/2025-12-24")
	if code != 0 {
		t.Fatalf("import with LEXSCREEN_STORE: %d %s %s", code, out, errOut)
	}
	var second importOut
	if err := json.Unmarshal([]byte(out), &second); err != nil || len(second.Imports) != 1 ||
		second.Imports[0].Snapshot.ID <= first.Imports[0].Snapshot.ID {
		t.Fatalf("second import: %v %s", err, out)
	}
	// Importing the same file again is recognised in the shared database.
	out, errOut, code = lex(t, dir, "import", "--json", "testdata/ofac/2025-02-27")
	var again importOut
	if err := json.Unmarshal([]byte(out), &again); code != 0 || err != nil || len(again.Imports) != 1 ||
		again.Imports[0].Status != "duplicate" || again.Imports[0].Snapshot.ID != first.Imports[0].Snapshot.ID {
		t.Fatalf("re-import: %d %v %s %s", code, err, out, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, "lexscreen.db")); !os.IsNotExist(err) {
		t.Fatalf("with --store, a SQLite store was made in the data directory anyway: %v", err)
	}
}

// TestStoreFlagErrors: a store lexscreen does not know is invalid input (2),
// a database that does not answer is unavailable (5), and neither message
// shows the password.
func TestStoreFlagErrors(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		store string
		code  int
		says  string
	}{
		{"mysql://screening:s3cret@db.internal/lexscreen", exitInvalid, "give a postgres:// URL"},
		{"postgres://screening:s3cret@127.0.0.1:1/lexscreen?connect_timeout=5", exitUnavailable, "is PostgreSQL running"},
	} {
		_, errOut, code := lex(t, dir, "--store", tc.store, "lists")
		if code != tc.code || !strings.Contains(errOut, tc.says) || strings.Contains(errOut, "s3cret") {
			t.Errorf("--store %s: exit %d, want %d saying %q without the password:\n%s", tc.store, code, tc.code, tc.says, errOut)
		}
	}
}
