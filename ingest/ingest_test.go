package ingest

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/bundled"
	"github.com/lexscreen/lexscreen/source/formats"
	"github.com/lexscreen/lexscreen/store/sqlite"
)

func TestInferDate(t *testing.T) {
	for dir, want := range map[string]string{
		"../shared/data/lists/us_ofac/sdn/2025-12-24": "2025-12-24",
		"/x/us_ofac/cons/2025-12":                     "2025-12",
		"/x/2025-12-24/extracted":                     "2025-12-24",
		"/downloads":                                  "",
		"/x/2025-13-01":                               "",
	} {
		if got := inferDate(dir).label; got != want {
			t.Errorf("inferDate(%q) = %q, want %q", dir, got, want)
		}
	}
}

func openStore(tb testing.TB) *sqlite.DB {
	db, err := sqlite.Open(context.Background(), filepath.Join(tb.TempDir(), "lexscreen.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// The bundled lists import with their publishers' dates and the counts of
// the lists' own documentation. A first load interrupted after some lists
// is finished by EnsureBundled, which then loads nothing twice.
func TestBundled(t *testing.T) {
	db := openStore(t)
	ctx := context.Background()
	want := map[string]int{"us-ofac-sdn": 18494, "us-ofac-cons": 442, "un-sc": 1003, "eu-fsf": 4589, "gb-ofsi": 4254,
		"icc-warrants": 34, "ru-icc-cases": 9}
	lists := bundled.Lists()
	// The interrupted first run: only the first two lists made it.
	for _, l := range lists[:2] {
		res, err := Bundled(ctx, db, l, Options{})
		if err != nil {
			t.Fatalf("%s: %v", l.Source, err)
		}
		// Importing the same content again stores nothing.
		again, err := Bundled(ctx, db, l, Options{})
		if err != nil || !again.Duplicate || again.Snapshot.ID != res.Snapshot.ID {
			t.Errorf("%s: second import: %+v, %v", l.Source, again, err)
		}
	}
	var loading []string
	states, err := EnsureBundled(ctx, db, func(todo []BundledState) { loading = append(loading, todo[0].Source) })
	if err != nil {
		t.Fatal(err)
	}
	if len(loading) != len(lists)-2 || loading[0] != lists[2].Source {
		t.Errorf("EnsureBundled loaded %v, want the %d lists after the first two", loading, len(lists)-2)
	}
	for _, st := range states {
		if st.Status != BundledLoaded || st.Snapshot == 0 || st.Error != "" {
			t.Errorf("%s: %+v", st.Source, st)
		}
	}
	snaps, err := db.Snapshots(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(snaps) != len(lists) {
		t.Errorf("%d snapshots, want %d", len(snaps), len(lists))
	}
	for _, s := range snaps {
		var l bundled.List
		for _, b := range lists {
			if b.Source == s.Source {
				l = b
			}
		}
		if s.Entities != want[s.Source] || s.Version != l.Published || s.Origin != "bundled" || s.ContentHash != l.ContentHash {
			t.Errorf("%s: %+v", s.Source, s)
		}
		if l.Info().Attribution == "" {
			t.Errorf("%s: no attribution", l.Source)
		}
	}
	// Again: nothing to load.
	loading = nil
	if _, err := EnsureBundled(ctx, db, func(todo []BundledState) { loading = append(loading, todo[0].Source) }); err != nil || len(loading) > 0 {
		t.Errorf("second EnsureBundled loaded %v, %v", loading, err)
	}
}

// The manifest's content hashes are those the files import with (run with
// -v after scripts/bundle-lists.sh to see the new ones).
func TestBundledManifest(t *testing.T) {
	for _, l := range bundled.Lists() {
		h, err := contentHash(l.SourceFiles())
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s %s", l.Source, h)
		if h != l.ContentHash {
			t.Errorf("%s: manifest content_hash %q, files hash to %s", l.Source, l.ContentHash, h)
		}
	}
}

// A list the user imported, published after the bundled one, supersedes
// it: the bundled one is not loaded and the user's stays current. One
// published before it does not: the bundled one is loaded and is current.
func TestBundledSuperseded(t *testing.T) {
	db := openStore(t)
	ctx := context.Background()
	dir := t.TempDir()
	write := func(name, published string) string {
		p := filepath.Join(dir, name)
		doc := `{"source": "icc-warrants", "published": "` + published + `", "entities": [
  {"id": "ICC-02/04-01/05", "schema": "person", "names": [{"full": "Joseph Kony"}]}]}`
		if err := os.WriteFile(p, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	importFile := func(p string) lexscreen.Snapshot {
		jobs, err := formats.Detect([]string{p}, "")
		if err != nil || len(jobs) != 1 {
			t.Fatalf("detect %s: %v %v", p, jobs, err)
		}
		res, err := Job(ctx, db, jobs[0], Options{Force: true})
		if err != nil {
			t.Fatal(err)
		}
		return res.Snapshot
	}
	var icc bundled.List
	for _, l := range bundled.Lists() {
		if l.Source == "icc-warrants" {
			icc = l
		}
	}
	newer := importFile(write("newer.json", "2099-01-01"))
	states, err := BundledStates(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range states {
		switch {
		case st.Source == "icc-warrants" && (st.Status != BundledSuperseded || st.Snapshot != newer.ID):
			t.Errorf("icc-warrants after a newer import: %+v", st)
		case st.Source != "icc-warrants" && st.Status != BundledMissing:
			t.Errorf("%s in a store without it: %+v", st.Source, st)
		}
	}
	// An older import of the source: the bundled one is loaded and current.
	db = openStore(t)
	older := importFile(write("older.json", "2020-01-01"))
	if states, err := BundledStates(ctx, db); err != nil || states[5].Source != "icc-warrants" || states[5].Status != BundledMissing {
		t.Errorf("icc-warrants after an older import: %+v, %v", states, err)
	}
	if _, err := Bundled(ctx, db, icc, Options{Force: true}); err != nil {
		t.Fatal(err)
	}
	cur, err := db.Current(ctx)
	if err != nil || len(cur) != 1 || cur[0].ContentHash != icc.ContentHash || cur[0].ID == older.ID {
		t.Errorf("current after the bundled load: %+v, %v", cur, err)
	}
}

// BenchmarkImportBundled imports all bundled lists (about 42 MB of real
// files) into a fresh store per iteration.
func BenchmarkImportBundled(b *testing.B) {
	for b.Loop() {
		db := openStore(b)
		start := time.Now()
		n := 0
		for _, l := range bundled.Lists() {
			res, err := Bundled(context.Background(), db, l, Options{})
			if err != nil {
				b.Fatal(err)
			}
			n += res.Snapshot.Entities
		}
		b.ReportMetric(float64(n)/time.Since(start).Seconds(), "entities/s")
	}
}
