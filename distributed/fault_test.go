package distributed

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/lexscreen/lexscreen"
)

// Environment of a test worker process (the test binary run again).
const (
	envWorker    = "DISTRIBUTED_TEST_WORKER" // NATS URL
	envResults   = "DISTRIBUTED_TEST_RESULTS"
	envDieAfter  = "DISTRIBUTED_TEST_DIE_AFTER_STORE" // SIGKILL itself after storing this many chunks, before acking
	envScreen    = "DISTRIBUTED_TEST_SCREEN"          // a ScreenFunc of testScreens (default fakeScreen)
	testAckWait  = 2 * time.Second
	testChunkRow = 100
)

func TestMain(m *testing.M) {
	if url := os.Getenv(envWorker); url != "" {
		os.Exit(testWorker(url, os.Getenv(envResults)))
	}
	os.Exit(m.Run())
}

// fakeScreen "screens" a row into a line that names it: the mechanics of
// distribution are under test, not the matcher (cmd/lexscreen tests the
// real screening through the same worker).
func fakeScreen(_ context.Context, c Chunk) ([]Result, error) {
	time.Sleep(2 * time.Millisecond * time.Duration(len(c.Rows)) / 10)
	out := make([]Result, 0, len(c.Rows))
	for _, r := range c.Rows {
		if r.Query.Name == "POISON" {
			return nil, fmt.Errorf("row %d can't be screened here", r.Seq)
		}
		line, _ := json.Marshal(map[string]any{"row": r.Seq, "id": r.Query.ID, "name": r.Query.Name})
		out = append(out, Result{Row: r.Seq, Line: append(line, '\n')})
	}
	return out, nil
}

// testWorker is a worker process: it works until SIGTERM, then prints its
// counts on stdout ("chunks=N rows=N already=N redelivered=N").
func testWorker(url, dsn string) int {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	nc, err := nats.Connect(url)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer nc.Close()
	js, _ := jetstream.New(nc)
	cons, err := EnsureConsumer(ctx, js, QueueConfig{AckWait: testAckWait, MaxDeliver: 20})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	res, err := OpenResults(ctx, dsn)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer res.Close()
	m := NewMetrics()
	screen := fakeScreen
	if name := os.Getenv(envScreen); name != "" {
		make, ok := testScreens[name]
		if !ok {
			fmt.Fprintf(os.Stderr, "no test screen %q\n", name)
			return 1
		}
		screen = make()
	}
	w := &Worker{Consumer: cons, Results: res, Screen: screen, Metrics: m, Slots: 2, AckWait: testAckWait, FetchWait: time.Second}
	var n int
	fmt.Sscan(os.Getenv(envDieAfter), &n)
	if n > 0 {
		var mu sync.Mutex
		w.afterStore = func(Chunk) {
			mu.Lock()
			defer mu.Unlock()
			if n--; n == 0 {
				syscall.Kill(os.Getpid(), syscall.SIGKILL)
				select {}
			}
		}
	}
	fmt.Fprintln(os.Stderr, "ready")
	w.Run(ctx)
	fmt.Printf("chunks=%d rows=%d already=%d redelivered=%d\n", int(value(m.Chunks)), int(value(m.Rows)),
		int(value(m.RowsAlreadyStored)+value(m.PartsAlreadyStored)), int(value(m.Redeliveries)))
	return 0
}

// testRows makes n rows with ids and names.
func testRows(n int) []Row {
	rows := make([]Row, n)
	for i := range rows {
		rows[i] = Row{Seq: i + 1, Line: i + 2, Query: lexscreen.Query{ID: fmt.Sprintf("c%06d", i+1), Name: fmt.Sprintf("Customer %d", i+1)}}
	}
	return rows
}

type workerProc struct {
	cmd *exec.Cmd
	out strings.Builder
}

func startWorker(t *testing.T, url, dsn string, extra ...string) *workerProc {
	t.Helper()
	p := &workerProc{cmd: exec.Command(os.Args[0], "-test.run=^$")}
	p.cmd.Env = append(os.Environ(), envWorker+"="+url, envResults+"="+dsn)
	p.cmd.Env = append(p.cmd.Env, extra...)
	p.cmd.Stdout = &p.out
	stderr, err := p.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ready := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		ok := false
		for sc.Scan() {
			if !ok && sc.Text() == "ready" {
				ok = true
				ready <- true
			} else {
				t.Logf("worker %d: %s", p.cmd.Process.Pid, sc.Text())
			}
		}
		if !ok {
			ready <- false
		}
	}()
	select {
	case ok := <-ready:
		if !ok {
			t.Fatalf("worker %d did not start", p.cmd.Process.Pid)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("worker not ready after 30s")
	}
	t.Cleanup(func() { p.cmd.Process.Kill(); p.cmd.Wait() })
	return p
}

// stop ends a worker with SIGTERM and returns its counts.
func (p *workerProc) stop(t *testing.T) (chunks, rows, already, redelivered int) {
	t.Helper()
	p.cmd.Process.Signal(syscall.SIGTERM)
	p.cmd.Wait()
	fmt.Sscanf(p.out.String(), "chunks=%d rows=%d already=%d redelivered=%d", &chunks, &rows, &already, &redelivered)
	return
}

// TestFaultKilledWorkers is the fault test in small: a batch over three
// worker processes, one killed with SIGKILL mid-run and another started,
// one killing itself between storing a chunk and acking it; every row
// must end with exactly one result, none lost, none duplicated.
// With LEXSCREEN_TEST_POSTGRES set, it runs again on PostgreSQL.
func TestFaultKilledWorkers(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { testFault(t, filepath.Join(t.TempDir(), "results.db")) })
	if dsn := os.Getenv("LEXSCREEN_TEST_POSTGRES"); dsn != "" {
		t.Run("postgres", func(t *testing.T) { testFault(t, dsn) })
	}
}

func testFault(t *testing.T, dsn string) {
	const rows = 20000
	url := testNATS(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	res, err := OpenResults(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Close()
	if err := res.Delete(ctx, "fault"); err != nil {
		t.Fatal(err)
	}

	dying := startWorker(t, url, dsn, envDieAfter+"=5")
	victim := startWorker(t, url, dsn)
	steady := startWorker(t, url, dsn)

	nc, err := nats.Connect(url)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, _ := jetstream.New(nc)
	spec := Spec{Job: "fault", Input: "book.csv"}
	sub, err := Submit(ctx, nc, js, res, spec, testRows(rows), testChunkRow)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	if sub.Chunks != rows/testChunkRow {
		t.Fatalf("published %d chunks, want %d", sub.Chunks, rows/testChunkRow)
	}
	var late *workerProc
	killedAt := 0
	p, err := sub.Wait(ctx, 100*time.Millisecond, func(p Progress) {
		if late == nil && p.Stored >= rows/3 {
			killedAt = p.Stored
			victim.cmd.Process.Signal(syscall.SIGKILL)
			late = startWorker(t, url, dsn)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if late == nil {
		t.Fatal("the job ended before a worker could be killed mid-run")
	}
	t.Logf("killed a worker at %d of %d rows", killedAt, rows)
	if p.Stored != rows || len(p.Lost) != 0 {
		t.Fatalf("stored %d of %d rows, lost chunks %v", p.Stored, rows, p.Lost)
	}
	if err := dying.cmd.Wait(); err == nil || !strings.Contains(err.Error(), "killed") {
		t.Errorf("the worker meant to die after storing its 5th chunk ended with %v", err)
	}
	checkExactlyOnce(t, ctx, res, spec.Job, rows)

	var already, redelivered, stored int
	for _, w := range []*workerProc{steady, late} {
		_, r, a, d := w.stop(t)
		stored, already, redelivered = stored+r, already+a, redelivered+d
	}
	t.Logf("survivors stored %d rows; %d redelivered chunks, %d rows found already stored", stored, redelivered, already)
	// The chunk whose worker died after storing it came back, and its
	// rows were not stored twice.
	if redelivered < 1 || already < testChunkRow {
		t.Errorf("redelivered %d chunks and found %d rows already stored; want at least 1 and %d", redelivered, already, testChunkRow)
	}
}

// checkExactlyOnce checks that rows 1..n each have one result, naming it.
func checkExactlyOnce(t *testing.T, ctx context.Context, res Results, job string, n int) {
	t.Helper()
	next := 1
	err := res.Each(ctx, job, func(r Result) error {
		if r.Row != next {
			return fmt.Errorf("result for row %d where row %d was expected", r.Row, next)
		}
		var line struct {
			Row int    `json:"row"`
			ID  string `json:"id"`
		}
		if err := json.Unmarshal(r.Line, &line); err != nil || line.Row != r.Row || line.ID != fmt.Sprintf("c%06d", r.Row) {
			return fmt.Errorf("row %d: line %q", r.Row, r.Line)
		}
		next++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if next != n+1 {
		t.Fatalf("results for rows 1..%d, want 1..%d", next-1, n)
	}
}
