package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/internal/quality"
	"github.com/lexscreen/lexscreen/match"
	"github.com/lexscreen/lexscreen/regime"
	"github.com/lexscreen/lexscreen/screening"
	"github.com/lexscreen/lexscreen/store/sqlite"
)

// benchIndex measures the persisted index (issue 15): a cold screening on
// a store with and without it, and the load of a synthetic index of n
// entities, each run in a child process (wall time, CPU time, peak RSS;
// medians).
func benchIndex(args []string) int {
	fs := flag.NewFlagSet("index", flag.ExitOnError)
	data := fs.String("data", "", "data directory of a lexscreen store (lexscreen --data-dir): time cold screenings on it")
	name := fs.String("name", "Vladimir Putin", "name screened")
	n := fs.Int("n", 1000000, "entities of the synthetic index to time loading (0: none)")
	runs := fs.Int("runs", 5, "runs of each measure")
	writeProfile := fs.String("writeprofile", "", "write a CPU profile of the synthetic index's write to this file")
	lexscreenExe := fs.String("lexscreen", "", "a lexscreen binary: time its server's start until /readyz answers, on -data")
	screenN := fs.Int("screen", 0, "after loading the synthetic index, screen this many of its names (each once) and print the peak memory, with the decoded-record bound and without")
	fs.Parse(args)
	self, err := os.Executable()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if *data != "" {
		store := filepath.Join(*data, "lexscreen.db")
		// A first run builds the file if needed; it is not counted.
		if _, err := child(self, nil, "index-screen-once", store, *name); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		for _, mode := range []struct{ label, env string }{{"built from the store", "off"}, {"persisted index", "on"}} {
			var st stats
			for range *runs {
				m, err := child(self, []string{screening.IndexCacheEnv + "=" + mode.env}, "index-screen-once", store, *name)
				if err != nil {
					fmt.Fprintln(os.Stderr, err)
					return 1
				}
				st.add(m)
			}
			fmt.Printf("cold screening, %s: %s (goal with the index: < 0.3 s, < 100 MiB)\n", mode.label, st)
		}
		if *lexscreenExe != "" {
			// A first start builds the server's index file if needed.
			if _, err := serveReady(*lexscreenExe, *data); err != nil {
				fmt.Fprintln(os.Stderr, err)
				return 1
			}
			var st stats
			for range *runs {
				m, err := serveReady(*lexscreenExe, *data)
				if err != nil {
					fmt.Fprintln(os.Stderr, err)
					return 1
				}
				st.add(m)
			}
			fmt.Printf("server start until /readyz answers 200: %s (goal: < 1 s)\n", st)
		}
	}
	if *n > 0 {
		dir, err := os.MkdirTemp("", "lexbench-index-")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		defer os.RemoveAll(dir)
		path := filepath.Join(dir, "synthetic.lxi")
		start := time.Now()
		b := match.NewBuilder(nil)
		own := regime.NewOwnershipBuilder()
		err = quality.Synthetic(*n, 7, func(e *lexscreen.Entity) error {
			b.Add(e)
			own.Add(e)
			return nil
		})
		if err == nil {
			ix := b.Build()
			built := time.Since(start)
			if *writeProfile != "" {
				if f, perr := os.Create(*writeProfile); perr == nil {
					pprof.StartCPUProfile(f)
					defer f.Close()
				}
			}
			err = screening.SaveIndex(path, "synthetic", ix, own.Build(), ix.Entities())
			pprof.StopCPUProfile()
			fi, _ := os.Stat(path)
			if err == nil {
				fmt.Printf("synthetic index: %d entities, %d names built in %.1fs, written in %.1fs, %.0f MiB\n",
					ix.Entities(), ix.Names(), built.Seconds(), time.Since(start).Seconds()-built.Seconds(), float64(fi.Size())/(1<<20))
			}
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		var st stats
		for range *runs {
			m, err := child(self, nil, "index-load-once", path)
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				return 1
			}
			st.add(m)
		}
		fmt.Printf("load of the synthetic index: %s (goal: < 3 s)\n", st)
		if *screenN > 0 {
			for _, limit := range []string{"default", "0"} {
				m, err := child(self, nil, "index-load-once", path, strconv.Itoa(*screenN), strconv.Itoa(*n), limit)
				if err != nil {
					fmt.Fprintln(os.Stderr, err)
					return 1
				}
				label := "with the bound on decoded records"
				if limit == "0" {
					label = "keeping every record decoded (no bound)"
				}
				fmt.Printf("load, then %d screenings of distinct names, %s: %.1f s wall, %.1f s CPU, %.0f MiB peak RSS\n", *screenN, label, m.wall, m.cpu, m.mib)
			}
		}
	}
	return 0
}

// measure is one child run.
type measure struct{ wall, cpu, mib float64 }

// stats collects runs.
type stats struct{ wall, cpu, mib []float64 }

func (s *stats) add(m measure) {
	s.wall, s.cpu, s.mib = append(s.wall, m.wall), append(s.cpu, m.cpu), append(s.mib, m.mib)
}

func (s stats) String() string {
	return fmt.Sprintf("median of %d runs %.3f s wall, %.3f s CPU, %.0f MiB peak RSS (runs: wall %.2f)",
		len(s.wall), median(s.wall), median(s.cpu), median(s.mib), s.wall)
}

// child runs lexbench with args in a child process and measures it.
func child(self string, env []string, args ...string) (measure, error) {
	cmd := exec.Command(self, args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stderr = os.Stderr
	var out strings.Builder
	cmd.Stdout = &out
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return measure{}, fmt.Errorf("%v: %v", args, err)
	}
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	// The child's own peak: Linux's rusage of a child started by vfork
	// and exec reports the parent's peak when it is higher (a parent
	// holding a million-entity builder).
	mib := float64(ru.Maxrss) / 1024
	if v, ok := strings.CutPrefix(strings.TrimSpace(out.String()), "peak_kib "); ok {
		if kib, err := strconv.ParseFloat(v, 64); err == nil {
			mib = kib / 1024
		}
	}
	return measure{time.Since(start).Seconds(), cpu.Seconds(), mib}, nil
}

// printPeak prints the process's peak resident memory (Linux: VmHWM) for
// child to read; nothing where it cannot be read.
func printPeak() {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			fmt.Printf("peak_kib %s\n", strings.TrimSuffix(strings.TrimSpace(v), " kB"))
		}
	}
}

// indexScreenOnce loads the screener of the store's current lists and
// screens one name, as `lexscreen screen` does.
func indexScreenOnce(args []string) int {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, args[0])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer db.Close()
	sc, err := screening.Load(ctx, db, "lexbench", nil)
	if err == nil {
		_, err = sc.Screen(lexscreen.Query{Name: args[1]}, screening.Options{})
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	printPeak()
	return 0
}

// indexLoadOnce loads an index file SaveIndex wrote.
func indexLoadOnce(args []string) int {
	// args: path [screenings entities limit]: a limit "0" keeps every
	// decoded record (match.SetDecodedLimit), "default" the bound.
	if len(args) == 4 && args[3] != "default" {
		n, _ := strconv.ParseInt(args[3], 10, 64)
		match.SetDecodedLimit(n)
	}
	ix, _, _, err := screening.OpenIndex(args[0], "synthetic", nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	m := match.New(ix)
	m.Screen(lexscreen.Query{Name: "John Smith"})
	if len(args) == 4 {
		// Distinct names spread over the whole index, as a long-running
		// server sees new customers.
		count, _ := strconv.Atoi(args[1])
		entities, _ := strconv.Atoi(args[2])
		step := max(1, entities/max(1, count))
		for i := 0; i < count; i++ {
			e := quality.SyntheticEntity(1+(i*step)%entities, 7)
			m.Screen(lexscreen.Query{Name: e.Names[0].Full})
		}
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		es, ns, ts := ix.DecodedRecords()
		status, _ := os.ReadFile("/proc/self/status")
		var anon, file string
		for _, l := range strings.Split(string(status), "\n") {
			if v, ok := strings.CutPrefix(l, "RssAnon:"); ok {
				anon = strings.TrimSpace(v)
			}
			if v, ok := strings.CutPrefix(l, "RssFile:"); ok {
				file = strings.TrimSpace(v)
			}
		}
		fmt.Fprintf(os.Stderr, "  after %d screenings (decoded-record limit %s): Go heap in use %.0f MiB after GC; RSS anonymous %s, of the mapped index file %s; records kept decoded: %d entities, %d names, %d tokens\n",
			count, args[3], float64(ms.HeapInuse)/(1<<20), anon, file, es, ns, ts)
	}
	printPeak()
	return 0
}
