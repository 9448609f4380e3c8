// Package storetest is the contract every lexscreen list store
// (store.Store) must pass: store/sqlite and store/postgres run it in their
// tests. Run it with a function that opens an empty store.
package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/store"
)

// Opener opens a new, empty store for one test; the store is closed by the
// test (t.Cleanup is the opener's to register for anything else).
type Opener func(t *testing.T) store.Store

// Run runs the contract against stores made by open.
func Run(t *testing.T, open Opener) {
	tests := []struct {
		name string
		fn   func(t *testing.T, db store.Store)
	}{
		{"ImportAndRead", testImportAndRead},
		{"EntityOrderIsBytewise", testEntityOrder},
		{"NothingVisibleBeforeCommit", testNothingVisibleBeforeCommit},
		{"RollbackLeavesNothing", testRollback},
		{"BadEntityRollsBack", testBadEntity},
		{"CanceledImportLeavesNothing", testCanceled},
		{"ShrinkGuard", testShrinkGuard},
		{"DuplicateContent", testDuplicate},
		{"SourceFromFirstEntity", testSourceFromEntities},
		{"CurrentAt", testCurrentAt},
		{"DiffAndHistory", testDiffAndHistory},
		{"DeleteSnapshot", testDelete},
		{"FirstSeen", testFirstSeen},
		{"ConcurrentReadersDuringImport", testConcurrentReaders},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			db := open(t)
			t.Cleanup(func() { db.Close() })
			tc.fn(t, db)
		})
	}
}

func importList(t *testing.T, db store.Store, snap lexscreen.Snapshot, ents []*lexscreen.Entity, opts store.CommitOptions) (lexscreen.Snapshot, error) {
	t.Helper()
	imp, err := db.BeginImport(context.Background(), snap)
	if err != nil {
		t.Fatalf("BeginImport: %v", err)
	}
	defer imp.Rollback()
	for _, e := range ents {
		if err := imp.Add(e); err != nil {
			return lexscreen.Snapshot{}, err
		}
	}
	return imp.Commit(opts)
}

func mustImport(t *testing.T, db store.Store, snap lexscreen.Snapshot, ents []*lexscreen.Entity) lexscreen.Snapshot {
	t.Helper()
	s, err := importList(t, db, snap, ents, store.CommitOptions{})
	if err != nil {
		t.Fatalf("import %s %s: %v", snap.Source, snap.Version, err)
	}
	return s
}

func wantCode(t *testing.T, err error, code string, what string) {
	t.Helper()
	if lexscreen.ErrorCode(err) != code {
		t.Fatalf("%s: error %v (code %q), want code %q", what, err, lexscreen.ErrorCode(err), code)
	}
}

func snapshotIDs(t *testing.T, db store.Store) []int64 {
	t.Helper()
	all, err := db.Snapshots(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, s := range all {
		ids = append(ids, s.ID)
	}
	return ids
}

func entityIDs(t *testing.T, db store.Store, snapID int64) []string {
	t.Helper()
	var ids []string
	if err := db.Entities(context.Background(), snapID, func(e *lexscreen.Entity) error {
		ids = append(ids, e.ID)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return ids
}

func testImportAndRead(t *testing.T, db store.Store) {
	ctx := context.Background()
	snap := lexscreen.Snapshot{Source: src, Format: "ofac-xml", Version: "2024-01-05",
		Published: day("2024-01-05"), ContentHash: "sha256:aa01", Files: []string{"SDN.XML"}, Origin: "https://sanctionslistservice.ofac.treas.gov/", Records: 5}
	got := mustImport(t, db, snap, baseList())
	if got.ID == 0 || got.Entities != 5 || got.Names != 7 || got.Source != src || got.Version != "2024-01-05" ||
		!got.Published.Equal(day("2024-01-05")) || got.Imported.IsZero() || !slices.Equal(got.Files, []string{"SDN.XML"}) ||
		got.Origin != snap.Origin || got.Records != 5 || got.ContentHash != "sha256:aa01" {
		t.Fatalf("committed snapshot %+v", got)
	}
	again, err := db.Snapshot(ctx, got.ID)
	if err != nil || !again.Published.Equal(got.Published) || again.Entities != 5 {
		t.Fatalf("Snapshot(%d) = %+v, %v", got.ID, again, err)
	}
	cur, err := db.Current(ctx)
	if err != nil || len(cur) != 1 || cur[0].ID != got.ID {
		t.Fatalf("Current = %+v, %v", cur, err)
	}
	srcs, err := db.Sources(ctx)
	if err != nil || !slices.Equal(srcs, []string{src}) {
		t.Fatalf("Sources = %v, %v", srcs, err)
	}
	if s, ok, err := db.FindByHash(ctx, src, "sha256:aa01"); err != nil || !ok || s.ID != got.ID {
		t.Fatalf("FindByHash = %+v %v %v", s, ok, err)
	}
	if _, ok, err := db.FindByHash(ctx, src, "sha256:none"); err != nil || ok {
		t.Fatalf("FindByHash of an unknown hash = %v %v", ok, err)
	}
	e, err := db.Entity(ctx, src+":306", 0)
	if err != nil {
		t.Fatal(err)
	}
	want := baseList()[1]
	gj, _ := json.Marshal(e)
	wj, _ := json.Marshal(want)
	if string(gj) != string(wj) {
		t.Fatalf("Entity round trip:\n got %s\nwant %s", gj, wj)
	}
	if _, err := db.Entity(ctx, src+":999999", 0); lexscreen.ErrorCode(err) != lexscreen.ENOTFOUND {
		t.Fatalf("missing entity: %v", err)
	}
	if _, err := db.Entity(ctx, "eu-fsf:1", 0); lexscreen.ErrorCode(err) != lexscreen.ENOTFOUND {
		t.Fatalf("entity of a source without snapshot: %v", err)
	}
	if _, err := db.Entity(ctx, src+":306", got.ID+1000); lexscreen.ErrorCode(err) != lexscreen.ENOTFOUND {
		t.Fatalf("entity of a missing snapshot: %v", err)
	}
	_, err = db.Snapshot(ctx, got.ID+1000)
	wantCode(t, err, lexscreen.ENOTFOUND, "missing snapshot")
	wantCode(t, db.Entities(ctx, got.ID+1000, func(*lexscreen.Entity) error { return nil }), lexscreen.ENOTFOUND, "entities of a missing snapshot")
	stop := errors.New("stop")
	n := 0
	if err := db.Entities(ctx, got.ID, func(*lexscreen.Entity) error { n++; return stop }); err != stop || n != 1 {
		t.Fatalf("an error of fn must stop the walk and come back as is: %v after %d", err, n)
	}
	if db.Location() == "" {
		t.Fatal("Location is empty")
	}
}

func testEntityOrder(t *testing.T, db store.Store) {
	s := mustImport(t, db, lexscreen.Snapshot{Source: src, Version: "1", Published: day("2024-01-05")}, baseList())
	got := entityIDs(t, db, s.ID)
	want := []string{src + ":10001", src + ":25639", src + ":306", src + ":36", src + ":9647"}
	if !slices.Equal(got, want) {
		t.Fatalf("Entities order %v, want byte order %v", got, want)
	}
}

func testNothingVisibleBeforeCommit(t *testing.T, db store.Store) {
	ctx := context.Background()
	first := mustImport(t, db, lexscreen.Snapshot{Source: src, Version: "1", Published: day("2024-01-05")}, baseList())
	imp, err := db.BeginImport(ctx, lexscreen.Snapshot{Source: src, Version: "2", Published: day("2024-02-01")})
	if err != nil {
		t.Fatal(err)
	}
	defer imp.Rollback()
	for _, e := range append(baseList(), filler(3000)...) { // more than one flush of a buffered writer
		if err := imp.Add(e); err != nil {
			t.Fatal(err)
		}
	}
	if ids := snapshotIDs(t, db); !slices.Equal(ids, []int64{first.ID}) {
		t.Fatalf("during the import, snapshots %v are visible, want only %d", ids, first.ID)
	}
	if _, err := db.Entity(ctx, src+":50000", 0); lexscreen.ErrorCode(err) != lexscreen.ENOTFOUND {
		t.Fatalf("an entity of the import is visible before Commit: %v", err)
	}
	s, err := imp.Commit(store.CommitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(entityIDs(t, db, s.ID)); s.Entities != 3005 || n != 3005 {
		t.Fatalf("committed %d entities, Entities walks %d, want 3005", s.Entities, n)
	}
}

func testRollback(t *testing.T, db store.Store) {
	imp, err := db.BeginImport(context.Background(), lexscreen.Snapshot{Source: src, Version: "1"})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range baseList() {
		if err := imp.Add(e); err != nil {
			t.Fatal(err)
		}
	}
	if err := imp.Rollback(); err != nil {
		t.Fatal(err)
	}
	if err := imp.Rollback(); err != nil {
		t.Fatalf("second Rollback: %v", err)
	}
	if ids := snapshotIDs(t, db); len(ids) != 0 {
		t.Fatalf("after Rollback: snapshots %v", ids)
	}
	if _, err := imp.Commit(store.CommitOptions{}); err == nil {
		t.Fatal("Commit after Rollback succeeded")
	}
	if err := imp.Add(baseList()[0]); err == nil {
		t.Fatal("Add after Rollback succeeded")
	}
}

func testBadEntity(t *testing.T, db store.Store) {
	bad := map[string]*lexscreen.Entity{
		"duplicate id":      baseList()[0],
		"other source":      {ID: "eu-fsf:13", Source: "eu-fsf", Names: []lexscreen.Name{{Full: "Saddam Hussein Al-Tikriti"}}},
		"id without key":    {ID: src + ":", Source: src},
		"no id":             {Source: src},
		"source field lies": {ID: src + ":77", Source: "gb-hmt"},
	}
	for what, e := range bad {
		_, err := importList(t, db, lexscreen.Snapshot{Source: src, Version: what}, append(baseList(), e), store.CommitOptions{})
		wantCode(t, err, lexscreen.EINVALID, what)
		if ids := snapshotIDs(t, db); len(ids) != 0 {
			t.Fatalf("%s: a half-loaded list is visible: snapshots %v", what, ids)
		}
	}
	if _, err := db.BeginImport(context.Background(), lexscreen.Snapshot{Source: "us:ofac"}); lexscreen.ErrorCode(err) != lexscreen.EINVALID {
		t.Fatalf("source with ':' : %v", err)
	}
}

func testCanceled(t *testing.T, db store.Store) {
	ctx, cancel := context.WithCancel(context.Background())
	imp, err := db.BeginImport(ctx, lexscreen.Snapshot{Source: src, Version: "1"})
	if err != nil {
		t.Fatal(err)
	}
	defer imp.Rollback()
	for _, e := range filler(2500) {
		if err := imp.Add(e); err != nil {
			t.Fatal(err)
		}
	}
	cancel()
	err = imp.Add(baseList()[0])
	if err == nil {
		_, err = imp.Commit(store.CommitOptions{})
	}
	if err == nil {
		t.Fatal("an import whose context was canceled committed")
	}
	if ids := snapshotIDs(t, db); len(ids) != 0 {
		t.Fatalf("after a canceled import: snapshots %v", ids)
	}
}

func testShrinkGuard(t *testing.T, db store.Store) {
	full := append(baseList(), filler(5)...) // 10 entities
	prev := mustImport(t, db, lexscreen.Snapshot{Source: src, Version: "2024-01-05", Published: day("2024-01-05")}, full)

	// 8 of 10 is exactly the limit (80%): accepted.
	eight := mustImport(t, db, lexscreen.Snapshot{Source: src, Version: "2024-01-12", Published: day("2024-01-12")}, full[:8])
	if eight.Entities != 8 {
		t.Fatalf("8 entities: %+v", eight)
	}
	// 6 of 8 is 75%: refused, the import stays open, Force takes it.
	imp, err := db.BeginImport(context.Background(), lexscreen.Snapshot{Source: src, Version: "2024-01-19", Published: day("2024-01-19")})
	if err != nil {
		t.Fatal(err)
	}
	defer imp.Rollback()
	for _, e := range full[:6] {
		if err := imp.Add(e); err != nil {
			t.Fatal(err)
		}
	}
	_, err = imp.Commit(store.CommitOptions{})
	wantCode(t, err, lexscreen.ECONFLICT, "shrink to 75%")
	if ids := snapshotIDs(t, db); !slices.Equal(ids, []int64{prev.ID, eight.ID}) {
		t.Fatalf("after a refused shrink: snapshots %v", ids)
	}
	forced, err := imp.Commit(store.CommitOptions{Force: true})
	if err != nil || forced.Entities != 6 {
		t.Fatalf("forced commit: %+v %v", forced, err)
	}
	// The guard compares with the snapshot preceding by Published date: a
	// back-dated snapshot of 5 is compared with the one of 10, refused.
	_, err = importList(t, db, lexscreen.Snapshot{Source: src, Version: "2024-01-06", Published: day("2024-01-06")}, full[:5], store.CommitOptions{})
	wantCode(t, err, lexscreen.ECONFLICT, "back-dated shrink")
	// A looser limit accepts it.
	if _, err := importList(t, db, lexscreen.Snapshot{Source: src, Version: "2024-01-06", Published: day("2024-01-06")}, full[:5],
		store.CommitOptions{ShrinkLimit: 0.5}); err != nil {
		t.Fatalf("ShrinkLimit 0.5: %v", err)
	}
}

func testDuplicate(t *testing.T, db store.Store) {
	first := mustImport(t, db, lexscreen.Snapshot{Source: src, Version: "v1", ContentHash: "sha256:1111", Published: day("2024-01-05")}, baseList())
	old, err := importList(t, db, lexscreen.Snapshot{Source: src, Version: "v1-again", ContentHash: "sha256:1111", Published: day("2024-01-05")}, baseList(), store.CommitOptions{})
	wantCode(t, err, lexscreen.ECONFLICT, "same content hash")
	if !errors.Is(err, store.ErrDuplicate) || old.ID != first.ID {
		t.Fatalf("duplicate: %v, returned snapshot %d want %d", err, old.ID, first.ID)
	}
	if ids := snapshotIDs(t, db); !slices.Equal(ids, []int64{first.ID}) {
		t.Fatalf("after a duplicate: snapshots %v", ids)
	}
	// The same content of another source is not a duplicate.
	other := clone(baseList())
	for _, e := range other {
		e.ID = "us-ofac-cons" + e.ID[len(src):]
		e.Source = "us-ofac-cons"
	}
	mustImport(t, db, lexscreen.Snapshot{Source: "us-ofac-cons", Version: "v1", ContentHash: "sha256:1111"}, other)
}

func testSourceFromEntities(t *testing.T, db store.Store) {
	ctx := context.Background()
	imp, err := db.BeginImport(ctx, lexscreen.Snapshot{Format: "ofac-xml"})
	if err != nil {
		t.Fatal(err)
	}
	defer imp.Rollback()
	for _, e := range baseList() {
		if err := imp.Add(e); err != nil {
			t.Fatal(err)
		}
	}
	if s := imp.Snapshot(); s.Entities != 5 || s.ID == 0 {
		t.Fatalf("Snapshot during import: %+v", s)
	}
	imp.SetSnapshot(lexscreen.Snapshot{Format: "ofac-xml", Version: "2024-03-01", Published: day("2024-03-01")})
	s, err := imp.Commit(store.CommitOptions{})
	if err != nil || s.Source != src || s.Version != "2024-03-01" || s.Entities != 5 {
		t.Fatalf("commit: %+v %v", s, err)
	}
	// A snapshot without source or entities is refused.
	_, err = importList(t, db, lexscreen.Snapshot{}, nil, store.CommitOptions{})
	wantCode(t, err, lexscreen.EINVALID, "no source, no entities")
	// A described source other than the entities' is refused.
	imp, err = db.BeginImport(ctx, lexscreen.Snapshot{})
	if err != nil {
		t.Fatal(err)
	}
	defer imp.Rollback()
	imp.Add(baseList()[0])
	imp.SetSnapshot(lexscreen.Snapshot{Source: "gb-hmt"})
	_, err = imp.Commit(store.CommitOptions{})
	wantCode(t, err, lexscreen.EINVALID, "described source differs from the entities'")
}

func testCurrentAt(t *testing.T, db store.Store) {
	ctx := context.Background()
	jan := mustImport(t, db, lexscreen.Snapshot{Source: src, Version: "jan", Published: day("2024-01-05")}, baseList())
	mar := mustImport(t, db, lexscreen.Snapshot{Source: src, Version: "mar", Published: day("2024-03-01")}, baseList()[:4])
	// Imported later but published earlier: not current.
	feb := mustImport(t, db, lexscreen.Snapshot{Source: src, Version: "feb", Published: day("2024-02-01")}, baseList())
	un := clone(baseList()[:1])
	un[0].ID, un[0].Source = "un-sc:QDe.004", "un-sc"
	unSnap := mustImport(t, db, lexscreen.Snapshot{Source: "un-sc", Version: "x", Published: day("2024-02-15")}, un)

	cur, err := db.Current(ctx)
	if err != nil || len(cur) != 2 || cur[0].ID != unSnap.ID || cur[1].ID != mar.ID {
		t.Fatalf("Current = %+v, %v; want un-sc %d, then %s %d", cur, err, unSnap.ID, src, mar.ID)
	}
	for _, tc := range []struct {
		at   string
		want []int64
	}{
		{"2023-12-31", nil},
		{"2024-01-05", []int64{jan.ID}},
		{"2024-02-10", []int64{feb.ID}},
		{"2024-02-20", []int64{unSnap.ID, feb.ID}},
		{"2030-01-01", []int64{unSnap.ID, mar.ID}},
	} {
		got, err := db.CurrentAt(ctx, day(tc.at))
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, s := range got {
			ids = append(ids, s.ID)
		}
		if !slices.Equal(ids, tc.want) {
			t.Errorf("CurrentAt(%s) = %v, want %v", tc.at, ids, tc.want)
		}
	}
	all, err := db.Snapshots(ctx, src)
	if err != nil || len(all) != 3 || all[0].ID != jan.ID || all[1].ID != feb.ID || all[2].ID != mar.ID {
		t.Fatalf("Snapshots(%s) not in Published order: %+v", src, all)
	}
}

func testDiffAndHistory(t *testing.T, db store.Store) {
	ctx := context.Background()
	v1 := mustImport(t, db, lexscreen.Snapshot{Source: src, Version: "v1", Published: day("2024-01-05")}, baseList())
	// v2: Maduro gets an alias and a second program, AEROCARIBBEAN is
	// delisted, a vessel is added.
	l2 := clone(baseList())
	l2[4].Names = append(l2[4].Names, lexscreen.Name{Full: "MADURO, Nicolas", Kind: lexscreen.NameAlias})
	l2[4].Designations = append(l2[4].Designations, lexscreen.Designation{Authority: "US-OFAC", List: "SDN", Program: "VENEZUELA-EO13850"})
	l2 = append(l2[1:], ofac("32680", lexscreen.SchemaVessel, "PANAGIA", "IRAN", lexscreen.PartialDate{Year: 2023}))
	v2 := mustImport(t, db, lexscreen.Snapshot{Source: src, Version: "v2", Published: day("2024-02-05")}, l2)
	// v3: AEROCARIBBEAN relisted (same content), Maduro removed.
	l3 := append(clone(baseList()[:4]), l2[len(l2)-1])
	v3 := mustImport(t, db, lexscreen.Snapshot{Source: src, Version: "v3", Published: day("2024-03-05")}, l3)

	d, err := db.Diff(ctx, v1.ID, v2.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d.From.ID != v1.ID || d.To.ID != v2.ID || d.Unchanged != 3 || len(d.Added) != 1 || d.Added[0].ID != src+":32680" ||
		d.Added[0].Caption != "PANAGIA" || d.Added[0].Schema != lexscreen.SchemaVessel || !slices.Equal(d.Added[0].Programs, []string{"IRAN"}) ||
		len(d.Removed) != 1 || d.Removed[0].ID != src+":36" || len(d.Changed) != 1 || d.Changed[0].ID != src+":25639" {
		t.Fatalf("Diff v1->v2: %+v", d)
	}
	ch := d.Changed[0]
	if !slices.Equal(ch.Programs, []string{"VENEZUELA", "VENEZUELA-EO13850"}) || len(ch.Fields) != 2 {
		t.Fatalf("changed entity: %+v", ch)
	}
	var sawAlias bool
	for _, f := range ch.Fields {
		if f.Field == "names" && f.Op == store.OpAdd && f.To != "" {
			sawAlias = true
		}
	}
	if !sawAlias {
		t.Fatalf("the added alias is not a names add: %+v", ch.Fields)
	}
	un := clone(baseList()[:1])
	un[0].ID, un[0].Source = "un-sc:QDe.004", "un-sc"
	unSnap := mustImport(t, db, lexscreen.Snapshot{Source: "un-sc", Version: "x"}, un)
	_, err = db.Diff(ctx, v1.ID, unSnap.ID)
	wantCode(t, err, lexscreen.EINVALID, "diff across sources")
	_, err = db.Diff(ctx, v1.ID, v3.ID+100)
	wantCode(t, err, lexscreen.ENOTFOUND, "diff with a missing snapshot")

	kinds := func(id string) []string {
		evs, err := db.History(ctx, id)
		if err != nil {
			t.Fatalf("History(%s): %v", id, err)
		}
		var out []string
		for _, e := range evs {
			out = append(out, e.Kind+"@"+e.Snapshot.Version)
		}
		return out
	}
	if got, want := kinds(src+":36"), []string{"appeared@v1", "removed@v2", "reappeared@v3"}; !slices.Equal(got, want) {
		t.Errorf("history of 36: %v, want %v", got, want)
	}
	if got, want := kinds(src+":25639"), []string{"appeared@v1", "changed@v2", "removed@v3"}; !slices.Equal(got, want) {
		t.Errorf("history of 25639: %v, want %v", got, want)
	}
	if got, want := kinds(src+":32680"), []string{"appeared@v2"}; !slices.Equal(got, want) {
		t.Errorf("history of 32680: %v, want %v", got, want)
	}
	_, err = db.History(ctx, src+":1")
	wantCode(t, err, lexscreen.ENOTFOUND, "history of an entity never listed")
	_, err = db.History(ctx, "no-source-id")
	wantCode(t, err, lexscreen.ENOTFOUND, "history of an id without source")
}

func testDelete(t *testing.T, db store.Store) {
	ctx := context.Background()
	v1 := mustImport(t, db, lexscreen.Snapshot{Source: src, Version: "v1", Published: day("2024-01-05")}, baseList())
	l2 := clone(baseList())
	l2[0].Remarks = "Delisted 2024; relisted."
	v2 := mustImport(t, db, lexscreen.Snapshot{Source: src, Version: "v2", Published: day("2024-02-05")}, l2)
	if err := db.DeleteSnapshot(ctx, v2.ID); err != nil {
		t.Fatal(err)
	}
	wantCode(t, db.DeleteSnapshot(ctx, v2.ID), lexscreen.ENOTFOUND, "delete twice")
	cur, err := db.Current(ctx)
	if err != nil || len(cur) != 1 || cur[0].ID != v1.ID {
		t.Fatalf("Current after delete: %+v %v", cur, err)
	}
	e, err := db.Entity(ctx, src+":36", 0)
	if err != nil || e.Remarks != "" {
		t.Fatalf("entity after deleting the newer snapshot: %+v %v", e, err)
	}
	// The deleted version is gone, and importing it again works.
	mustImport(t, db, lexscreen.Snapshot{Source: src, Version: "v2-again", Published: day("2024-02-05")}, l2)
}

func testFirstSeen(t *testing.T, db store.Store) {
	mustImport(t, db, lexscreen.Snapshot{Source: src, Version: "v2", Published: day("2024-02-05")}, baseList()[:3])
	mustImport(t, db, lexscreen.Snapshot{Source: src, Version: "v1", Published: day("2024-01-05")}, baseList()[:1])
	fs, err := store.Store.FirstSeen(db, context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 3 || !fs[src+":36"].Equal(day("2024-01-05")) || !fs[src+":306"].Equal(day("2024-02-05")) {
		t.Fatalf("FirstSeen = %v", fs)
	}
}

// testConcurrentReaders reads the store in a loop while an import runs: a
// reader sees either the old state or the new, whole.
func testConcurrentReaders(t *testing.T, db store.Store) {
	ctx := context.Background()
	first := mustImport(t, db, lexscreen.Snapshot{Source: src, Version: "v1", Published: day("2024-01-05")}, baseList())
	stop := make(chan struct{})
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				cur, err := db.Current(ctx)
				if err != nil {
					errs <- err
					return
				}
				n := 0
				if err := db.Entities(ctx, cur[0].ID, func(*lexscreen.Entity) error { n++; return nil }); err != nil {
					errs <- err
					return
				}
				if n != cur[0].Entities {
					errs <- errors.New("a reader saw a snapshot with a part of its entities")
					return
				}
				time.Sleep(time.Millisecond)
			}
		}()
	}
	second := mustImport(t, db, lexscreen.Snapshot{Source: src, Version: "v2", Published: day("2024-02-05")}, append(baseList(), filler(4000)...))
	close(stop)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if ids := snapshotIDs(t, db); !slices.Equal(ids, []int64{first.ID, second.ID}) {
		t.Fatalf("snapshots %v", ids)
	}
}
