package quality

import (
	"fmt"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lexscreen/lexscreen"
)

// LatencyReport is the result of Latency. Times are in milliseconds.
type LatencyReport struct {
	Queries     int     `json:"queries"`
	Warmup      int     `json:"warmup"`
	P50         float64 `json:"p50_ms"`
	P90         float64 `json:"p90_ms"`
	P99         float64 `json:"p99_ms"`
	Max         float64 `json:"max_ms"`
	Mean        float64 `json:"mean_ms"`
	PerSecond   float64 `json:"per_second"` // screenings per second, one goroutine
	Matches     int     `json:"matches"`    // matches returned in all (a sanity check)
	ElapsedSecs float64 `json:"elapsed_secs"`
}

// Latency screens warm queries first (cycling through qs, untimed), then
// each query of qs once on one goroutine, timing each.
func Latency(sc Screener, qs []lexscreen.Query, warm int) LatencyReport {
	rep := LatencyReport{Queries: len(qs), Warmup: warm}
	if len(qs) == 0 {
		return rep
	}
	for i := 0; i < warm; i++ {
		sc.Screen(qs[i%len(qs)])
	}
	ds := make([]time.Duration, len(qs))
	start := time.Now()
	for i, q := range qs {
		t := time.Now()
		rep.Matches += len(sc.Screen(q))
		ds[i] = time.Since(t)
	}
	total := time.Since(start)
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	var sum time.Duration
	for _, d := range ds {
		sum += d
	}
	rep.P50, rep.P90, rep.P99 = ms(percentile(ds, 0.50)), ms(percentile(ds, 0.90)), ms(percentile(ds, 0.99))
	rep.Max = ms(ds[len(ds)-1])
	rep.Mean = ms(sum / time.Duration(len(ds)))
	rep.ElapsedSecs = total.Seconds()
	if total > 0 {
		rep.PerSecond = float64(len(qs)) / total.Seconds()
	}
	return rep
}

// percentile is the nearest-rank percentile of sorted durations.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	k := int(p*float64(len(sorted))+0.999999) - 1
	k = max(0, min(k, len(sorted)-1))
	return sorted[k]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func (r LatencyReport) String() string {
	return fmt.Sprintf("latency: %d queries (after %d warm-up): p50 %.3f ms, p90 %.3f ms, p99 %.3f ms, max %.3f ms, mean %.3f ms; %.0f screenings/s on one goroutine\n",
		r.Queries, r.Warmup, r.P50, r.P90, r.P99, r.Max, r.Mean, r.PerSecond)
}

// ThroughputReport is the result of Throughput.
type ThroughputReport struct {
	Workers     int     `json:"workers"`
	Queries     int     `json:"queries"`
	ElapsedSecs float64 `json:"elapsed_secs"`
	PerSecond   float64 `json:"per_second"`
	Matches     int64   `json:"matches"`
}

// Throughput screens every query of qs once, spread over workers
// goroutines (at least 1), and reports screenings per second.
func Throughput(sc Screener, qs []lexscreen.Query, workers int) ThroughputReport {
	workers = max(1, workers)
	rep := ThroughputReport{Workers: workers, Queries: len(qs)}
	var next, matches atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(qs) {
					return
				}
				matches.Add(int64(len(sc.Screen(qs[i]))))
			}
		}()
	}
	wg.Wait()
	el := time.Since(start)
	rep.ElapsedSecs = el.Seconds()
	rep.Matches = matches.Load()
	if el > 0 {
		rep.PerSecond = float64(len(qs)) / el.Seconds()
	}
	return rep
}

func (r ThroughputReport) String() string {
	return fmt.Sprintf("throughput: %d queries on %d goroutines in %.2fs: %.0f screenings/s\n",
		r.Queries, r.Workers, r.ElapsedSecs, r.PerSecond)
}
