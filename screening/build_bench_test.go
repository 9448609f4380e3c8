package screening_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/bundled"
	"github.com/lexscreen/lexscreen/ingest"
	"github.com/lexscreen/lexscreen/internal/cputime"
	"github.com/lexscreen/lexscreen/screening"
	"github.com/lexscreen/lexscreen/store/sqlite"
)

// BenchmarkBuildFromStore builds the index of every bundled list from a
// store, as the first screening after an import does: reading and
// decoding the entities, indexing them, and the ownership graph (the
// persisted index is off, so nothing is written).
//
//	go test ./screening -run '^$' -bench BuildFromStore -benchtime 5x
func BenchmarkBuildFromStore(b *testing.B) {
	ctx := context.Background()
	db, snaps := bundledStore(b)
	b.Setenv(screening.IndexCacheEnv, "off")
	entities := 0
	b.ResetTimer()
	cpu := cputime.Self()
	for b.Loop() {
		sc, err := screening.LoadSnapshots(ctx, db, snaps, "bench", time.Now(), nil)
		if err != nil {
			b.Fatal(err)
		}
		entities = sc.Entities()
	}
	b.ReportMetric(float64(entities), "entities")
	b.ReportMetric(float64(cputime.Self()-cpu)/float64(b.N), "cpu-ns/op")
}

// bundledStore is a store in a temporary directory holding every bundled
// list, and its current snapshots.
func bundledStore(tb testing.TB) (*sqlite.DB, []lexscreen.Snapshot) {
	tb.Helper()
	ctx := context.Background()
	db := tempStore(tb)
	for _, l := range bundled.Lists() {
		if _, err := ingest.Bundled(ctx, db, l, ingest.Options{}); err != nil {
			tb.Fatal(err)
		}
	}
	snaps, err := db.Current(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	return db, snaps
}

// tempStore is an empty store in a temporary directory, closed at the end
// of the test.
func tempStore(tb testing.TB) *sqlite.DB {
	tb.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(tb.TempDir(), "lexscreen.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}
