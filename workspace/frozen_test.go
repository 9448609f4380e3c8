package workspace

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/audit"
)

// The alerts a screening opens on several lists share one stored copy of
// its frozen result, each reads it back whole, the copy can be neither
// changed nor deleted, and re-evaluating one alert's obligations gives
// that alert a result of its own without touching the others'.
func TestFrozenResultShared(t *testing.T) { onEachBackend(t, testFrozenResultShared) }

func testFrozenResultShared(t *testing.T, newFixture func(testing.TB) *fixture) {
	ctx := context.Background()
	f := newFixture(t)
	es := cycleEntities()
	rep, err := f.screenAlert(t, "run-1", subject("adhoc:x", "Viktor Bout", "1967-01-13"), es...)
	if err != nil || len(rep.Opened) != len(es) {
		t.Fatalf("opened %v (%v), want %d alerts", rep.Opened, err, len(es))
	}
	var stored int
	if err := f.s.DB().QueryRowContext(ctx, `SELECT count(*) FROM frozen_results`).Scan(&stored); err != nil || stored != 1 {
		t.Fatalf("%d frozen results stored (%v), want 1 for the %d alerts of one screening", stored, err, len(es))
	}
	for _, id := range rep.Opened {
		a, err := f.s.Alert(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if len(a.Result.Matches) != len(es) || a.Result.Query.Name != "Viktor Bout" || a.Match() == nil {
			t.Errorf("alert %d reads back result %+v", id, a.Result)
		}
	}
	for _, q := range []string{`UPDATE frozen_results SET result = '{}'`, `DELETE FROM frozen_results`} {
		if _, err := f.s.DB().ExecContext(ctx, q); err == nil {
			t.Errorf("%s: allowed, want refused: a frozen result is the record of what was screened", q)
		}
	}
	// New obligations for the first listing's alert only.
	licensed := func(op string, m lexscreen.Match) ([]lexscreen.Obligation, []lexscreen.Conflict, error) {
		if m.Entity.ID != es[0].ID {
			return m.Obligations, nil, nil
		}
		return []lexscreen.Obligation{{Kind: "REPORT", Authority: "US-OFAC", Basis: "31 CFR 501.604", Source: "ofac.treasury.gov", Confidence: "V"}}, nil, nil
	}
	if err := f.s.Reevaluate(ctx, "facts-1", licensed); err != nil {
		t.Fatal(err)
	}
	for i, id := range rep.Opened {
		a, err := f.s.Alert(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		kind := string(a.Match().Obligations[0].Kind)
		if want := map[bool]string{true: "REPORT", false: "BLOCK"}[i == 0]; kind != want {
			t.Errorf("alert %d (%s): obligation %s, want %s", id, a.EntityID, kind, want)
		}
	}
}

// A workspace of schema 1 (alerts keep their own result, no
// frozen_results) opens with its alerts readable, and new alerts share.
func TestFrozenResultFromSchema1(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "workspace.db")
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	res, _ := resultFor(subject("C-1", "Viktor Bout", "1967").Query, boutEntity())
	v1 := []string{
		`CREATE TABLE alerts (id INTEGER PRIMARY KEY, subject_id TEXT NOT NULL, subject TEXT NOT NULL, subject_fp TEXT NOT NULL,
			entity_id TEXT NOT NULL, entity_name TEXT NOT NULL DEFAULT '', entity_fp TEXT NOT NULL, entity TEXT, score REAL NOT NULL,
			result TEXT NOT NULL, run TEXT NOT NULL, status TEXT NOT NULL, assignee TEXT NOT NULL DEFAULT '', due TEXT NOT NULL,
			opened TEXT NOT NULL, updated TEXT NOT NULL, last_seen TEXT NOT NULL, last_run TEXT NOT NULL,
			previous INTEGER REFERENCES alerts(id), changes TEXT, listing_removed TEXT)`,
		fmt.Sprintf(`INSERT INTO alerts (subject_id, subject, subject_fp, entity_id, entity_fp, score, result, run, status, due, opened, updated, last_seen, last_run)
			VALUES ('C-1', '{"id":"C-1"}', 'sfp', 'us-ofac-sdn:9146', 'efp', 0.93, '%s', 'run-0', 'open', 't', 't', 't', 't', 'run-0')`, marshalText(res)),
		`PRAGMA user_version = 1`,
	}
	for _, q := range v1 {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	adb, err := audit.Open(ctx, filepath.Join(dir, "audit.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer adb.Close()
	s, err := Open(ctx, path, Options{Audit: adb})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	a, err := s.Alert(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if a.Result.Query.Name != "Viktor Bout" || len(a.Result.Matches) != 1 {
		t.Errorf("a schema 1 alert reads back %+v", a.Result)
	}
	var version int
	s.DB().QueryRow(`PRAGMA user_version`).Scan(&version)
	if version != schemaVersion {
		t.Errorf("user_version %d after opening, want %d", version, schemaVersion)
	}
}
