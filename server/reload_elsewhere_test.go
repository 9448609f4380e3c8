package server

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/screening"
)

// syncBuffer is a log sink the server's goroutines may write meanwhile.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestReloadBuildsElsewhere: with Config.BuildIndex, a rebuild while an
// index serves asks it for the index file and maps what it kept; when it
// fails or keeps nothing, the server builds the index itself and says so.
// An index file kept already, and the first build, never ask it.
func TestReloadBuildsElsewhere(t *testing.T) {
	var mu sync.Mutex
	var calls [][]int64
	var build func(ctx context.Context, ids []int64) error
	logs := &syncBuffer{}
	cfg := Config{PollInterval: time.Hour, Logger: slog.New(slog.NewTextHandler(logs, nil)),
		BuildIndex: func(ctx context.Context, ids []int64) error {
			mu.Lock()
			calls = append(calls, ids)
			f := build
			mu.Unlock()
			return f(ctx, ids)
		}}
	e := newEnv(t, cfg)
	// What `lexscreen index --background` does in its own process.
	keep := func(ctx context.Context, ids []int64) error {
		var snaps []lexscreen.Snapshot
		for _, id := range ids {
			s, err := e.db.Snapshot(ctx, id)
			if err != nil {
				return err
			}
			snaps = append(snaps, s)
		}
		sc, err := screening.LoadSnapshots(ctx, e.db, snaps, "test", time.Now(), nil)
		if err == nil && sc.IndexFile() == "" {
			err = errors.New("nothing kept")
		}
		return err
	}
	dropFiles := func() {
		files, _ := filepath.Glob(filepath.Join(e.dir, "index", "*.lxi"))
		if len(files) == 0 {
			t.Fatal("no index file kept beside the store: nothing to tell")
		}
		for _, f := range files {
			os.Remove(f)
		}
	}
	loads := func(from string) float64 {
		return testutil.ToFloat64(e.srv.metrics.reload.builds.WithLabelValues(from))
	}
	reload := func() *Index {
		t.Helper()
		if ok, err := e.srv.Reload(context.Background(), true); err != nil || !ok {
			t.Fatal(ok, err)
		}
		ix := e.srv.Index()
		if r := e.post("/v1/screen", "screener", `{"name": "Karim Khan"}`); r.status != 200 {
			t.Errorf("screen after reload: %d %s", r.status, r.body)
		}
		return ix
	}
	ncalls := func() int {
		mu.Lock()
		defer mu.Unlock()
		return len(calls)
	}

	if n := ncalls(); n != 0 || loads("here") != 1 {
		t.Errorf("the first build asked another process %d time(s); here %v, want 1", n, loads("here"))
	}
	// A kept file: mapped, nobody asked.
	if ix := reload(); ix.Screener.Built() || ncalls() != 0 || loads("kept_file") != 1 {
		t.Errorf("kept file: built %v, %d calls, kept_file %v", ix.Screener.Built(), ncalls(), loads("kept_file"))
	}
	// Built elsewhere, then mapped.
	dropFiles()
	build = keep
	ix := reload()
	if ix.Screener.Built() || ncalls() != 1 || loads("elsewhere") != 1 {
		t.Errorf("built elsewhere: the server built %v, %d calls, elsewhere %v", ix.Screener.Built(), ncalls(), loads("elsewhere"))
	}
	if want := ix.SnapshotIDs(); !slices.Equal(calls[0], want) {
		t.Errorf("asked for snapshots %v, the index has %v", calls[0], want)
	}
	// The other process fails: the server builds, and says why.
	dropFiles()
	build = func(context.Context, []int64) error { return errors.New("killed by a test") }
	if ix := reload(); !ix.Screener.Built() || loads("failed_elsewhere") != 1 || loads("here") != 2 {
		t.Errorf("failed elsewhere: built %v, failed_elsewhere %v, here %v", ix.Screener.Built(), loads("failed_elsewhere"), loads("here"))
	}
	if !strings.Contains(logs.String(), "killed by a test") {
		t.Errorf("the failure is not in the log:\n%s", logs.String())
	}
	// It says it kept the file, but none is there.
	dropFiles()
	build = func(context.Context, []int64) error { return nil }
	if ix := reload(); !ix.Screener.Built() || loads("here") != 3 {
		t.Errorf("nothing kept: built %v, here %v", ix.Screener.Built(), loads("here"))
	}
	if !strings.Contains(logs.String(), "was not found") {
		t.Errorf("the missing file is not in the log:\n%s", logs.String())
	}
}
