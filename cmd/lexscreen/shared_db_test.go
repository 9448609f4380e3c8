package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/store/storetest"
	"github.com/lexscreen/lexscreen/workspace"
)

// pingArgs is a job of the test queue.
type pingArgs struct {
	N int `json:"n"`
}

func (pingArgs) Kind() string { return "lexscreen_test_ping" }

type pingWorker struct {
	river.WorkerDefaults[pingArgs]
	mu   sync.Mutex
	seen []int
}

func (w *pingWorker) Work(_ context.Context, job *river.Job[pingArgs]) error {
	w.mu.Lock()
	w.seen = append(w.seen, job.Args.N)
	w.mu.Unlock()
	return nil
}

// With --store postgres://…, the workspace, the monitoring checkpoints and
// River's queue are in that database, shared by two processes (two apps
// here, each with its own data directory), and nothing of theirs is a file
// of the data directory.
func TestSharedDatabaseWiring(t *testing.T) {
	ctx := context.Background()
	dsn := storetest.PostgresSchema(t)
	newApp := func() *app {
		a := &app{ctx: ctx, dataDir: t.TempDir(), storeURL: dsn}
		t.Cleanup(func() {
			if a.ws != nil {
				a.ws.Close()
			}
			if a.auditDB != nil {
				a.auditDB.Close()
			}
			if a.db != nil {
				a.db.Close()
			}
		})
		return a
	}
	a, b := newApp(), newApp()

	// The workspace: a subject put through one is read through the other.
	wa, err := a.workspace()
	if err != nil {
		t.Fatal(err)
	}
	wb, err := b.workspace()
	if err != nil {
		t.Fatal(err)
	}
	if !wa.Postgres() || strings.Contains(wa.Path(), "workspace.db") {
		t.Fatalf("workspace at %s, want the --store database", wa.Path())
	}
	admin := workspace.Actor{ID: "system:test", Role: "admin"}
	if _, err := wa.Put(ctx, admin, lexscreen.Subject{ID: "C-77", Query: lexscreen.Query{Name: "Maria Garcia Lopez", BirthDate: "1980-03-02"}}); err != nil {
		t.Fatal(err)
	}
	if got, err := wb.Subject(ctx, "C-77"); err != nil || got.Query.Name != "Maria Garcia Lopez" {
		t.Fatalf("the other process reads %+v, %v", got, err)
	}

	// The checkpoints: one monitoring run at a time across the two.
	ma, err := a.monitorStore(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer ma.Close()
	mb, err := b.monitorStore(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer mb.Close()
	release, err := ma.Exclusive(ctx)
	if err != nil {
		t.Fatal(err)
	}
	short, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	if _, err := mb.Exclusive(short); err == nil {
		t.Error("two processes monitor at once")
	}
	cancel()
	release()

	// River's queue: migrated by both at once; a job queued by one is
	// worked by the other.
	var qa, qb *jobQueue
	var ea, eb error
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); qa, ea = a.openQueue(ctx, "") }()
	go func() { defer wg.Done(); qb, eb = b.openQueue(ctx, "") }()
	wg.Wait()
	if ea != nil || eb != nil {
		t.Fatalf("opening the queue: %v / %v", ea, eb)
	}
	defer qa.close()
	defer qb.close()
	if !strings.HasPrefix(qa.cliQueue, monitorCLIQueue+"_") || strings.Contains(qa.where, "jobs.db") {
		t.Fatalf("queue %s in %s, want the command's per-host queue in the database", qa.cliQueue, qa.where)
	}
	inserter, err := qa.newClient(&river.Config{})
	if err != nil {
		t.Fatal(err)
	}
	for n := range 3 {
		if _, err := inserter.Insert(ctx, pingArgs{N: n}, &river.InsertOpts{Queue: "test_ping"}); err != nil {
			t.Fatal(err)
		}
	}
	w := &pingWorker{}
	workers := river.NewWorkers()
	river.AddWorker(workers, w)
	worker, err := qb.newClient(&river.Config{Queues: map[string]river.QueueConfig{"test_ping": {MaxWorkers: 2}},
		Workers: workers, FetchPollInterval: 50 * time.Millisecond, FetchCooldown: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	events, stopEvents := worker.Subscribe(river.EventKindJobCompleted)
	defer stopEvents()
	if err := worker.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer func() {
		stop, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		worker.Stop(stop)
	}()
	for done := 0; done < 3; done++ {
		select {
		case <-events:
		case <-time.After(30 * time.Second):
			t.Fatalf("%d of 3 jobs worked by the other process", done)
		}
	}

	for _, app := range []*app{a, b} {
		for _, f := range []string{"workspace.db", "monitor.db", "jobs.db"} {
			if _, err := os.Stat(filepath.Join(app.dataDir, f)); !os.IsNotExist(err) {
				t.Errorf("with --store postgres://…, %s was made in the data directory: %v", f, err)
			}
		}
	}
}
