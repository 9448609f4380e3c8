package distributed

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkResultsPut stores chunks of 500 results of 900 bytes (the
// average line of a batch without matches) and reports rows/s; on
// PostgreSQL too when LEXSCREEN_TEST_POSTGRES is set.
func BenchmarkResultsPut(b *testing.B) {
	stores := map[string]string{"sqlite": filepath.Join(b.TempDir(), "results.db")}
	if dsn := os.Getenv("LEXSCREEN_TEST_POSTGRES"); dsn != "" {
		stores["postgres"] = dsn
	}
	for name, dsn := range stores {
		b.Run(name, func(b *testing.B) {
			ctx := context.Background()
			res, err := OpenResults(ctx, dsn)
			if err != nil {
				b.Fatal(err)
			}
			defer res.Close()
			job := fmt.Sprintf("bench-%d", os.Getpid())
			defer res.Delete(ctx, job)
			line := append(bytes.Repeat([]byte("x"), 899), '\n')
			const chunk = 500
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				rs := make([]Result, chunk)
				for j := range rs {
					rs[j] = Result{Row: i*chunk + j + 1, Line: line}
				}
				if _, err := res.Put(ctx, job, rs); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N*chunk)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
