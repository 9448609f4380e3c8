package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// lexscreen monitor runs as a job of the River queue in jobs.db: each run
// is a job that ends completed (or, failing, cancelled with the error the
// command reports); a job left by a command that died before working it
// is cancelled with the reason, not run in its place.
func TestMonitorRunsOnRiver(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := bundledDir(t)
	book := filepath.Join(t.TempDir(), "book.csv")
	os.WriteFile(book, []byte("id,name\nc1,Vladimir Vladimirovich Putin\nc2,Kathryn Barr\n"), 0o600)
	monitorJSON := func() monitorReport {
		t.Helper()
		stdout, stderr, code := lex(t, dir, "monitor", "--book", book, "--json")
		if code != 0 {
			t.Fatalf("monitor: exit %d\n%s\n%s", code, stdout, stderr)
		}
		var rep monitorReport
		if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
			t.Fatalf("%v\n%s", err, stdout)
		}
		return rep
	}
	first := monitorJSON()
	if first.Job == 0 || first.Stats == nil || first.Stats.Matched != 1 {
		t.Fatalf("first run: job %d, stats %+v", first.Job, first.Stats)
	}

	// A job left by a command that died (no such process) before its
	// client took it.
	db, driver, err := openJobQueue(ctx, filepath.Join(dir, "jobs.db"))
	if err != nil {
		t.Fatal(err)
	}
	client, err := river.NewClient(driver, &river.Config{})
	if err != nil {
		t.Fatal(err)
	}
	stale, err := client.Insert(ctx, monitorCLIArgs{Book: book, PID: 1 << 30}, nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()

	second := monitorJSON()
	if second.Job <= stale.Job.ID || second.Skipped == "" {
		t.Fatalf("second run: job %d (the stale one %d), skipped %q", second.Job, stale.Job.ID, second.Skipped)
	}
	// A run that fails ends its job cancelled, with the command's error.
	_, stderr, code := lex(t, dir, "monitor", "--book", filepath.Join(t.TempDir(), "missing.csv"))
	if code == 0 || !strings.Contains(stderr, "cannot read the book") {
		t.Fatalf("failing run: exit %d: %s", code, stderr)
	}

	db, driver, err = openJobQueue(ctx, filepath.Join(dir, "jobs.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	client, err = river.NewClient(driver, &river.Config{})
	if err != nil {
		t.Fatal(err)
	}
	list, err := client.JobList(ctx, river.NewJobListParams().Queues(monitorCLIQueue).First(10))
	if err != nil {
		t.Fatal(err)
	}
	states := map[int64]rivertype.JobState{}
	var failedErr string
	for _, j := range list.Jobs {
		states[j.ID] = j.State
		if j.ID > second.Job && len(j.Errors) > 0 {
			failedErr = j.Errors[len(j.Errors)-1].Error
		}
	}
	if len(list.Jobs) != 4 || states[first.Job] != rivertype.JobStateCompleted || states[second.Job] != rivertype.JobStateCompleted ||
		states[stale.Job.ID] != rivertype.JobStateCancelled || !strings.Contains(failedErr, "cannot read the book") {
		t.Errorf("jobs %v, the failed one's error %q", states, failedErr)
	}
}
