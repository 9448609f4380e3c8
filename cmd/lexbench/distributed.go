package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/lexscreen/lexscreen/distributed"
	"github.com/lexscreen/lexscreen/distributed/natsembed"
)

// benchDistributed runs a distributed batch over lexscreen worker
// processes on loopback (issue 17): the fault test (-kill N: N workers
// are killed with SIGKILL a third of the way through and as many started;
// every row must end with exactly one result) and the throughput for each
// worker count of -workers (a list: 1,2,3).
func benchDistributed(args []string) int {
	fs := flag.NewFlagSet("distributed", flag.ExitOnError)
	rows := fs.Int("rows", 200000, "rows in the generated batch")
	workerList := fs.String("workers", "3", "worker processes; a list (1,2,3) runs once per count")
	kill := fs.Int("kill", 1, "workers killed with SIGKILL mid-run (and as many started)")
	chunk := fs.Int("chunk", distributed.DefaultChunkRows, "rows per chunk")
	slots := fs.Int("slots", 0, "chunks each worker screens at once (default: all cores)")
	bin := fs.String("lexscreen", "", "lexscreen binary (default: go build ./cmd/lexscreen)")
	natsURL := fs.String("nats", os.Getenv(natsembed.EnvTestNATS), "NATS server URL (default $"+natsembed.EnvTestNATS+", else an embedded one)")
	results := fs.String("results", "", "results store DSN (default: a SQLite file in a temporary directory)")
	dataDir := fs.String("data", "", "lexscreen data directory (default: a temporary one with the bundled lists)")
	inputFile := fs.String("input", "", "a customer file (CSV with a header, one line per row) instead of the generated book; -rows is its row count")
	baseline := fs.Bool("baseline", false, "also time a local `lexscreen batch` of the same book (CPU per row, index build taken out)")
	fs.Parse(args)
	var counts []int
	for _, s := range strings.Split(*workerList, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			fmt.Fprintf(os.Stderr, "-workers %q: want counts of at least 1, comma-separated\n", *workerList)
			return 2
		}
		counts = append(counts, n)
	}
	tmp, err := os.MkdirTemp("", "lexbench-distributed-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(tmp)
	env := &distEnv{tmp: tmp, bin: *bin, nats: *natsURL, data: *dataDir, slots: *slots}
	if err := env.setup(); err != nil {
		fmt.Fprintln(os.Stderr, "lexbench distributed:", err)
		return 1
	}
	defer env.close()
	input := filepath.Join(tmp, "book.csv")
	if *inputFile != "" {
		b, err := os.ReadFile(*inputFile)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		input, *rows = *inputFile, strings.Count(strings.TrimRight(string(b), "\n"), "\n")
	} else if err := writeBook(input, *rows); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Printf("distributed batch of %d rows, chunks of %d, on %d cores (GOMAXPROCS of each worker: all of them)\n", *rows, *chunk, numCPU())
	if *baseline {
		if err := env.baseline(input, *rows); err != nil {
			fmt.Fprintln(os.Stderr, "lexbench distributed:", err)
			return 1
		}
	}
	failed := false
	for i, n := range counts {
		dsn := *results
		if dsn == "" {
			dsn = filepath.Join(tmp, fmt.Sprintf("results-%d.db", i))
		}
		r, err := env.runOnce(input, *rows, n, *kill, *chunk, dsn, i)
		if err != nil {
			fmt.Fprintln(os.Stderr, "lexbench distributed:", err)
			return 1
		}
		fmt.Println(r)
		failed = failed || !r.ok()
	}
	if failed {
		return 1
	}
	return 0
}

// distEnv is what the runs share: the binary, the data directory, NATS.
type distEnv struct {
	tmp, bin, nats, data string
	slots                int
	stopNATS             func()
}

func (e *distEnv) setup() error {
	if e.bin == "" {
		e.bin = filepath.Join(e.tmp, "lexscreen")
		cmd := exec.Command("go", "build", "-o", e.bin, "github.com/lexscreen/lexscreen/cmd/lexscreen")
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("building lexscreen: %v", err)
		}
	}
	if e.data == "" {
		e.data = filepath.Join(e.tmp, "data")
		cmd := exec.Command(e.bin, "--data-dir", e.data, "-q", "lists")
		cmd.Stderr = os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("loading the bundled lists: %v", err)
		}
	}
	if e.nats == "" {
		if os.Getenv(natsembed.EnvRequireNATS) == "1" {
			return fmt.Errorf("%s=1 but no NATS server given (-nats or %s)", natsembed.EnvRequireNATS, natsembed.EnvTestNATS)
		}
		s, err := natsembed.Start(filepath.Join(e.tmp, "nats"))
		if err != nil {
			return err
		}
		e.nats, e.stopNATS = s.ClientURL(), s.Shutdown
	}
	return nil
}

func (e *distEnv) close() {
	if e.stopNATS != nil {
		e.stopNATS()
	}
}

// distRun is the outcome of one run.
type distRun struct {
	workers, killed, rows                  int
	seconds, workerCPU, submitCPU          float64
	lines, outOfOrder, missing, duplicated int
	stored                                 int
	redelivered, alreadyStored, errors     float64
	exit                                   int
}

func (r distRun) ok() bool {
	return r.lines == r.rows && r.stored == r.rows && r.outOfOrder == 0 && r.missing == 0 && r.duplicated == 0 && r.exit == 0
}

func (r distRun) String() string {
	verdict := "PASS"
	if !r.ok() {
		verdict = "FAIL"
	}
	return fmt.Sprintf(`workers=%d killed=%d: %d rows in %.1fs = %.0f rows/s wall; surviving workers' CPU %.1fs = %.0f rows per CPU-second; submitter CPU %.1fs
  output: %d lines, %d missing, %d duplicated, %d out of order; results store: %d rows; submit exit %d
  surviving workers: %.0f redelivered chunks, %.0f rows screened again and found stored, %.0f errors
  %s: every row has exactly one result`,
		r.workers, r.killed, r.rows, r.seconds, float64(r.rows)/r.seconds, r.workerCPU, float64(r.rows)/max(r.workerCPU, 1e-9), r.submitCPU,
		r.lines, r.missing, r.duplicated, r.outOfOrder, r.stored, r.exit, r.redelivered, r.alreadyStored, r.errors, verdict)
}

type workerProc struct {
	cmd    *exec.Cmd
	addr   string
	cpu0   float64
	killed bool
}

func (e *distEnv) startWorker(dsn string) (*workerProc, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := ln.Addr().String()
	ln.Close()
	args := []string{"--data-dir", e.data, "-q", "worker", "--nats", e.nats, "--results", dsn, "--listen", addr}
	if e.slots > 0 {
		args = append(args, "--slots", strconv.Itoa(e.slots))
	}
	cmd := exec.Command(e.bin, args...)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	w := &workerProc{cmd: cmd, addr: addr}
	deadline := time.Now().Add(5 * time.Minute)
	for time.Now().Before(deadline) {
		if resp, err := http.Get("http://" + addr + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				w.cpu0 = procCPU(cmd.Process.Pid)
				return w, nil
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	cmd.Process.Kill()
	return nil, fmt.Errorf("worker on %s not healthy after 5 minutes", addr)
}

func (e *distEnv) runOnce(input string, rows, workers, kill, chunk int, dsn string, i int) (distRun, error) {
	r := distRun{workers: workers, rows: rows}
	var procs []*workerProc
	defer func() {
		for _, p := range procs {
			p.cmd.Process.Kill()
			p.cmd.Wait()
		}
	}()
	for range workers {
		w, err := e.startWorker(dsn)
		if err != nil {
			return r, err
		}
		procs = append(procs, w)
	}
	ctx := context.Background()
	res, err := distributed.OpenResults(ctx, dsn)
	if err != nil {
		return r, err
	}
	defer res.Close()
	out := filepath.Join(e.tmp, fmt.Sprintf("out-%d.jsonl", i))
	// A threshold of its own per run makes each run a new job.
	submit := exec.Command(e.bin, "--data-dir", e.data, "-q", "--json", "batch", "--distributed", "--nats", e.nats,
		"--results", dsn, "--chunk-rows", strconv.Itoa(chunk), "--input", input, "--output", out,
		"--threshold", fmt.Sprintf("%.4f", 0.8+float64(i)/10000))
	submit.Stderr = os.Stderr
	var summary strings.Builder
	submit.Stdout = &summary
	start := time.Now()
	if err := submit.Start(); err != nil {
		return r, err
	}
	exited := make(chan error, 1)
	go func() { exited <- submit.Wait() }()
	killedAt := 0
	for done := false; !done; {
		select {
		case err := <-exited:
			done = true
			if ee, ok := err.(*exec.ExitError); ok {
				r.exit = ee.ExitCode()
			} else if err != nil {
				return r, err
			}
		case <-time.After(200 * time.Millisecond):
			if kill == 0 || r.killed > 0 {
				continue
			}
			n := 0
			for _, p := range procs {
				n += int(scrapeMetrics(p.addr)["lexscreen_worker_rows_total"])
			}
			if n < rows/3 {
				continue
			}
			killedAt = n
			for _, p := range procs[:min(kill, len(procs))] {
				p.cmd.Process.Signal(syscall.SIGKILL)
				p.killed = true
				r.killed++
			}
			fmt.Printf("  killed %d worker(s) with SIGKILL at %d rows stored; starting %d\n", r.killed, killedAt, r.killed)
			for range r.killed {
				w, err := e.startWorker(dsn)
				if err != nil {
					return r, err
				}
				procs = append(procs, w)
			}
		}
	}
	r.seconds = time.Since(start).Seconds()
	if st := submit.ProcessState; st != nil {
		r.submitCPU = (st.UserTime() + st.SystemTime()).Seconds()
	}
	for _, p := range procs {
		if p.killed {
			continue
		}
		r.workerCPU += procCPU(p.cmd.Process.Pid) - p.cpu0
		m := scrapeMetrics(p.addr)
		r.redelivered += m["lexscreen_worker_redeliveries_total"]
		r.alreadyStored += m["lexscreen_worker_rows_already_stored_total"]
		r.errors += m["lexscreen_worker_errors_total"]
	}
	if err := checkOutput(out, &r); err != nil {
		return r, err
	}
	var sum struct {
		Job string `json:"job"`
	}
	if err := json.Unmarshal([]byte(summary.String()), &sum); err != nil || sum.Job == "" {
		return r, fmt.Errorf("the submitter's summary names no job: %q", summary.String())
	}
	r.stored, err = res.Count(ctx, sum.Job)
	return r, err
}

// checkOutput reads the output: one line per row, rows 1..n in order.
func checkOutput(path string, r *distRun) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	seen := make([]int, r.rows+1)
	br := bufio.NewReaderSize(f, 1<<20)
	last := 0
	for {
		line, err := br.ReadBytes('\n')
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		var l struct {
			Row   int             `json:"row"`
			Error json.RawMessage `json:"error"`
		}
		if json.Unmarshal(line, &l) != nil || l.Row < 1 || l.Row > r.rows {
			return fmt.Errorf("%s: line %d is not a batch result: %.200s", path, r.lines+1, line)
		}
		r.lines++
		if len(l.Error) > 0 {
			r.missing++ // an error line: generated rows all have names
		}
		seen[l.Row]++
		if l.Row <= last {
			r.outOfOrder++
		}
		last = l.Row
	}
	for _, n := range seen[1:] {
		switch {
		case n == 0:
			r.missing++
		case n > 1:
			r.duplicated += n - 1
		}
	}
	return nil
}

// scrapeMetrics reads a worker's counters (summed over labels).
func scrapeMetrics(addr string) map[string]float64 {
	m := map[string]float64{}
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		return m
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			continue
		}
		name, val, ok := strings.Cut(line, " ")
		if !ok {
			continue
		}
		if i := strings.IndexByte(name, '{'); i >= 0 {
			name = name[:i]
		}
		v, _ := strconv.ParseFloat(val, 64)
		m[name] += v
	}
	return m
}

// procCPU is a process's user+system CPU seconds so far (Linux /proc; 0
// elsewhere).
func procCPU(pid int) float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	s := string(b)
	if i := strings.LastIndexByte(s, ')'); i >= 0 {
		s = s[i+2:]
	}
	f := strings.Fields(s)
	if len(f) < 13 {
		return 0
	}
	ut, _ := strconv.ParseFloat(f[11], 64)
	st, _ := strconv.ParseFloat(f[12], 64)
	return (ut + st) / 100 // USER_HZ
}

// writeBook writes a deterministic customer file of n rows: common names
// from several cultures, dates of birth, countries, and one row in 250
// naming a listed person.
func writeBook(path string, n int) error {
	first := []string{"John", "Maria", "Ahmed", "Wei", "Olga", "Pierre", "Fatima", "Ivan", "Luis", "Anna", "Mohammed", "Chen",
		"Sergei", "Elena", "Ali", "Hans", "Yuki", "Omar", "Sofia", "Giulia", "Kwame", "Priya", "Jose", "Leila", "Dmitri"}
	last := []string{"Smith", "Garcia", "Hassan", "Zhang", "Ivanova", "Dubois", "Petrov", "Rodriguez", "Muller", "Rahman",
		"Li", "Volkov", "Nakamura", "Haddad", "Rossi", "Kim", "Silva", "Novak", "Tanaka", "Mensah", "Sharma", "Okafor"}
	listed := []string{"Karim Asad Ahmad Khan", "Ahmad Khatibi Aghada", "Ali Akbar Rezaei Tavana", "Farhad Fatemi"}
	countries := []string{"GB", "FR", "DE", "IR", "RU", "CN", "US", "NG", "IN", "BR", ""}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	rng := rand.New(rand.NewPCG(17, 2026))
	fmt.Fprintln(w, "id,name,dob,country")
	for i := 1; i <= n; i++ {
		name := first[rng.IntN(len(first))] + " " + last[rng.IntN(len(last))]
		if i%250 == 0 {
			name = listed[rng.IntN(len(listed))]
		}
		fmt.Fprintf(w, "c%07d,%s,%d-%02d-%02d,%s\n", i, name, 1940+rng.IntN(65), 1+rng.IntN(12), 1+rng.IntN(28), countries[rng.IntN(len(countries))])
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func numCPU() int { return runtime.NumCPU() }

// baseline times a local batch of the book, and of one row (the index
// build), and prints the CPU per row of screening alone.
func (e *distEnv) baseline(input string, rows int) error {
	one := filepath.Join(e.tmp, "one.csv")
	b, err := os.ReadFile(input)
	if err != nil {
		return err
	}
	lines := strings.SplitN(string(b), "\n", 3)
	if err := os.WriteFile(one, []byte(lines[0]+"\n"+lines[1]+"\n"), 0o644); err != nil {
		return err
	}
	cpu := func(in string) (float64, float64, error) {
		cmd := exec.Command(e.bin, "--data-dir", e.data, "-q", "--json", "batch", "--restart", "--input", in, "--output", filepath.Join(e.tmp, "baseline.jsonl"))
		start := time.Now()
		if err := cmd.Run(); err != nil {
			return 0, 0, fmt.Errorf("local batch of %s: %v", in, err)
		}
		st := cmd.ProcessState
		return (st.UserTime() + st.SystemTime()).Seconds(), time.Since(start).Seconds(), nil
	}
	idx, idxWall, err := cpu(one)
	if err != nil {
		return err
	}
	all, wall, err := cpu(input)
	if err != nil {
		return err
	}
	fmt.Printf("baseline, local lexscreen batch (one process, all cores): %d rows in %.1fs wall (%.1fs of it the index); CPU %.1fs - %.1fs for the index = %.0f rows per CPU-second\n",
		rows, wall, idxWall, all, idx, float64(rows)/max(all-idx, 1e-9))
	return nil
}
