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

	"github.com/lexscreen/lexscreen/server"
)

// serve --monitor's queue (River on SQLite): one run at a time; triggers
// during a run queue one more (not one each); a failed run is tried
// again; the interval makes runs with no trigger.
func TestMonitorLoop(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv := server.New(server.Config{Logger: log})
	m := newMonitorLoop(nil, srv, nil, log, monitorRequest{}, time.Hour, filepath.Join(t.TempDir(), "jobs.db"))
	m.retry = 20 * time.Millisecond
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
	if err := m.start(ctx); err != nil {
		t.Fatal(err)
	}
	defer m.stop()
	m.trigger(ctx, "import 1")
	waitFor(t, func() bool { mu.Lock(); defer mu.Unlock(); return len(reasons) == 1 })
	for range 5 {
		m.trigger(ctx, "import 2")
	}
	close(release)
	// The queued run fails twice, then succeeds on the retries.
	waitFor(t, func() bool { mu.Lock(); defer mu.Unlock(); return len(reasons) == 4 })
	time.Sleep(300 * time.Millisecond)
	mu.Lock()
	defer mu.Unlock()
	want := []string{"import 1", "import 2", "import 2", "import 2"}
	if len(reasons) != len(want) || maxRunning != 1 {
		t.Fatalf("runs %q (at most %d at once), want %q one at a time", reasons, maxRunning, want)
	}
	for i := range want {
		if reasons[i] != want[i] {
			t.Fatalf("runs %q, want %q", reasons, want)
		}
	}

	// The interval alone makes runs.
	m2 := newMonitorLoop(nil, srv, nil, log, monitorRequest{}, 300*time.Millisecond, filepath.Join(t.TempDir(), "jobs.db"))
	scheduled := make(chan string, 10)
	m2.do = func(_ context.Context, reason string) error { scheduled <- reason; return nil }
	if err := m2.start(ctx); err != nil {
		t.Fatal(err)
	}
	defer m2.stop()
	select {
	case r := <-scheduled:
		if !strings.HasPrefix(r, "scheduled") {
			t.Errorf("a run for %q", r)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("no scheduled run")
	}
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
	var loaded []map[string]any // the "index loaded" records
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
				if rec["msg"] == "index loaded" {
					loaded = append(loaded, rec)
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
	// The new index was built by `lexscreen --background index` in
	// another process (serve --reload-process, the default) and mapped.
	var last map[string]any
	if len(loaded) >= 2 {
		last = loaded[len(loaded)-1]
	}
	if elsewhere, _ := last["built_elsewhere_seconds"].(float64); last["built"] != false || elsewhere <= 0 {
		t.Errorf("the index after the import was not built in another process: %v", loaded)
	}
	out, _, _ := lex(t, dir, "alerts", "list", "--subject", "c01", "--json")
	if !strings.Contains(out, "bank-internal:b2") {
		t.Errorf("c01's alert on the new listing: %s", out)
	}
}
