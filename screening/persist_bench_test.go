package screening_test

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/internal/quality"
	"github.com/lexscreen/lexscreen/match"
	"github.com/lexscreen/lexscreen/regime"
	"github.com/lexscreen/lexscreen/screening"
)

// BenchmarkIndexLoad loads a persisted index of a synthetic corpus
// ($LEXSCREEN_BENCH_ENTITIES entities, default 1,000,000; goal: under
// 3 s). Building the corpus's index first takes minutes: it is skipped
// with -short.
//
//	go test ./screening -run '^$' -bench IndexLoad -benchtime 3x
func BenchmarkIndexLoad(b *testing.B) {
	if testing.Short() {
		b.Skip("builds a large index first")
	}
	n := 1_000_000
	if v, err := strconv.Atoi(os.Getenv("LEXSCREEN_BENCH_ENTITIES")); err == nil && v > 0 {
		n = v
	}
	path := filepath.Join(b.TempDir(), "synthetic.lxi")
	ib := match.NewBuilder(nil)
	own := regime.NewOwnershipBuilder()
	quality.Synthetic(n, 7, func(e *lexscreen.Entity) error {
		ib.Add(e)
		own.Add(e)
		return nil
	})
	ix := ib.Build()
	if err := screening.SaveIndex(path, "bench", ix, own.Build(), ix.Entities()); err != nil {
		b.Fatal(err)
	}
	ix = nil
	b.ResetTimer()
	for b.Loop() {
		got, _, entities, err := screening.OpenIndex(path, "bench", nil)
		if err != nil || entities != n || got.Entities() != n {
			b.Fatalf("%d entities, %v", entities, err)
		}
	}
	b.ReportMetric(float64(n), "entities")
}
