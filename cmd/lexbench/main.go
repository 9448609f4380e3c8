// Command lexbench measures lexscreen's quality and performance goals
// reproducibly.
//
//	go run ./cmd/lexbench import [-runs 5] [PATH...]
//	go run ./cmd/lexbench eval [-eval ../shared/eval] [-variants 5000]
//	go run ./cmd/lexbench scale [-n 1000000]
//	go run ./cmd/lexbench pair [-schema person] QUERY LISTED
//	go run ./cmd/lexbench monitor [-n 1000000] [-delta 100] [-runs 3]
//	go run ./cmd/lexbench payments [-n 100000] [-runs 3]
//	go run ./cmd/lexbench distributed [-rows 200000] [-workers 3] [-kill 1]
//	go run ./cmd/lexbench index [-data DIR [-lexscreen BINARY]] [-n 1000000] [-runs 5]
//
// eval builds the matcher on the bundled lists and prints precision, recall
// and F1 on the labelled name pairs, the entity checks, cross-script pairs,
// the recall of seeded variants of listed names, the false-alert rate on
// 50,000 people on no list, and latency. index times a cold screening on
// a store with and without the persisted index, and the load of a
// synthetic persisted index (median of runs in child processes). scale indexes a deterministic
// synthetic corpus and times queries against it.
//
// imports every list file found under PATH (default ../shared/data/lists)
// into a fresh store, once per run, each run in its own child process, and
// prints the wall time and peak resident memory of each run and their
// medians. The goal (issue 2): all real lists in under 60 s with under 1 GB
// peak memory on 2 cores.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"syscall"
	"time"

	"github.com/lexscreen/lexscreen/ingest"
	"github.com/lexscreen/lexscreen/source/formats"
	"github.com/lexscreen/lexscreen/store/sqlite"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: lexbench import [-runs N] [PATH...] | eval [-variants N] | scale [-n N] | pair [-schema S] QUERY LISTED | monitor [-n N] | payments [-n N] | index [-data DIR [-lexscreen BIN]] [-n N] | distributed [-rows N] [-workers 1,2,3] [-kill N]")
		os.Exit(2)
	}
	switch os.Args[1] {
	case "import":
		os.Exit(benchImport(os.Args[2:]))
	case "import-once":
		os.Exit(importOnce(os.Args[2:]))
	case "eval":
		os.Exit(benchEval(os.Args[2:]))
	case "scale":
		os.Exit(benchScale(os.Args[2:]))
	case "pair":
		os.Exit(benchPair(os.Args[2:]))
	case "monitor":
		os.Exit(benchMonitor(os.Args[2:]))
	case "payments":
		os.Exit(benchPayments(os.Args[2:]))
	case "distributed":
		os.Exit(benchDistributed(os.Args[2:]))
	case "index":
		os.Exit(benchIndex(os.Args[2:]))
	case "index-screen-once":
		os.Exit(indexScreenOnce(os.Args[2:]))
	case "index-load-once":
		os.Exit(indexLoadOnce(os.Args[2:]))
	}
	fmt.Fprintf(os.Stderr, "lexbench: unknown benchmark %q\n", os.Args[1])
	os.Exit(2)
}

func benchImport(args []string) int {
	fs := flag.NewFlagSet("import", flag.ExitOnError)
	runs := fs.Int("runs", 5, "number of runs")
	fs.Parse(args)
	paths := fs.Args()
	if len(paths) == 0 {
		paths = []string{"../shared/data/lists"}
	}
	self, err := os.Executable()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	var secs, mbs []float64
	for i := 0; i < *runs; i++ {
		cmd := exec.Command(self, append([]string{"import-once"}, paths...)...)
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		start := time.Now()
		if err := cmd.Run(); err != nil {
			fmt.Fprintf(os.Stderr, "run %d failed: %v\n", i+1, err)
			return 1
		}
		el := time.Since(start).Seconds()
		rss := float64(cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss) / 1024 // KiB -> MiB
		secs, mbs = append(secs, el), append(mbs, rss)
		fmt.Printf("run %d: %.2f s, peak RSS %.0f MiB\n", i+1, el, rss)
	}
	fmt.Printf("median of %d runs: %.2f s wall, %.0f MiB peak RSS (goal: < 60 s, < 1024 MiB)\n", *runs, median(secs), median(mbs))
	return 0
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func importOnce(paths []string) int {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "lexbench-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	db, err := sqlite.Open(ctx, filepath.Join(dir, "lexscreen.db"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer db.Close()
	jobs, err := formats.Detect(paths, "")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	var bytes int64
	entities, failed := 0, 0
	for _, j := range jobs {
		for _, p := range j.Paths() {
			if st, err := os.Stat(p); err == nil {
				bytes += st.Size()
			}
		}
		res, err := ingest.Job(ctx, db, j, ingest.Options{Force: true})
		if err != nil {
			failed++
			fmt.Fprintf(os.Stderr, "  %s: %v\n", j.Dir, err)
			continue
		}
		entities += res.Snapshot.Entities
	}
	fmt.Printf("  %d publications (%d failed), %.0f MB read, %d entities stored\n", len(jobs), failed, float64(bytes)/1e6, entities)
	if failed > 0 {
		return 1
	}
	return 0
}
