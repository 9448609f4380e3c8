package audit

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// BenchmarkAppendParallel appends screening-sized records (4 KB results)
// from 64 goroutines, as a busy server does.
func BenchmarkAppendParallel(b *testing.B) {
	db, err := Open(context.Background(), filepath.Join(b.TempDir(), "audit.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	result := json.RawMessage(`{"x":"` + strings.Repeat("a", 4000) + `"}`)
	var mu sync.Mutex
	var worst time.Duration
	b.SetParallelism(32)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			start := time.Now()
			if err := db.Append(context.Background(), &Record{Kind: "screen", Request: json.RawMessage(`{}`), Result: result}); err != nil {
				b.Error(err)
				return
			}
			if d := time.Since(start); d > worst {
				mu.Lock()
				worst = max(worst, d)
				mu.Unlock()
			}
		}
	})
	b.ReportMetric(float64(worst.Microseconds()), "worst-µs")
}

// BenchmarkAppendMatch appends typical screenings with a match from 32
// goroutines: the cost per record on the screening's side (encoding,
// compression) and the writer's.
func BenchmarkAppendMatch(b *testing.B) {
	db, err := Open(context.Background(), filepath.Join(b.TempDir(), "audit.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	rec := matchRecord(b)
	b.SetParallelism(32)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			r := rec
			if err := db.Append(context.Background(), &r); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
