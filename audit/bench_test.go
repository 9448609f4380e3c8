package audit

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// benchLogs runs a benchmark on a new log on SQLite and, when
// LEXSCREEN_TEST_POSTGRES is set, on PostgreSQL.
func benchLogs(b *testing.B, fn func(b *testing.B, l *testLog)) {
	b.Run("sqlite", func(b *testing.B) { fn(b, newSQLiteLog(b)) })
	b.Run("postgres", func(b *testing.B) { fn(b, newPostgresLog(b)) })
}

// perCommit counts the records and commits of dbs, for the metric
// records/commit (how much the group commit gathers).
func perCommit(b *testing.B, dbs ...*DB) func() {
	var records, commits atomic.Int64
	for _, db := range dbs {
		db.ObserveCommits(func(n int, _ time.Duration, err error) {
			if err == nil {
				records.Add(int64(n))
				commits.Add(1)
			}
		})
	}
	return func() {
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "appends/s")
		if c := commits.Load(); c > 0 {
			b.ReportMetric(float64(records.Load())/float64(c), "records/commit")
		}
	}
}

// BenchmarkAppendParallel appends screening-sized records (4 KB results)
// from 64 goroutines, as a busy server does.
func BenchmarkAppendParallel(b *testing.B) {
	benchLogs(b, func(b *testing.B, l *testLog) {
		db := l.open(b, Options{})
		report := perCommit(b, db)
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
		report()
		b.ReportMetric(float64(worst.Microseconds()), "worst-µs")
	})
}

// BenchmarkAppendMatch appends typical screenings with a match from 32
// goroutines: the cost per record on the screening's side (encoding,
// compression) and the writer's.
func BenchmarkAppendMatch(b *testing.B) {
	benchLogs(b, func(b *testing.B, l *testLog) {
		db := l.open(b, Options{})
		report := perCommit(b, db)
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
		report()
	})
}

// BenchmarkAppendReplicas appends typical screenings through two replicas
// on one PostgreSQL database (one chain: their commits take turns), 32
// goroutines on each.
func BenchmarkAppendReplicas(b *testing.B) {
	l := newPostgresLog(b)
	dbs := []*DB{l.open(b, Options{}), l.open(b, Options{})}
	report := perCommit(b, dbs...)
	rec := matchRecord(b)
	var next atomic.Int64
	b.SetParallelism(32)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		db := dbs[next.Add(1)%2]
		for pb.Next() {
			r := rec
			if err := db.Append(context.Background(), &r); err != nil {
				b.Error(err)
				return
			}
		}
	})
	report()
}
