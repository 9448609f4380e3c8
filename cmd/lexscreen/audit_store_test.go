package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lexscreen/lexscreen/audit"
	"github.com/lexscreen/lexscreen/store/storetest"
)

// TestAuditOnPostgresStore: with a postgres:// --store, the keys and the
// audit log are in that database: two data directories (two replicas)
// see the same keys and the same chain, and neither holds an audit.db.
func TestAuditOnPostgresStore(t *testing.T) {
	dsn := storetest.PostgresSchema(t)
	one, two := t.TempDir(), t.TempDir()
	out, errOut, code := lex(t, one, "--store", dsn, "keys", "create", "--role", "screener", "--name", "gateway", "--json")
	var made struct{ ID, Key string }
	if err := json.Unmarshal([]byte(out), &made); code != 0 || err != nil || !strings.HasPrefix(made.Key, "lxs_") {
		t.Fatalf("keys create: %d %v %s %s", code, err, out, errOut)
	}
	type keyList struct {
		Keys []audit.Key `json:"keys"`
	}
	list := func(dir string) keyList {
		t.Helper()
		out, errOut, code := lex(t, dir, "--store", dsn, "keys", "list", "--json")
		var l keyList
		if err := json.Unmarshal([]byte(out), &l); code != 0 || err != nil {
			t.Fatalf("keys list: %d %v %s %s", code, err, out, errOut)
		}
		return l
	}
	if l := list(two); len(l.Keys) != 1 || l.Keys[0].ID != made.ID || l.Keys[0].Revoked != nil {
		t.Fatalf("the key made through one data directory, listed through another: %+v", l)
	}
	if out, errOut, code := lex(t, two, "--store", dsn, "keys", "revoke", made.ID); code != 0 {
		t.Fatalf("keys revoke: %d %s %s", code, out, errOut)
	}
	if l := list(one); len(l.Keys) != 1 || l.Keys[0].Revoked == nil {
		t.Fatalf("revoked through another data directory, listed: %+v", l)
	}

	// Records appended by a server on that database are what audit verify checks.
	adb, err := audit.OpenPostgres(context.Background(), dsn, audit.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		if err := adb.Append(context.Background(), &audit.Record{Kind: "screen", KeyID: made.ID, Request: json.RawMessage(`{"name":"Karim Khan"}`), Result: json.RawMessage(`{"matches":[]}`)}); err != nil {
			t.Fatal(err)
		}
	}
	adb.Close()
	out, errOut, code = lex(t, one, "--store", dsn, "audit", "verify", "--json")
	var rep audit.Report
	if err := json.Unmarshal([]byte(out), &rep); code != 0 || err != nil || !rep.OK || rep.Records != 3 {
		t.Fatalf("audit verify: %d %v %s %s", code, err, out, errOut)
	}
	for _, dir := range []string{one, two} {
		if _, err := os.Stat(filepath.Join(dir, "audit.db")); !os.IsNotExist(err) {
			t.Errorf("with a postgres:// --store, an audit.db was made in %s: %v", dir, err)
		}
	}
}
