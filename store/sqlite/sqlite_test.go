package sqlite

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/lexscreen/lexscreen"
)

var ctx = context.Background()

func TestOpenMigratesAndConfigures(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	var mode string
	var fk, busy, ver int
	if err := db.db.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q, %v; want wal", mode, err)
	}
	if err := db.db.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk); err != nil || fk != 1 {
		t.Errorf("foreign_keys = %d, %v", fk, err)
	}
	if err := db.db.QueryRowContext(ctx, "PRAGMA busy_timeout").Scan(&busy); err != nil || busy != 10000 {
		t.Errorf("busy_timeout = %d, %v", busy, err)
	}
	if err := db.db.QueryRowContext(ctx, "SELECT MAX(version) FROM schema_migrations").Scan(&ver); err != nil || ver != SchemaVersion {
		t.Errorf("schema version = %d, %v; want %d", ver, err, SchemaVersion)
	}
	mustImport(t, db, lexscreen.Snapshot{Source: "t", Version: "1"}, []*lexscreen.Entity{person("t", "1", "A")})
	db.Close()

	// Reopening keeps data and does not re-run migrations.
	db, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	snaps, err := db.Snapshots(ctx, "")
	if err != nil || len(snaps) != 1 {
		t.Fatalf("after reopen: %v, %v", snaps, err)
	}
	// A database from a newer lexscreen is refused.
	if _, err := db.db.ExecContext(ctx, "INSERT INTO schema_migrations VALUES (?, 'x')", SchemaVersion+1); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := Open(ctx, path); err == nil || !strings.Contains(err.Error(), "newer") {
		t.Errorf("open of newer schema: %v", err)
	}
}

func TestOpenPathWithSpecialCharacters(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a b?c#d%.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	mustImport(t, db, lexscreen.Snapshot{Source: "t"}, []*lexscreen.Entity{person("t", "1", "A")})
	db.Close()
	db, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if s, _ := db.Snapshots(ctx, "t"); len(s) != 1 {
		t.Errorf("snapshots = %v", s)
	}
}

// list builds n simple entities t:1..t:n.
func list(src string, n int) []*lexscreen.Entity {
	out := make([]*lexscreen.Entity, n)
	for i := range out {
		out[i] = person(src, fmt.Sprint(i+1), fmt.Sprintf("Person %d", i+1))
	}
	return out
}

func TestThreeSnapshotsAppearedChangedRemoved(t *testing.T) {
	db := openTemp(t)
	v1 := list("t", 10)
	s1 := mustImport(t, db, lexscreen.Snapshot{Source: "t", Format: "test-xml", Version: "v1", Published: day("2024-01-10"),
		ContentHash: "h1", Files: []string{"a.xml"}, Origin: "bundled"}, v1)

	v2 := list("t", 10)
	v2[1].Names = append(v2[1].Names, lexscreen.Name{Full: "Persona Dos", Kind: lexscreen.NameAlias})
	v2[1].Gender = "female"
	v2 = append(v2, person("t", "11", "Person 11"))
	s2 := mustImport(t, db, lexscreen.Snapshot{Source: "t", Version: "v2", Published: day("2024-02-10"), ContentHash: "h2"}, v2)

	v3 := list("t", 11)
	v3 = append(v3[:2], v3[3:]...) // t:3 removed
	v3[1] = v2[1]                  // t:2 stays as changed in v2
	s3 := mustImport(t, db, lexscreen.Snapshot{Source: "t", Version: "v3", Published: day("2024-03-10"), ContentHash: "h3"}, v3)

	if s1.ID == 0 || s2.ID <= s1.ID || s3.ID <= s2.ID {
		t.Fatalf("ids %d %d %d", s1.ID, s2.ID, s3.ID)
	}
	if s1.Entities != 10 || s1.Names != 10 || s2.Entities != 11 || s2.Names != 12 || s3.Entities != 10 {
		t.Errorf("counts: %+v %+v %+v", s1, s2, s3)
	}
	if s1.Format != "test-xml" || s1.Version != "v1" || !s1.Published.Equal(day("2024-01-10")) || s1.ContentHash != "h1" ||
		!reflect.DeepEqual(s1.Files, []string{"a.xml"}) || s1.Origin != "bundled" || s1.Imported.IsZero() {
		t.Errorf("snapshot 1 = %+v", s1)
	}

	// Entities round-trip exactly.
	got, err := db.Entity(ctx, "t:2", s2.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, v2[1]) {
		t.Errorf("entity t:2 = %+v, want %+v", got, v2[1])
	}
	// 0 = current snapshot.
	if got, err := db.Entity(ctx, "t:11", 0); err != nil || got.Caption() != "Person 11" {
		t.Errorf("current t:11 = %v, %v", got, err)
	}
	if _, err := db.Entity(ctx, "t:3", s3.ID); lexscreen.ErrorCode(err) != lexscreen.ENOTFOUND {
		t.Errorf("t:3 in s3: %v", err)
	}
	var ids []string
	if err := db.Entities(ctx, s3.ID, func(e *lexscreen.Entity) error { ids = append(ids, e.ID); return nil }); err != nil {
		t.Fatal(err)
	}
	if want := "t:1 t:10 t:11 t:2 t:4 t:5 t:6 t:7 t:8 t:9"; strings.Join(ids, " ") != want {
		t.Errorf("entities of s3 = %v", ids)
	}
	stop := errors.New("stop")
	if err := db.Entities(ctx, s3.ID, func(*lexscreen.Entity) error { return stop }); err != stop {
		t.Errorf("fn error = %v", err)
	}
	if err := db.Entities(ctx, 999, func(*lexscreen.Entity) error { return nil }); lexscreen.ErrorCode(err) != lexscreen.ENOTFOUND {
		t.Errorf("entities of unknown snapshot: %v", err)
	}

	// Versions are deduplicated: 10 + changed t:2 + new t:11.
	var versions int
	db.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM entity_versions").Scan(&versions)
	if versions != 12 {
		t.Errorf("entity versions = %d, want 12", versions)
	}

	d, err := db.Diff(ctx, s1.ID, s2.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Added) != 1 || d.Added[0].ID != "t:11" || d.Added[0].Caption != "Person 11" || d.Added[0].Schema != lexscreen.SchemaPerson ||
		!reflect.DeepEqual(d.Added[0].Programs, []string{"PROG-A"}) {
		t.Errorf("added = %+v", d.Added)
	}
	if len(d.Removed) != 0 || d.Unchanged != 9 || len(d.Changed) != 1 {
		t.Errorf("diff = %+v", d)
	}
	wantFields := []FieldChange{
		{Field: "names", Op: OpAdd, To: "{full: Persona Dos, kind: alias}"},
		{Field: "gender", Op: OpChange, From: "", To: "female"},
	}
	if !reflect.DeepEqual(d.Changed[0].Fields, wantFields) || d.Changed[0].ID != "t:2" || d.Changed[0].Caption != "Person 2" {
		t.Errorf("changed = %+v", d.Changed)
	}
	d, err = db.Diff(ctx, s2.ID, s3.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Removed) != 1 || d.Removed[0].ID != "t:3" || d.Removed[0].Caption != "Person 3" || len(d.Added) != 0 || len(d.Changed) != 0 {
		t.Errorf("diff 2-3 = %+v", d)
	}

	h, err := db.History(ctx, "t:2")
	if err != nil {
		t.Fatal(err)
	}
	if len(h) != 2 || h[0].Kind != EventAppeared || h[0].Snapshot.ID != s1.ID || h[1].Kind != EventChanged ||
		h[1].Snapshot.ID != s2.ID || !reflect.DeepEqual(h[1].Fields, wantFields) {
		t.Errorf("history t:2 = %+v", h)
	}
	h, err = db.History(ctx, "t:3")
	if err != nil {
		t.Fatal(err)
	}
	if kinds(h) != "appeared@v1 removed@v3" {
		t.Errorf("history t:3 = %s", kinds(h))
	}
	if _, err := db.History(ctx, "t:999"); lexscreen.ErrorCode(err) != lexscreen.ENOTFOUND {
		t.Errorf("history unknown: %v", err)
	}
	if _, err := db.History(ctx, "nosuchid"); lexscreen.ErrorCode(err) != lexscreen.ENOTFOUND {
		t.Errorf("history bad id: %v", err)
	}

	// t:3 comes back, changed.
	v4 := append(list("t", 11), nil...)
	v4[1] = v2[1]
	v4[2].Remarks = "relisted"
	s4 := mustImport(t, db, lexscreen.Snapshot{Source: "t", Version: "v4", Published: day("2024-04-10")}, v4)
	h, _ = db.History(ctx, "t:3")
	if kinds(h) != "appeared@v1 removed@v3 reappeared@v4" || len(h[2].Fields) != 1 || h[2].Fields[0].Field != "remarks" {
		t.Errorf("history t:3 = %+v", h)
	}
	_ = s4
}

func kinds(h []HistoryEvent) string {
	var s []string
	for _, e := range h {
		s = append(s, e.Kind+"@"+e.Snapshot.Version)
	}
	return strings.Join(s, " ")
}

func TestSnapshotQueries(t *testing.T) {
	db := openTemp(t)
	a1 := mustImport(t, db, lexscreen.Snapshot{Source: "a", Version: "1", Published: day("2024-01-01")}, list("a", 2))
	b1 := mustImport(t, db, lexscreen.Snapshot{Source: "b", Version: "1", Published: day("2024-06-01")}, list("b", 2))
	a2 := mustImport(t, db, lexscreen.Snapshot{Source: "a", Version: "2", Published: day("2024-03-01")}, list("a", 2))
	a3 := mustImport(t, db, lexscreen.Snapshot{Source: "a", Version: "3", Published: day("2024-03-01")}, list("a", 3)) // tie: later id wins

	ids := func(s []lexscreen.Snapshot, err error) string {
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, x := range s {
			out = append(out, fmt.Sprintf("%s%s", x.Source, x.Version))
		}
		return strings.Join(out, " ")
	}
	if got := ids(db.Snapshots(ctx, "")); got != "a1 a2 a3 b1" {
		t.Errorf("Snapshots = %s", got)
	}
	if got := ids(db.Snapshots(ctx, "b")); got != "b1" {
		t.Errorf("Snapshots(b) = %s", got)
	}
	if got := ids(db.Snapshots(ctx, "zzz")); got != "" {
		t.Errorf("Snapshots(zzz) = %s", got)
	}
	if got := ids(db.Current(ctx)); got != "a3 b1" {
		t.Errorf("Current = %s", got)
	}
	if got := ids(db.CurrentAt(ctx, day("2024-02-15"))); got != "a1" {
		t.Errorf("CurrentAt(feb) = %s", got)
	}
	if got := ids(db.CurrentAt(ctx, day("2024-03-01"))); got != "a3" {
		t.Errorf("CurrentAt(mar 1) = %s", got)
	}
	if got := ids(db.CurrentAt(ctx, day("2023-01-01"))); got != "" {
		t.Errorf("CurrentAt(2023) = %s", got)
	}
	src, err := db.Sources(ctx)
	if err != nil || strings.Join(src, ",") != "a,b" {
		t.Errorf("Sources = %v, %v", src, err)
	}
	if s, err := db.Snapshot(ctx, a2.ID); err != nil || s.Version != "2" {
		t.Errorf("Snapshot = %+v, %v", s, err)
	}
	if _, err := db.Snapshot(ctx, 12345); lexscreen.ErrorCode(err) != lexscreen.ENOTFOUND {
		t.Errorf("unknown snapshot: %v", err)
	}
	if _, err := db.Diff(ctx, a1.ID, b1.ID); lexscreen.ErrorCode(err) != lexscreen.EINVALID {
		t.Errorf("diff across sources: %v", err)
	}
	if _, err := db.Diff(ctx, a1.ID, 999); lexscreen.ErrorCode(err) != lexscreen.ENOTFOUND {
		t.Errorf("diff unknown: %v", err)
	}
	_ = a3
}

func TestShrinkGuard(t *testing.T) {
	db := openTemp(t)
	mustImport(t, db, lexscreen.Snapshot{Source: "t", Version: "v1", Published: day("2024-01-01")}, list("t", 10))

	imp, err := db.BeginImport(ctx, lexscreen.Snapshot{Source: "t", Version: "v2", Published: day("2024-02-01")})
	if err != nil {
		t.Fatal(err)
	}
	defer imp.Rollback()
	for _, e := range list("t", 7) {
		if err := imp.Add(e); err != nil {
			t.Fatal(err)
		}
	}
	_, err = imp.Commit(CommitOptions{})
	var le *lexscreen.Error
	if !errors.As(err, &le) || le.Code != lexscreen.ECONFLICT ||
		!strings.Contains(le.Message, "would lose 3 of 10 entities (30%)") || !strings.Contains(le.Message, "--force") {
		t.Fatalf("shrink: %v", err)
	}
	if s, _ := db.Snapshots(ctx, "t"); len(s) != 1 {
		t.Errorf("refused snapshot visible: %v", s)
	}
	// The import stays open: accept it with Force.
	s2, err := imp.Commit(CommitOptions{Force: true})
	if err != nil {
		t.Fatal(err)
	}
	if s2.Entities != 7 || s2.Version != "v2" {
		t.Errorf("forced = %+v", s2)
	}
	// 8 of 10 is exactly 80%: accepted. Compared with the snapshot that
	// precedes by Published date (v2, 7 entities), not the largest.
	if _, err := importEntities(t, db, lexscreen.Snapshot{Source: "t", Version: "v3", Published: day("2024-03-01")}, list("t", 6), CommitOptions{}); err != nil {
		t.Errorf("6 of 7: %v", err)
	}
	// An older snapshot imported late is compared with what precedes it.
	if _, err := importEntities(t, db, lexscreen.Snapshot{Source: "t", Version: "v1b", Published: day("2024-01-15")}, list("t", 8), CommitOptions{}); err != nil {
		t.Errorf("8 of 10: %v", err)
	}
	_, err = importEntities(t, db, lexscreen.Snapshot{Source: "t", Version: "v1c", Published: day("2024-01-20")}, list("t", 6), CommitOptions{})
	if lexscreen.ErrorCode(err) != lexscreen.ECONFLICT || !strings.Contains(err.Error(), "would lose 2 of 8 entities (25%)") {
		t.Errorf("6 of 8: %v", err)
	}
	// A custom limit.
	if _, err := importEntities(t, db, lexscreen.Snapshot{Source: "t", Version: "v4", Published: day("2024-04-01")}, list("t", 3), CommitOptions{ShrinkLimit: 0.5}); err != nil {
		t.Errorf("3 of 6 with limit 0.5: %v", err)
	}
}

func TestDuplicateContentHash(t *testing.T) {
	db := openTemp(t)
	s1 := mustImport(t, db, lexscreen.Snapshot{Source: "t", Version: "v1", Published: day("2024-01-01"), ContentHash: "abc"}, list("t", 3))
	old, err := importEntities(t, db, lexscreen.Snapshot{Source: "t", Version: "v1", Published: day("2024-01-01"), ContentHash: "abc"}, list("t", 3), CommitOptions{Force: true})
	if !errors.Is(err, ErrDuplicate) || lexscreen.ErrorCode(err) != lexscreen.ECONFLICT {
		t.Fatalf("err = %v", err)
	}
	if old.ID != s1.ID || !strings.Contains(err.Error(), fmt.Sprintf("already imported as snapshot %d", s1.ID)) {
		t.Errorf("existing = %+v, %v", old, err)
	}
	if s, _ := db.Snapshots(ctx, ""); len(s) != 1 {
		t.Errorf("snapshots = %+v", s)
	}
	if s, ok, err := db.FindByHash(ctx, "t", "abc"); !ok || err != nil || s.ID != s1.ID {
		t.Errorf("FindByHash = %v %v %v", s, ok, err)
	}
	// Same hash for another source is no duplicate; an empty hash never is.
	mustImport(t, db, lexscreen.Snapshot{Source: "u", ContentHash: "abc"}, list("u", 1))
	mustImport(t, db, lexscreen.Snapshot{Source: "v"}, list("v", 1))
	mustImport(t, db, lexscreen.Snapshot{Source: "v"}, list("v", 1))
}

func TestInvalidEntities(t *testing.T) {
	db := openTemp(t)
	mustImport(t, db, lexscreen.Snapshot{Source: "t", Version: "v1"}, list("t", 2))
	cases := []struct {
		name string
		ents []*lexscreen.Entity
		want string
	}{
		{"duplicate id", []*lexscreen.Entity{person("t", "1", "A"), person("t", "2", "B"), person("t", "1", "C")}, `duplicate entity id "t:1"`},
		{"no id", []*lexscreen.Entity{{Source: "t", Names: []lexscreen.Name{{Full: "X", Kind: lexscreen.NamePrimary}}}}, `entity without id (caption "X")`},
		{"other source prefix", []*lexscreen.Entity{person("u", "1", "A")}, `entity id "u:1" is not "t:<key>"`},
		{"empty key", []*lexscreen.Entity{{ID: "t:", Source: "t"}}, `is not "t:<key>"`},
		{"source field", []*lexscreen.Entity{{ID: "t:9", Source: "x"}}, `entity t:9 has source "x"`},
		{"nil", []*lexscreen.Entity{nil}, "nil entity"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			imp, err := db.BeginImport(ctx, lexscreen.Snapshot{Source: "t", Version: "bad"})
			if err != nil {
				t.Fatal(err)
			}
			defer imp.Rollback()
			var addErr error
			for _, e := range c.ents {
				if addErr = imp.Add(e); addErr != nil {
					break
				}
			}
			if lexscreen.ErrorCode(addErr) != lexscreen.EINVALID || !strings.Contains(addErr.Error(), c.want) {
				t.Errorf("Add: %v; want EINVALID %q", addErr, c.want)
			}
			// Sticky: Add and Commit fail the same way.
			if err := imp.Add(person("t", "77", "Z")); err != addErr {
				t.Errorf("Add after error = %v", err)
			}
			if _, err := imp.Commit(CommitOptions{Force: true}); err != addErr {
				t.Errorf("Commit = %v", err)
			}
			if s, _ := db.Snapshots(ctx, "t"); len(s) != 1 {
				t.Errorf("snapshots = %v", s)
			}
		})
	}
	// No source given and no entity to take it from.
	if _, err := importEntities(t, db, lexscreen.Snapshot{}, nil, CommitOptions{}); lexscreen.ErrorCode(err) != lexscreen.EINVALID {
		t.Errorf("no source: %v", err)
	}
	if _, err := db.BeginImport(ctx, lexscreen.Snapshot{Source: "a:b"}); lexscreen.ErrorCode(err) != lexscreen.EINVALID {
		t.Errorf("source with colon: %v", err)
	}
}

// The source and the publisher's date are often known only after parsing:
// the import takes its source from the entities and SetSnapshot completes it.
func TestSourceLearnedWhileParsing(t *testing.T) {
	db := openTemp(t)
	mustImport(t, db, lexscreen.Snapshot{Source: "t", Version: "v1", Published: day("2024-01-01")}, list("t", 10))
	imp, err := db.BeginImport(ctx, lexscreen.Snapshot{Format: "test-xml", ContentHash: "h2", Files: []string{"t.xml"}})
	if err != nil {
		t.Fatal(err)
	}
	defer imp.Rollback()
	for _, e := range list("t", 8) {
		if err := imp.Add(e); err != nil {
			t.Fatal(err)
		}
	}
	if err := imp.Add(person("u", "1", "other source")); lexscreen.ErrorCode(err) != lexscreen.EINVALID {
		t.Fatalf("mixed sources: %v", err)
	}
	imp.Rollback()

	imp, err = db.BeginImport(ctx, lexscreen.Snapshot{Format: "test-xml", ContentHash: "h2", Files: []string{"t.xml"}})
	if err != nil {
		t.Fatal(err)
	}
	defer imp.Rollback()
	for _, e := range list("t", 7) {
		if err := imp.Add(e); err != nil {
			t.Fatal(err)
		}
	}
	imp.SetSnapshot(lexscreen.Snapshot{Source: "t", Format: "test-xml", Version: "v2", Published: day("2024-02-01"), ContentHash: "h2", Files: []string{"t.xml"}, Origin: "x"})
	// Known entities were recognised (no new versions) and the shrink guard
	// applies to the source learned from the entities.
	if _, err := imp.Commit(CommitOptions{}); lexscreen.ErrorCode(err) != lexscreen.ECONFLICT {
		t.Fatalf("shrink: %v", err)
	}
	s, err := imp.Commit(CommitOptions{Force: true})
	if err != nil {
		t.Fatal(err)
	}
	if s.Source != "t" || s.Version != "v2" || !s.Published.Equal(day("2024-02-01")) || s.Format != "test-xml" ||
		s.ContentHash != "h2" || s.Origin != "x" || s.Entities != 7 || len(s.Files) != 1 {
		t.Errorf("snapshot = %+v", s)
	}
	var n int
	db.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM entity_versions").Scan(&n)
	if n != 10 {
		t.Errorf("versions = %d, want 10", n)
	}

	// SetSnapshot with another source than the entities' is refused.
	imp, err = db.BeginImport(ctx, lexscreen.Snapshot{})
	if err != nil {
		t.Fatal(err)
	}
	defer imp.Rollback()
	imp.Add(person("t", "1", "A"))
	imp.SetSnapshot(lexscreen.Snapshot{Source: "u"})
	if _, err := imp.Commit(CommitOptions{Force: true}); lexscreen.ErrorCode(err) != lexscreen.EINVALID || !strings.Contains(err.Error(), `holds entities of source "t"`) {
		t.Errorf("source mismatch: %v", err)
	}
	if s, _ := db.Snapshots(ctx, ""); len(s) != 2 {
		t.Errorf("snapshots = %+v", s)
	}
}

func TestRollbackLeavesNothing(t *testing.T) {
	db := openTemp(t)
	s1 := mustImport(t, db, lexscreen.Snapshot{Source: "t", Version: "v1"}, list("t", 3))
	countVersions := func() (n int) {
		db.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM entity_versions").Scan(&n)
		return
	}
	before := countVersions()
	imp, err := db.BeginImport(ctx, lexscreen.Snapshot{Source: "t", Version: "v2"})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range list("u", 0) {
		imp.Add(e)
	}
	ents := list("t", 5)
	ents[0].Remarks = "changed"
	for _, e := range ents {
		if err := imp.Add(e); err != nil {
			t.Fatal(err)
		}
	}
	if err := imp.Rollback(); err != nil {
		t.Fatal(err)
	}
	if err := imp.Rollback(); err != nil {
		t.Errorf("second rollback: %v", err)
	}
	if err := imp.Add(person("t", "9", "x")); lexscreen.ErrorCode(err) != lexscreen.EINVALID {
		t.Errorf("add after rollback: %v", err)
	}
	if _, err := imp.Commit(CommitOptions{}); err == nil {
		t.Error("commit after rollback succeeded")
	}
	if s, _ := db.Snapshots(ctx, ""); len(s) != 1 || s[0].ID != s1.ID {
		t.Errorf("snapshots = %+v", s)
	}
	if n := countVersions(); n != before {
		t.Errorf("versions %d, want %d", n, before)
	}
	// The connection went back to the pool in a usable state.
	s2 := mustImport(t, db, lexscreen.Snapshot{Source: "t", Version: "v2"}, list("t", 4))
	if s2.ID <= s1.ID || s2.Entities != 4 {
		t.Errorf("after rollback: %+v", s2)
	}
}

func TestCancelledImport(t *testing.T) {
	db := openTemp(t)
	mustImport(t, db, lexscreen.Snapshot{Source: "t", Version: "v1"}, list("t", 3))
	cctx, cancel := context.WithCancel(ctx)
	imp, err := db.BeginImport(cctx, lexscreen.Snapshot{Source: "t", Version: "v2"})
	if err != nil {
		t.Fatal(err)
	}
	defer imp.Rollback()
	imp.Add(person("t", "1", "A"))
	cancel()
	var addErr error
	for _, e := range list("t", 100) {
		if addErr = imp.Add(e); addErr != nil {
			break
		}
	}
	if !errors.Is(addErr, context.Canceled) {
		t.Errorf("add after cancel: %v", addErr)
	}
	if _, err := imp.Commit(CommitOptions{}); err == nil {
		t.Error("commit after cancel succeeded")
	}
	if s, _ := db.Snapshots(ctx, ""); len(s) != 1 {
		t.Errorf("snapshots = %+v", s)
	}
}

func TestHistoryOrderedByPublished(t *testing.T) {
	db := openTemp(t)
	late := list("t", 3)
	late[0].Remarks = "updated in December"
	// December imported first, then May of the year before.
	dec := mustImport(t, db, lexscreen.Snapshot{Source: "t", Version: "2025-12", Published: day("2025-12-01")}, late)
	may := mustImport(t, db, lexscreen.Snapshot{Source: "t", Version: "2024-05", Published: day("2024-05-01")}, list("t", 2))
	h, err := db.History(ctx, "t:1")
	if err != nil {
		t.Fatal(err)
	}
	if kinds(h) != "appeared@2024-05 changed@2025-12" || h[0].Snapshot.ID != may.ID || h[1].Snapshot.ID != dec.ID {
		t.Errorf("history = %+v", h)
	}
	if len(h[1].Fields) != 1 || h[1].Fields[0] != (FieldChange{Field: "remarks", Op: OpChange, To: "updated in December"}) {
		t.Errorf("fields = %+v", h[1].Fields)
	}
	h, _ = db.History(ctx, "t:3")
	if kinds(h) != "appeared@2025-12" {
		t.Errorf("history t:3 = %s", kinds(h))
	}
	cur, _ := db.Current(ctx)
	if len(cur) != 1 || cur[0].ID != dec.ID {
		t.Errorf("current = %+v", cur)
	}
	if s, _ := db.Snapshots(ctx, "t"); len(s) != 2 || s[0].ID != may.ID {
		t.Errorf("snapshots order = %+v", s)
	}
}

func TestDeleteSnapshotCollectsVersions(t *testing.T) {
	db := openTemp(t)
	s1 := mustImport(t, db, lexscreen.Snapshot{Source: "t", Version: "v1"}, list("t", 5))
	v2 := list("t", 5)
	v2[0].Remarks = "x"
	s2 := mustImport(t, db, lexscreen.Snapshot{Source: "t", Version: "v2"}, v2)
	count := func(q string) (n int) {
		if err := db.db.QueryRowContext(ctx, q).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return
	}
	if n := count("SELECT COUNT(*) FROM entity_versions"); n != 6 {
		t.Fatalf("versions = %d", n)
	}
	if err := db.DeleteSnapshot(ctx, s1.ID); err != nil {
		t.Fatal(err)
	}
	if n := count("SELECT COUNT(*) FROM entity_versions"); n != 5 {
		t.Errorf("versions after delete = %d", n)
	}
	if n := count("SELECT COUNT(*) FROM snapshot_entities"); n != 5 {
		t.Errorf("members after delete = %d", n)
	}
	if err := db.DeleteSnapshot(ctx, s1.ID); lexscreen.ErrorCode(err) != lexscreen.ENOTFOUND {
		t.Errorf("delete again: %v", err)
	}
	if e, err := db.Entity(ctx, "t:1", s2.ID); err != nil || e.Remarks != "x" {
		t.Errorf("entity after delete: %v %v", e, err)
	}
	if err := db.DeleteSnapshot(ctx, s2.ID); err != nil {
		t.Fatal(err)
	}
	if n := count("SELECT COUNT(*) FROM entity_versions"); n != 0 {
		t.Errorf("versions after deleting all = %d", n)
	}
	// Ids are not reused.
	s3 := mustImport(t, db, lexscreen.Snapshot{Source: "t", Version: "v3"}, list("t", 1))
	if s3.ID <= s2.ID {
		t.Errorf("reused id %d", s3.ID)
	}
}

func TestReimportStoresOnlyChanges(t *testing.T) {
	db := openTemp(t)
	ents := make([]*lexscreen.Entity, 300)
	for i := range ents {
		ents[i] = synthetic("s", i, 0)
	}
	mustImport(t, db, lexscreen.Snapshot{Source: "s", Version: "1", Published: day("2024-01-01")}, ents)
	ents[5] = synthetic("s", 5, 1)
	ents[7] = synthetic("s", 7, 1)
	s2 := mustImport(t, db, lexscreen.Snapshot{Source: "s", Version: "2", Published: day("2024-02-01")}, ents)
	var n int
	db.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM entity_versions").Scan(&n)
	if n != 302 {
		t.Errorf("versions = %d, want 302", n)
	}
	// Deterministic storage: the same entity gives the same hash and the
	// stored entity decodes to the same value.
	for _, i := range []int{0, 5, 299} {
		got, err := db.Entity(ctx, ents[i].ID, s2.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, ents[i]) {
			t.Errorf("entity %s round trip:\n got %+v\nwant %+v", ents[i].ID, got, ents[i])
		}
	}
}

func TestConcurrentReaderSeesOldStateUntilCommit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.db")
	writer, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer writer.Close()
	reader, err := Open(ctx, path) // as another process would
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Close()
	s1 := mustImport(t, writer, lexscreen.Snapshot{Source: "t", Version: "v1", Published: day("2024-01-01")}, list("t", 50))

	imp, err := writer.BeginImport(ctx, lexscreen.Snapshot{Source: "t", Version: "v2", Published: day("2024-02-01")})
	if err != nil {
		t.Fatal(err)
	}
	defer imp.Rollback()
	ents := list("t", 60)
	for _, e := range ents {
		e.Remarks = "v2"
	}
	check := func(db *DB, label string, wantVersion string, wantN int) {
		t.Helper()
		cur, err := db.Current(ctx)
		if err != nil {
			t.Fatalf("%s: %v", label, err)
		}
		if len(cur) != 1 || cur[0].Version != wantVersion {
			t.Fatalf("%s: current = %+v", label, cur)
		}
		n := 0
		if err := db.Entities(ctx, cur[0].ID, func(e *lexscreen.Entity) error {
			if e.Remarks != map[string]string{"v1": "", "v2": "v2"}[wantVersion] {
				return fmt.Errorf("entity %s remarks %q", e.ID, e.Remarks)
			}
			n++
			return nil
		}); err != nil {
			t.Fatalf("%s: %v", label, err)
		}
		if n != wantN {
			t.Fatalf("%s: %d entities, want %d", label, n, wantN)
		}
	}
	done := make(chan error)
	go func() {
		for i, e := range ents {
			if err := imp.Add(e); err != nil {
				done <- err
				return
			}
			if i == 30 {
				done <- nil // half-way: let the readers look
				<-done
			}
		}
		done <- nil
	}()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	check(reader, "other process mid-import", "v1", 50)
	check(writer, "same DB mid-import", "v1", 50)
	done <- nil
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	check(reader, "other process before commit", "v1", 50)
	s2, err := imp.Commit(CommitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	check(reader, "other process after commit", "v2", 60)
	check(writer, "same DB after commit", "v2", 60)
	if s2.ID <= s1.ID {
		t.Errorf("ids %d %d", s1.ID, s2.ID)
	}
}

func TestSecondImporterWaits(t *testing.T) {
	path := filepath.Join(t.TempDir(), "w.db")
	a, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	imp, err := a.BeginImport(ctx, lexscreen.Snapshot{Source: "t", Version: "a"})
	if err != nil {
		t.Fatal(err)
	}
	imp.Add(person("t", "1", "A"))
	// b cannot start while a imports; with a short deadline it gives up.
	tctx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	if _, err := b.BeginImport(tctx, lexscreen.Snapshot{Source: "u", Version: "b"}); err == nil {
		t.Fatal("second import started during the first")
	}
	// With time enough, it starts once the first import commits.
	started := make(chan error, 1)
	go func() {
		imp2, err := b.BeginImport(ctx, lexscreen.Snapshot{Source: "u", Version: "b"})
		if err == nil {
			imp2.Add(person("u", "1", "U"))
			_, err = imp2.Commit(CommitOptions{})
		}
		started <- err
	}()
	time.Sleep(200 * time.Millisecond)
	select {
	case err := <-started:
		t.Fatalf("second import did not wait: %v", err)
	default:
	}
	if _, err := imp.Commit(CommitOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := <-started; err != nil {
		t.Fatalf("second import: %v", err)
	}
	if s, _ := a.Sources(ctx); strings.Join(s, ",") != "t,u" {
		t.Errorf("sources = %v", s)
	}
}
