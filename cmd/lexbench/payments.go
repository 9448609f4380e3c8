package main

import (
	"bytes"
	"cmp"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"time"

	"github.com/lexscreen/lexscreen/internal/cputime"
	"github.com/lexscreen/lexscreen/match"
	"github.com/lexscreen/lexscreen/payments"
	"github.com/lexscreen/lexscreen/regime"
	"github.com/lexscreen/lexscreen/screening"
)

// benchPayments measures payment screening end to end on the bundled
// lists for a US bank (issue 18): the latency of one pacs.008 read and
// screened (p50, p99), and the throughput over a file of n generated
// pacs.008 payments screened on every core, median of runs.
func benchPayments(args []string) int {
	fs := flag.NewFlagSet("payments", flag.ExitOnError)
	n := fs.Int("n", 100000, "payments in the generated file")
	runs := fs.Int("runs", 3, "throughput runs")
	lat := fs.Int("latency", 2000, "payments timed one by one")
	explain := fs.Bool("explain", false, "tally what stopped each flagged generated payment (party role, listed entity, span)")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of the throughput runs to this file")
	fs.Parse(args)
	es, lists, err := loadBundled()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	b := match.NewBuilder(lists)
	b.KeepAttributes(regime.ListingAttributes...)
	for _, e := range es {
		b.Add(e)
	}
	sc := screening.New(b.Build(), "lexbench")
	eng, err := regime.Load()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	op, _ := regime.ParseBuiltinOperator("us-bank")
	opts := payments.Options{Regimes: eng, Operator: op}
	fmt.Printf("%d entities indexed; operator us-bank; GOMAXPROCS %d\n", len(es), runtime.GOMAXPROCS(0))

	// Latency: each payment distinct (new names), read and screened alone.
	var one bytes.Buffer
	if err := payments.GeneratePacs008(&one, *lat, 7); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	ps := payments.NewScreener(sc)
	r, _ := payments.NewReader("latency.xml", bytes.NewReader(one.Bytes()))
	var ms []*payments.Message
	for {
		m, err := r.Next()
		if err != nil {
			break
		}
		ms = append(ms, m)
	}
	// Wall time, and the CPU time of the thread doing the work (the
	// machine may be shared: wall time then includes waiting for a core).
	runtime.LockOSThread()
	durs := make([]float64, 0, len(ms))
	cpus := make([]float64, 0, len(ms))
	for _, m := range ms {
		cpu0 := threadCPU()
		start := time.Now()
		if _, err := ps.Screen(m, opts); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		durs = append(durs, float64(time.Since(start).Microseconds())/1000)
		cpus = append(cpus, float64(threadCPU()-cpu0)/1e6)
	}
	runtime.UnlockOSThread()
	slices.Sort(durs)
	slices.Sort(cpus)
	pct := func(v []float64, p float64) float64 { return v[int(p*float64(len(v)-1))] }
	fmt.Printf("latency, one pacs.008 screened (%d parties, free text) in process: wall p50 %.3f ms, p99 %.3f ms; CPU p50 %.3f ms, p99 %.3f ms (goal p99 < 2 ms)\n",
		len(ms[0].Parties), pct(durs, 0.5), pct(durs, 0.99), pct(cpus, 0.5), pct(cpus, 0.99))

	// Throughput: read and screen the whole file on every core.
	var file bytes.Buffer
	if err := payments.GeneratePacs008(&file, *n, 42); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		defer pprof.StopCPUProfile()
	}
	var rates, cpuPer []float64
	for i := 0; i < *runs; i++ {
		ps := payments.NewScreener(sc) // a cold cache each run
		runtime.GC()
		cpu0 := cputime.Self()
		start := time.Now()
		r, _ := payments.NewReader("generated.xml", bytes.NewReader(file.Bytes()))
		var flagged []payments.Result
		c, err := ps.ScreenStream(r, opts, 0, 0, func(res payments.Result) error {
			if *explain && i == 0 && res.Flagged() {
				flagged = append(flagged, res)
			}
			return nil
		}, nil)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		el := time.Since(start).Seconds()
		cpu := (cputime.Self() - cpu0).Seconds()
		rate := float64(c.Payments) / el
		rates = append(rates, rate)
		cpuPer = append(cpuPer, cpu/float64(c.Payments)*1000)
		fmt.Printf("run %d: %d payments (%.1f MB) in %.2f s: %.0f payments/s; CPU %.2f s, %.3f ms per payment (%.0f payments per CPU-second); %d pass, %d hold, %d block, %d unreadable\n",
			i+1, c.Payments, float64(file.Len())/1e6, el, rate, cpu, cpu/float64(c.Payments)*1000, float64(c.Payments)/cpu,
			c.Decisions[payments.Pass], c.Decisions[payments.Hold], c.Decisions[payments.Block], c.Unreadable)
		q, calls := ps.Stats()
		fmt.Printf("  %.1f names screened per payment, %.2f matcher calls per payment (the rest cached)\n",
			float64(q)/float64(c.Payments), float64(calls)/float64(c.Payments))
		if *explain && i == 0 {
			explainFlagged(flagged)
		}
	}
	fmt.Printf("median CPU per payment: %.3f ms, i.e. %.0f payments/s if %d cores were free\n",
		median(cpuPer), float64(runtime.GOMAXPROCS(0))*1000/median(cpuPer), runtime.GOMAXPROCS(0))
	fmt.Printf("median throughput: %.0f payments/s on %d cores (goal >= 5,000/s on 2)\n", median(rates), runtime.GOMAXPROCS(0))
	return 0
}

// explainFlagged prints what stopped the flagged payments of a generated
// (supposedly clean) file: the party role or free-text field, the words
// screened and the listed entity, most frequent first.
func explainFlagged(res []payments.Result) {
	tally := map[string]int{}
	for _, r := range res {
		if !r.Flagged() {
			continue
		}
		for _, p := range r.Parties {
			for _, m := range p.Matches {
				tally[fmt.Sprintf("party %s %q by %s -> %s %s (%.2f) %s", p.Role, cmp.Or(p.Name, p.BIC), p.ScreenedFor, m.Entity.ID, m.Entity.Name, m.Score, p.Decision)]++
			}
		}
		for _, h := range r.TextHits {
			tally[fmt.Sprintf("text %s %q -> %s %s (%.2f) %s", h.Field, h.Span, h.Match.Entity.ID, h.Match.Entity.Name, h.Match.Score, h.Decision)]++
		}
	}
	keys := make([]string, 0, len(tally))
	for k := range tally {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int { return tally[b] - tally[a] })
	for i, k := range keys {
		if i == 40 {
			fmt.Printf("  ... %d more\n", len(keys)-i)
			break
		}
		fmt.Printf("  %5d  %s\n", tally[k], k)
	}
}
