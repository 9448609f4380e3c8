package ingest

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/source/formats"
	"github.com/lexscreen/lexscreen/store/sqlite"
)

// importPath imports one file or folder (its single job).
func importPath(t *testing.T, db *sqlite.DB, path string, opts Options) (Result, error) {
	t.Helper()
	jobs, err := formats.Detect([]string{path}, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(jobs) != 1 {
		t.Fatalf("%s: %d jobs", path, len(jobs))
	}
	return Job(context.Background(), db, jobs[0], opts)
}

func entityIDs(t *testing.T, db *sqlite.DB, snap int64) []string {
	t.Helper()
	var ids []string
	if err := db.Entities(context.Background(), snap, func(e *lexscreen.Entity) error { ids = append(ids, e.ID); return nil }); err != nil {
		t.Fatal(err)
	}
	return ids
}

// OpenSanctions' delta series applies in order to the full export before
// it: entities a delta does not mention stay, ADD adds, DEL removes, an
// empty delta is a new version with nothing changed.
func TestFtMDeltaSeries(t *testing.T) {
	db := openStore(t)
	const dir = "testdata/ftm/eu_fsf/"
	base, err := importPath(t, db, dir+"entities.ftm.json", Options{Published: time.Date(2024, 5, 20, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if base.Snapshot.Source != "ftm-eu-fsf" || base.Snapshot.Entities != 6 {
		t.Fatalf("base: %+v", base.Snapshot)
	}
	baseIDs := entityIDs(t, db, base.Snapshot.ID)
	steps := []struct {
		version              string
		added, deleted, size int
		has, hasNot          string
	}{
		{"20240527134702-zbn", 0, 0, 6, "", ""}, // empty delta
		{"20240527194702-wnk", 2, 0, 8, "ftm-eu-fsf:NK-2T3S8Hu29ktYnKSTgQp2wL", ""},
		{"20240528014702-pfh", 1, 0, 9, "ftm-eu-fsf:NK-500Poltergeist", ""}, // and a MOD
		{"20240528074703-npf", 0, 1, 8, "", "ftm-eu-fsf:NK-500Poltergeist"},
		{"20240528134729-3iv", 1, 0, 9, "ftm-eu-fsf:Q4365364", ""},
	}
	prev := base.Snapshot.ID
	for _, st := range steps {
		res, err := importPath(t, db, dir+st.version+"/entities.delta.json", Options{})
		if err != nil {
			t.Fatalf("%s: %v", st.version, err)
		}
		d := res.Delta
		if d == nil || d.Base != prev || d.Added != st.added || d.Deleted != st.deleted || res.Snapshot.Entities != st.size {
			t.Fatalf("%s: delta %+v, %d entities, want base %d, +%d -%d = %d", st.version, d, res.Snapshot.Entities, prev, st.added, st.deleted, st.size)
		}
		ids := entityIDs(t, db, res.Snapshot.ID)
		for _, id := range baseIDs {
			if !slices.Contains(ids, id) {
				t.Errorf("%s: entity %s of the full export vanished", st.version, id)
			}
		}
		if st.has != "" && !slices.Contains(ids, st.has) || st.hasNot != "" && slices.Contains(ids, st.hasNot) {
			t.Errorf("%s: ids %v", st.version, ids)
		}
		if st.version == "20240528014702-pfh" && d.Modified != 1 {
			t.Errorf("%s: %d modified, want 1 (the MOD of NK-2T3S8Hu29ktYnKSTgQp2wL)", st.version, d.Modified)
		}
		prev = res.Snapshot.ID
	}
}

// A delta without a full export before it, or older than every snapshot,
// imports nothing and says what to do.
func TestFtMDeltaNeedsBase(t *testing.T) {
	db := openStore(t)
	_, err := importPath(t, db, "testdata/ftm/eu_fsf/20240527194702-wnk/entities.delta.json", Options{})
	var le *lexscreen.Error
	if !errors.As(err, &le) || le.Code != lexscreen.EINVALID {
		t.Fatalf("delta without base: %v", err)
	}
	if _, err := importPath(t, db, "testdata/ftm/eu_fsf/entities.ftm.json", Options{}); err != nil { // published 2024-06-01
		t.Fatal(err)
	}
	if _, err := importPath(t, db, "testdata/ftm/eu_fsf/20240527194702-wnk/entities.delta.json", Options{}); err == nil {
		t.Fatal("a delta older than every snapshot was applied")
	}
}

// The shrink guard sees a delta's result: deleting most of the list needs --force.
func TestFtMDeltaShrinkGuard(t *testing.T) {
	db := openStore(t)
	dir := t.TempDir()
	if _, err := importPath(t, db, "testdata/ftm/eu_fsf/entities.ftm.json", Options{Published: time.Date(2024, 5, 20, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	del := ""
	for _, id := range []string{"NK-2GdmHtZTeNXjNVrBGEXZNj", "NK-2Ka3UvopqbpZmVDFjWd4LA", "NK-2KeUB68qUJtykm3BuAcazG"} {
		del += `{"op":"DEL","entity":{"id":"` + id + `"}}` + "\n"
	}
	path := writeFile(t, dir+"/eu_fsf/20240601000000-abc/entities.delta.json", del)
	_, err := importPath(t, db, path, Options{})
	var le *lexscreen.Error
	if !errors.As(err, &le) || le.Code != lexscreen.ECONFLICT {
		t.Fatalf("delta deleting half the list: %v, want the shrink guard's conflict", err)
	}
	res, err := importPath(t, db, path, Options{Force: true})
	if err != nil || res.Snapshot.Entities != 3 || res.Delta.Deleted != 3 {
		t.Fatalf("forced: %+v %v", res.Snapshot, err)
	}
}

func writeFile(t *testing.T, path, body string) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}
