package monitor

import (
	"context"
	"testing"
	"time"

	"github.com/lexscreen/lexscreen/store/storetest"
)

// A run stopped half-way by one server is resumed by another sharing the
// PostgreSQL database: every pair delivered once across the two, the same
// pairs as a run never interrupted.
func TestPostgresStoreResumeOnAnotherServer(t *testing.T) {
	ctx := context.Background()
	dsn := storetest.PostgresSchema(t)
	open := func() *Store {
		st, err := OpenPostgresStore(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}
	job, err := resumeJob(t)
	if err != nil {
		t.Fatal(err)
	}
	stop, cancel := context.WithCancel(ctx)
	defer cancel()
	first := NewMemSink()
	_, err = (&Runner{Store: open(), Sink: first, Chunk: 20, AfterChunk: func(_ string, c, _ int) {
		if c == 5 {
			cancel()
		}
	}}).Run(stop, job)
	if err == nil {
		t.Fatal("the stopped run says it finished")
	}
	other := open()
	second := NewMemSink()
	stats, err := (&Runner{Store: other, Sink: second, Chunk: 20}).Run(ctx, job)
	if err != nil {
		t.Fatal(err)
	}
	if !stats.Resumed || stats.Skipped < 6 {
		t.Fatalf("resumed %v, %d chunks skipped: want the stopped run continued after its 6 checkpoints", stats.Resumed, stats.Skipped)
	}
	got := map[[2]string]int{}
	for _, r := range append(append([]SubjectResult{}, first.Results...), second.Results...) {
		for _, m := range r.Result.Matches {
			got[[2]string{r.Subject.ID, m.Entity.ID}]++
		}
	}
	ref := NewMemSink()
	if _, err := (&Runner{Store: openTestStore(t), Sink: ref, Chunk: 20}).Run(ctx, job); err != nil {
		t.Fatal(err)
	}
	want := pairs(ref.Results)
	for k, n := range got {
		if n != 1 {
			t.Errorf("%s ~ %s delivered %d times", k[0], k[1], n)
		}
	}
	if len(got) != len(want) || len(want) < 20 {
		t.Errorf("%d pairs across the two servers, %d in a run never stopped", len(got), len(want))
	}
	// The run is done for both; the set monitored is shared.
	runs, err := open().Runs(ctx)
	if err != nil || len(runs) != 1 || runs[0].State != "done" {
		t.Fatalf("runs %+v %v", runs, err)
	}
	if err := other.SetFacts(ctx, "h1"); err != nil {
		t.Fatal(err)
	}
	if err := other.SetFacts(ctx, "h2"); err != nil {
		t.Fatal(err)
	}
	if h, err := open().Facts(ctx); h != "h2" || err != nil {
		t.Fatalf("facts %q %v", h, err)
	}
}

// Exclusive: one monitoring run at a time across the servers.
func TestPostgresStoreExclusive(t *testing.T) {
	ctx := context.Background()
	dsn := storetest.PostgresSchema(t)
	a, err := OpenPostgresStore(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := OpenPostgresStore(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	release, err := a.Exclusive(ctx)
	if err != nil {
		t.Fatal(err)
	}
	short, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	if _, err := b.Exclusive(short); err == nil {
		t.Fatal("two servers monitor at once")
	}
	release()
	release2, err := b.Exclusive(ctx)
	if err != nil {
		t.Fatalf("after the first server let go: %v", err)
	}
	release2()
}
