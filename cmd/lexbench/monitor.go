package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"time"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/internal/cputime"
	"github.com/lexscreen/lexscreen/match"
	"github.com/lexscreen/lexscreen/monitor"
	"github.com/lexscreen/lexscreen/screening"
)

// benchMonitor measures ongoing monitoring (issue 13): a synthetic book of
// n subjects with listed persons' spelling variants sprinkled in, a list
// delta of -delta changed entities taken from the bundled lists, and
// prints the monitoring time of the delta, the full re-screen rate and the
// book index's memory, with the medians of -runs runs.
func benchMonitor(args []string) int {
	fs := flag.NewFlagSet("monitor", flag.ExitOnError)
	n := fs.Int("n", 1000000, "subjects in the synthetic book")
	changed := fs.Int("delta", 100, "listed entities changed (half new, half with a changed listing)")
	runs := fs.Int("runs", 3, "runs of each measure (medians are printed)")
	fullN := fs.Int("full-n", 50000, "subjects re-screened per full re-screen run (0: the whole book)")
	seed := fs.Uint64("seed", 1, "seed of the book and the delta")
	asJSON := fs.Bool("json", false, "print the figures as JSON")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the delta runs to this file")
	fs.Parse(args)
	ctx := context.Background()

	es, lists, err := loadBundled()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	before, after, deltaEs := benchDelta(es, *changed, *seed)
	b := match.NewBuilder(lists)
	for _, e := range after {
		b.Add(e)
	}
	ix := b.Build()
	sc := screening.New(ix, "lexbench")
	delta, err := monitor.Compare(ctx, monitor.EntitySlice(before), monitor.EntitySlice(after))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}

	heap0 := heapInUse()
	// The book: variants of every listed entity at 1 in 1,000, and of
	// the changed ones at 1 in 10,000 more.
	subjects, _ := monitor.SyntheticBook(*seed, *n, es, 0.001)
	extra, _ := monitor.SyntheticBook(*seed+1, *n/10, deltaEs, 0.001)
	for i, s := range extra {
		if i%10 == 0 && len(subjects) > 0 {
			subjects[(i*7919)%len(subjects)].Query = s.Query
		}
	}
	book, err := monitor.NewMemBook(subjects)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	subjects = nil
	start := time.Now()
	bi, err := monitor.BuildIndex(ctx, book, 0)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	indexTime := time.Since(start)
	book = nil
	indexMiB := float64(heapInUse()-heap0) / (1 << 20)
	fmt.Fprintf(os.Stderr, "book of %d subjects indexed in %.1fs: %d keys, %.0f MiB (subjects included)\n",
		bi.Len(), indexTime.Seconds(), bi.Keys(), indexMiB)

	dir, err := os.MkdirTemp("", "lexbench-monitor")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	var deltaSecs, deltaCPU []float64
	var last monitor.Stats
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		pprof.StartCPUProfile(f)
	}
	for i := range *runs {
		cpu0 := cputime.Self()
		st, err := benchRun(ctx, filepath.Join(dir, fmt.Sprintf("delta%d.db", i)), monitor.Job{Kind: monitor.KindDelta, Book: bi, Screener: sc, Delta: delta})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		cpu := (cputime.Self() - cpu0).Seconds()
		deltaSecs, deltaCPU = append(deltaSecs, st.Elapsed.Seconds()), append(deltaCPU, cpu)
		last = st
		fmt.Fprintf(os.Stderr, "delta run %d: %.2fs (%.2f s of CPU), %d candidates, %d screened forward, %d pairs\n",
			i+1, st.Elapsed.Seconds(), cpu, st.Candidates, st.Screened, st.Pairs)
	}

	pprof.StopCPUProfile()
	// Full re-screen: the first -full-n subjects of the book, forward.
	part := bi
	if *fullN > 0 && *fullN < bi.Len() {
		var sub []lexscreen.Subject
		for i := range *fullN {
			sub = append(sub, bi.Subject(i))
		}
		pb, err := monitor.NewMemBook(sub)
		if err == nil {
			part, err = monitor.LoadSubjects(ctx, pb)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
	}
	var rates, cpuRates []float64
	for i := range *runs {
		// A fresh screener each run: a run must not find the names of the
		// run before in the matcher's caches (a real re-screen follows a
		// new index).
		fresh := screening.New(ix, "lexbench")
		cpu0 := cputime.Self()
		st, err := benchRun(ctx, filepath.Join(dir, fmt.Sprintf("full%d.db", i)), monitor.Job{Kind: monitor.KindFull, Book: part, Screener: fresh, Delta: delta})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		cpu := (cputime.Self() - cpu0).Seconds()
		rates = append(rates, float64(st.Screened)/st.Elapsed.Seconds())
		if cpu > 0 {
			cpuRates = append(cpuRates, float64(st.Screened)/(cpu/float64(runtime.GOMAXPROCS(0))))
		}
		fmt.Fprintf(os.Stderr, "full run %d: %d subjects in %.1fs (%.1f s of CPU), %d pairs\n", i+1, st.Screened, st.Elapsed.Seconds(), cpu, st.Pairs)
	}
	out := map[string]any{
		"subjects": bi.Len(), "cores": runtime.GOMAXPROCS(0), "delta_added": last.Added, "delta_changed": last.Changed,
		"delta_removed": last.Removed, "delta_candidates": last.Candidates, "delta_screened": last.Screened, "delta_pairs": last.Pairs,
		"delta_seconds_median": median(deltaSecs), "delta_goal_seconds": 10, "delta_cpu_seconds_median": median(deltaCPU),
		"full_subjects_per_run": part.Len(), "full_subjects_per_second_median": median(rates), "full_subjects_per_cpu_core_second_median": median(cpuRates), "full_goal_per_second": 10000,
		"index_seconds": indexTime.Seconds(), "index_mib": indexMiB, "index_goal_mib": 1024, "index_keys": bi.Keys(),
	}
	if *asJSON {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		enc.Encode(out)
		return 0
	}
	fmt.Printf("monitoring a book of %d subjects on %d cores (medians of %d runs)\n", bi.Len(), runtime.GOMAXPROCS(0), *runs)
	fmt.Printf("  delta of %d added + %d changed (+ %d removed) listings: %.2f s (goal < 10 s; %.2f s of CPU, %.2f s over %d cores); %d candidates, %d screened forward, %d pairs\n",
		last.Added, last.Changed, last.Removed, median(deltaSecs), median(deltaCPU), median(deltaCPU)/float64(runtime.GOMAXPROCS(0)),
		runtime.GOMAXPROCS(0), last.Candidates, last.Screened, last.Pairs)
	fmt.Printf("  full re-screen: %.0f subjects/s over %d subjects (goal >= 10,000/s; %.0f/s by CPU time over %d cores)\n",
		median(rates), part.Len(), median(cpuRates), runtime.GOMAXPROCS(0))
	fmt.Printf("  book index: %.0f MiB with the subjects, %d keys, built in %.1f s (goal < 1 GB)\n", indexMiB, bi.Keys(), indexTime.Seconds())
	return 0
}

// benchRun runs one monitoring job on a fresh store and an in-memory sink.
func benchRun(ctx context.Context, path string, job monitor.Job) (monitor.Stats, error) {
	st, err := monitor.OpenStore(ctx, path)
	if err != nil {
		return monitor.Stats{}, err
	}
	defer st.Close()
	r := &monitor.Runner{Store: st, Sink: monitor.NewMemSink(), Chunk: 8192}
	return r.Run(ctx, job)
}

// benchDelta makes a list update of about n entities from the bundled
// lists: half new in after, half with a changed listing (an alias or date
// of birth added), and n/10 removed.
func benchDelta(es []*lexscreen.Entity, n int, seed uint64) (before, after, changed []*lexscreen.Entity) {
	r := rand.New(rand.NewPCG(seed, 99))
	var pool []int
	for i, e := range es {
		if e.Schema == lexscreen.SchemaPerson || e.Schema == lexscreen.SchemaOrganization {
			pool = append(pool, i)
		}
	}
	r.Shuffle(len(pool), func(i, j int) { pool[i], pool[j] = pool[j], pool[i] })
	role := map[int]int{} // 1 new, 2 changed, 3 removed
	for k, i := range pool[:min(len(pool), n+n/10)] {
		switch {
		case k < n/2:
			role[i] = 1
		case k < n:
			role[i] = 2
		default:
			role[i] = 3
		}
	}
	for i, e := range es {
		switch role[i] {
		case 1:
			after = append(after, e)
			changed = append(changed, e)
		case 2:
			old := *e
			old.Names = slices.Clone(e.Names)
			if len(old.Names) > 1 {
				old.Names = old.Names[:len(old.Names)-1]
			} else {
				old.Remarks += " (before)"
			}
			before = append(before, &old)
			after = append(after, e)
			changed = append(changed, e)
		case 3:
			before = append(before, e)
		default:
			before = append(before, e)
			after = append(after, e)
		}
	}
	return before, after, changed
}

func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapInuse
}
