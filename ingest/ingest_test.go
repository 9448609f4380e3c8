package ingest

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/lexscreen/lexscreen/bundled"
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
// the lists' own documentation.
func TestBundled(t *testing.T) {
	db := openStore(t)
	want := map[string]int{"us-ofac-sdn": 18494, "us-ofac-cons": 442, "un-sc": 1003, "eu-fsf": 4589, "gb-ofsi": 4254,
		"icc-warrants": 34, "ru-icc-cases": 9}
	for _, l := range bundled.Lists() {
		res, err := Bundled(context.Background(), db, l, Options{})
		if err != nil {
			t.Fatalf("%s: %v", l.Source, err)
		}
		s := res.Snapshot
		if s.Source != l.Source || s.Entities != want[l.Source] || s.Version != l.Published || s.Origin != "bundled" {
			t.Errorf("%s: %+v", l.Source, s)
		}
		if l.Info().Attribution == "" {
			t.Errorf("%s: no attribution", l.Source)
		}
		// Importing the same content again stores nothing.
		again, err := Bundled(context.Background(), db, l, Options{})
		if err != nil || !again.Duplicate || again.Snapshot.ID != s.ID {
			t.Errorf("%s: second import: %+v, %v", l.Source, again, err)
		}
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
