package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/bundled"
	"github.com/lexscreen/lexscreen/internal/quality"
	"github.com/lexscreen/lexscreen/match"
	"github.com/lexscreen/lexscreen/source/formats"
)

// loadBundled parses the bundled lists and returns their entities.
func loadBundled() ([]*lexscreen.Entity, []lexscreen.ListVersion, error) {
	var all []*lexscreen.Entity
	var lists []lexscreen.ListVersion
	for _, l := range bundled.Lists() {
		f := formats.ByID(l.Format)
		if f == nil {
			return nil, nil, fmt.Errorf("bundled %s: unknown format %s", l.Source, l.Format)
		}
		_, err := f.Parse(context.Background(), l.SourceFiles(), func(e *lexscreen.Entity) error {
			all = append(all, e)
			return nil
		})
		if err != nil {
			return nil, nil, err
		}
		lists = append(lists, lexscreen.ListVersion{Source: l.Source, Version: l.Published, Published: l.Published})
	}
	return all, lists, nil
}

func buildIndex(es []*lexscreen.Entity, lists []lexscreen.ListVersion) *match.Index {
	b := match.NewBuilder(lists)
	for _, e := range es {
		b.Add(e)
	}
	return b.Build()
}

// benchEval runs every quality measure of the matcher on the bundled lists
// and the evaluation data in ../shared/eval.
func benchEval(args []string) int {
	fs := flag.NewFlagSet("eval", flag.ExitOnError)
	dir := fs.String("eval", "../shared/eval", "folder with the evaluation data")
	n := fs.Int("variants", 5000, "recall-benchmark variants")
	seed := fs.Int64("seed", 1, "recall-benchmark seed")
	negLimit := fs.Int("negatives", 50000, "how many negatives to screen")
	asJSON := fs.Bool("json", false, "print the reports as JSON")
	only := fs.String("only", "", "comma-separated sections to run (name_bench, entity_checks, logic_v2, cross_script, ofac_parity, recall, one_surname, negatives, messy_dates, latency, throughput); all when empty")
	misses := fs.Int("misses", 50, "recall misses to list")
	fs.Parse(args)
	want := func(section string) bool {
		return *only == "" || slices.Contains(strings.Split(*only, ","), section)
	}

	start := time.Now()
	es, lists, err := loadBundled()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	parsed := time.Since(start)
	start = time.Now()
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	before := ms.HeapAlloc
	ix := buildIndex(es, lists)
	built := time.Since(start)
	runtime.GC()
	runtime.ReadMemStats(&ms)
	m := match.New(ix)
	fmt.Printf("index: %d entities, %d names; parsed in %.1fs, indexed in %.1fs, index heap %.0f MiB\n",
		ix.Entities(), ix.Names(), parsed.Seconds(), built.Seconds(), float64(ms.HeapAlloc-min(before, ms.HeapAlloc))/(1<<20))

	p := func(name string) string { return filepath.Join(*dir, name) }
	reports := map[string]any{}
	show := func(key string, r fmt.Stringer) {
		reports[key] = r
		if !*asJSON {
			fmt.Printf("\n== %s\n%s\n", key, r.String())
		}
	}
	if want("name_bench") {
		show("name_bench", quality.NameBench(p("nomenklatura_name_bench_cases-dev.csv"), m))
	}
	if want("entity_checks") {
		show("entity_checks", quality.EntityChecks(p("nomenklatura_entity_bench_checks.yml"), m))
	}
	if want("logic_v2") {
		show("logic_v2", quality.LogicV2(p("nomenklatura_logic_v2_match_cases.jsonl"), m))
	}
	if want("cross_script") {
		show("cross_script", quality.CrossScript(p("watchman_cross_script_pairs.csv"), p("nomenklatura_putin_names.txt"), m, m))
	}
	if want("ofac_parity") {
		show("ofac_parity", quality.OFACParity(p("nomenklatura_ofac_parity_fixtures.csv"), m))
	}
	vs := quality.Variants(es, *n, *seed)
	if want("recall") {
		show("recall", quality.RecallN(vs, m, *misses))
	}
	if want("one_surname") {
		show("one_surname", quality.OneSurname(es, m, 15))
	}
	if want("negatives") {
		show("negatives", quality.Negatives(p("negatives_us_50k.csv"), m, *negLimit))
	}
	if want("messy_dates") {
		// The same recall variants and negatives, with dates of birth
		// written as customer files write them (30.03.1970, 3/30/70,
		// 30 mars 1970 ...); only the variants that carry a date.
		mv := quality.WithMessyDates(vs, *seed)
		show("messy_dates_recall", quality.RecallN(mv, m, *misses))
		show("messy_dates_negatives", quality.MessyNegatives(p("negatives_us_50k.csv"), m, *negLimit, *seed))
	}
	if want("latency") || want("throughput") {
		var qs []lexscreen.Query
		for _, v := range vs {
			qs = append(qs, v.Query)
		}
		people, _ := quality.LoadPeople(p("negatives_us_50k.csv"), 5000)
		for _, pp := range people {
			qs = append(qs, lexscreen.Query{Name: pp.FullName})
		}
		if want("latency") {
			show("latency", quality.Latency(m, qs, 500))
		}
		if want("throughput") {
			show("throughput", quality.Throughput(m, qs, runtime.GOMAXPROCS(0)))
		}
	}
	if *asJSON {
		b, _ := json.MarshalIndent(reports, "", "  ")
		fmt.Println(string(b))
	}
	return 0
}

// benchScale indexes a deterministic synthetic corpus and measures latency.
func benchScale(args []string) int {
	fs := flag.NewFlagSet("scale", flag.ExitOnError)
	n := fs.Int("n", 1000000, "entities in the synthetic corpus")
	queries := fs.Int("queries", 20000, "queries to time")
	fs.Parse(args)
	start := time.Now()
	b := match.NewBuilder(nil)
	var sample []lexscreen.Query
	i := 0
	err := quality.Synthetic(*n, 7, func(e *lexscreen.Entity) error {
		b.Add(e)
		if i%(*n / *queries + 1) == 0 && len(e.Names) > 0 {
			sample = append(sample, lexscreen.Query{Name: e.Names[0].Full})
		}
		i++
		return nil
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	ix := b.Build()
	built := time.Since(start)
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Printf("synthetic corpus: %d entities, %d names indexed in %.1fs (goal < 60 s); heap %.0f MiB\n",
		ix.Entities(), ix.Names(), built.Seconds(), float64(ms.HeapAlloc)/(1<<20))
	m := match.New(ix)
	fmt.Println(quality.Latency(m, sample, 200).String())
	return 0
}
