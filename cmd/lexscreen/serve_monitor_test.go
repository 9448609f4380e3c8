package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// serve --monitor's loop: one run at a time; triggers during a run queue
// one more (not one each); a failed run is tried again; the interval
// makes runs with no trigger.
func TestMonitorLoop(t *testing.T) {
	m := &monitorLoop{log: slog.New(slog.NewTextHandler(io.Discard, nil)), every: time.Hour, retry: 20 * time.Millisecond,
		kick: make(chan string, 1)}
	var mu sync.Mutex
	var reasons []string
	running, maxRunning := 0, 0
	release := make(chan struct{})
	fail := 2
	m.do = func(ctx context.Context, reason string) error {
		mu.Lock()
		running++
		maxRunning = max(maxRunning, running)
		reasons = append(reasons, reason)
		n := len(reasons)
		mu.Unlock()
		if n == 1 {
			<-release // the first run lasts while triggers come
		}
		mu.Lock()
		defer mu.Unlock()
		running--
		if n >= 2 && fail > 0 {
			fail--
			return errors.New("store locked")
		}
		return nil
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go m.run(ctx)
	m.trigger("import 1")
	waitFor(t, func() bool { mu.Lock(); defer mu.Unlock(); return len(reasons) == 1 })
	for range 5 {
		m.trigger("import 2")
	}
	close(release)
	// The queued run fails twice, then succeeds on the retries.
	waitFor(t, func() bool { mu.Lock(); defer mu.Unlock(); return len(reasons) == 4 })
	time.Sleep(100 * time.Millisecond)
	mu.Lock()
	defer mu.Unlock()
	want := []string{"import 1", "import 2", "retry after a failed run", "retry after a failed run"}
	if len(reasons) != len(want) || maxRunning != 1 {
		t.Fatalf("runs %q (at most %d at once), want %q one at a time", reasons, maxRunning, want)
	}
	for i := range want {
		if reasons[i] != want[i] {
			t.Fatalf("runs %q, want %q", reasons, want)
		}
	}

	// The interval alone makes runs.
	m2 := &monitorLoop{log: m.log, every: 30 * time.Millisecond, retry: time.Hour, kick: make(chan string, 1)}
	var ticks sync.WaitGroup
	ticks.Add(2)
	n := 0
	m2.do = func(context.Context, string) error {
		n++
		if n <= 2 {
			ticks.Done()
		}
		return nil
	}
	go m2.run(ctx)
	ticks.Wait()
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatal("timed out")
}

// serve --monitor, as a process: the first index starts a full run of
// the workspace's book; a list imported meanwhile (another process) is
// picked up by the poll and monitored as a delta, opening the alert of
// the customer it lists; both runs are in the log.
func TestServeMonitor(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the index of the bundled lists twice in a server process")
	}
	dir := bundledDir(t)
	book := filepath.Join(t.TempDir(), "book.csv")
	os.WriteFile(book, []byte("id,name,dob\nc01,Ingeborg Abrahamsn,1972-11-21\nc02,Kathryn Barr,\nc03,Pierre Dubois,\n"), 0o600)
	if _, errOut, code := runLexInput(t, dir, strings.NewReader("a long enough password\n"), "users", "create", "ana", "--role", "analyst", "--password-stdin"); code != 0 {
		t.Fatal(errOut)
	}
	if _, errOut, code := lex(t, dir, "subjects", "import", book, "--operator", "us-bank", "--no-screen", "--as", "ana"); code != 0 {
		t.Fatal(errOut)
	}
	cmd := lexCommand(dir, "serve", "--addr", "127.0.0.1:0", "--monitor", "--monitor-every", "1h", "--poll", "200ms", "--reload-cpu", "1")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	lines := make(chan map[string]any, 100)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			var rec map[string]any
			if json.Unmarshal(sc.Bytes(), &rec) == nil {
				lines <- rec
			}
		}
		close(lines)
	}()
	runDone := func() map[string]any {
		t.Helper()
		timeout := time.After(90 * time.Second)
		for {
			select {
			case rec, ok := <-lines:
				if !ok {
					t.Fatal("the server stopped")
				}
				if rec["level"] == "ERROR" {
					t.Fatalf("server error: %v", rec)
				}
				if rec["msg"] == "monitoring run done" {
					return rec
				}
			case <-timeout:
				t.Fatal("no monitoring run in 90 s")
			}
		}
	}
	first := runDone()
	if first["kind"] != "full" || first["subjects"] != 3.0 {
		t.Fatalf("first run: %v", first)
	}
	if _, errOut, code := lex(t, dir, "import", "testdata/custom/bank-internal.csv"); code != 0 {
		t.Fatal(errOut)
	}
	delta := runDone()
	if delta["kind"] != "delta" || delta["added"] != 2.0 || delta["alerts_opened"] != 1.0 {
		t.Fatalf("run after the import: %v", delta)
	}
	out, _, _ := lex(t, dir, "alerts", "list", "--subject", "c01", "--json")
	if !strings.Contains(out, "bank-internal:b2") {
		t.Errorf("c01's alert on the new listing: %s", out)
	}
}
