package sqlite

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/internal/cputime"
)

func benchEntities(n, rev, changeEvery int) []*lexscreen.Entity {
	ents := make([]*lexscreen.Entity, n)
	for i := range ents {
		r := 0
		if changeEvery > 0 && i%changeEvery == 0 {
			r = rev
		}
		ents[i] = synthetic("bench", i, r)
	}
	return ents
}

// BenchmarkImport20k imports 20,000 realistic entities into a fresh store.
func BenchmarkImport20k(b *testing.B) {
	ents := benchEntities(20000, 0, 0)
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		b.StopTimer()
		db, err := Open(context.Background(), filepath.Join(b.TempDir(), "bench.db"))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start, cpu := time.Now(), cputime.Self()
		mustImport(b, db, lexscreen.Snapshot{Source: "bench", Version: "1", Published: day("2025-01-01")}, ents)
		b.ReportMetric(float64(len(ents))/time.Since(start).Seconds(), "entities/s")
		b.ReportMetric((cputime.Self() - cpu).Seconds(), "cpu-s/import")
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
}

// BenchmarkReimport20k imports a second version of a 20,000-entity list in
// which 1% of the entities changed.
func BenchmarkReimport20k(b *testing.B) {
	db := openTemp(b)
	mustImport(b, db, lexscreen.Snapshot{Source: "bench", Version: "0", Published: day("2024-01-01")}, benchEntities(20000, 0, 0))
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		ents := benchEntities(20000, n+1, 100)
		start, cpu := time.Now(), cputime.Self()
		mustImport(b, db, lexscreen.Snapshot{Source: "bench", Version: "x", Published: day("2025-01-01").AddDate(0, 0, n)}, ents)
		b.ReportMetric(float64(len(ents))/time.Since(start).Seconds(), "entities/s")
		b.ReportMetric((cputime.Self() - cpu).Seconds(), "cpu-s/import")
	}
}

// BenchmarkDiff18k diffs two 18,000-entity snapshots with 1% changed.
func BenchmarkDiff18k(b *testing.B) {
	db := openTemp(b)
	s1 := mustImport(b, db, lexscreen.Snapshot{Source: "bench", Version: "1", Published: day("2024-01-01")}, benchEntities(18000, 0, 0))
	s2 := mustImport(b, db, lexscreen.Snapshot{Source: "bench", Version: "2", Published: day("2025-01-01")}, benchEntities(18000, 1, 100))
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		d, err := db.Diff(context.Background(), s1.ID, s2.ID)
		if err != nil {
			b.Fatal(err)
		}
		if len(d.Changed) == 0 {
			b.Fatal("no changes")
		}
	}
}
