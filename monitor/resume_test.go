package monitor

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestMain runs the child of TestKillResume when asked to.
func TestMain(m *testing.M) {
	if dir := os.Getenv("LEXSCREEN_MONITOR_CHILD"); dir != "" {
		os.Exit(childRun(dir))
	}
	os.Exit(m.Run())
}

// resumeJob is the run TestKillResume kills and resumes: a full
// re-screen of a small book, in small chunks.
func resumeJob(tb testing.TB) (Job, error) {
	f := listUpdate(tb)
	bi, err := BuildIndex(context.Background(), testBook(tb, f, 480), 0)
	return Job{Kind: KindFull, Book: bi, Screener: f.screener, Delta: f.delta}, err
}

// childRun runs resumeJob in dir slowly, printing each checkpoint, until
// the parent kills it.
func childRun(dir string) int {
	ctx := context.Background()
	job, err := resumeJob(&testing.T{})
	if err != nil {
		fmt.Println("error", err)
		return 1
	}
	st, err := OpenStore(ctx, filepath.Join(dir, "monitor.db"))
	if err != nil {
		fmt.Println("error", err)
		return 1
	}
	sink, err := OpenJSONLSink(filepath.Join(dir, "findings.jsonl"))
	if err != nil {
		fmt.Println("error", err)
		return 1
	}
	r := &Runner{Store: st, Sink: sink, Chunk: 20, AfterChunk: func(run string, c, n int) {
		fmt.Printf("chunk %d of %d\n", c, n)
		time.Sleep(40 * time.Millisecond)
	}}
	if _, err := r.Run(ctx, job); err != nil {
		fmt.Println("error", err)
		return 1
	}
	fmt.Println("finished")
	return 0
}

// TestKillResume kills a monitoring run (kill -9) half-way and resumes it:
// the findings file ends with every (subject, entity) pair of the run
// exactly once, the same pairs as a run never interrupted.
func TestKillResume(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "LEXSCREEN_MONITOR_CHILD="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	killed := false
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "error") || line == "finished" {
			t.Fatalf("child: %s (before it was killed)", line)
		}
		if strings.HasPrefix(line, "chunk 8 ") {
			cmd.Process.Kill() // SIGKILL: no chance to clean up
			killed = true
			break
		}
	}
	cmd.Wait()
	if !killed {
		t.Fatal("the child never reached chunk 8")
	}

	ctx := context.Background()
	job, err := resumeJob(t)
	if err != nil {
		t.Fatal(err)
	}
	st, err := OpenStore(ctx, filepath.Join(dir, "monitor.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	path := filepath.Join(dir, "findings.jsonl")
	sink, err := OpenJSONLSink(path)
	if err != nil {
		t.Fatal(err)
	}
	stats, err := (&Runner{Store: st, Sink: sink, Chunk: 20}).Run(ctx, job)
	sink.Close()
	if err != nil {
		t.Fatal(err)
	}
	if !stats.Resumed || stats.Skipped < 8 {
		t.Errorf("resumed %v, %d chunks skipped: want the killed run continued after its 8 checkpoints", stats.Resumed, stats.Skipped)
	}

	// The file: each pair once.
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	got := map[[2]string]int{}
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var fd Finding
		if err := json.Unmarshal([]byte(line), &fd); err != nil {
			t.Fatalf("bad line %q: %v", line, err)
		}
		if fd.Run != stats.Run {
			t.Errorf("line of run %q, want %q", fd.Run, stats.Run)
		}
		for _, m := range fd.Result.Matches {
			got[[2]string{fd.Subject.ID, m.Entity.ID}]++
		}
	}
	// A run never interrupted.
	ref := NewMemSink()
	refStats, err := (&Runner{Store: openTestStore(t), Sink: ref, Chunk: 20}).Run(ctx, job)
	if err != nil {
		t.Fatal(err)
	}
	want := pairs(ref.Results)
	for k, n := range got {
		if n != 1 {
			t.Errorf("%s ~ %s written %d times", k[0], k[1], n)
		}
		if _, ok := want[k]; !ok {
			t.Errorf("%s ~ %s found only by the resumed run", k[0], k[1])
		}
	}
	for k := range want {
		if got[k] == 0 {
			t.Errorf("%s ~ %s lost by the kill", k[0], k[1])
		}
	}
	if stats.Pairs != refStats.Pairs || len(want) < 20 {
		t.Errorf("resumed run counts %d pairs, uninterrupted %d (%d distinct)", stats.Pairs, refStats.Pairs, len(want))
	}
	t.Logf("killed at chunk 8 of %d; resumed: %d chunks skipped, %d pairs, each once", stats.Chunks, stats.Skipped, len(got))
}
