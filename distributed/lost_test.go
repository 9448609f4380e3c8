package distributed

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// queueEnv is an embedded NATS with a results store, for in-process tests.
func queueEnv(t *testing.T) (*nats.Conn, jetstream.JetStream, Results) {
	t.Helper()
	nc, err := nats.Connect(testNATS(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, _ := jetstream.New(nc)
	res, err := OpenResults(context.Background(), filepath.Join(t.TempDir(), "results.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.Close() })
	return nc, js, res
}

// A chunk no worker can screen is given up after MaxDeliver deliveries,
// and the submission names it: its rows are never silently missing.
func TestLostChunkIsReported(t *testing.T) {
	nc, js, res := queueEnv(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cons, err := EnsureConsumer(ctx, js, QueueConfig{AckWait: 2 * time.Second, MaxDeliver: 2})
	if err != nil {
		t.Fatal(err)
	}
	m := NewMetrics()
	w := &Worker{Consumer: cons, Results: res, Screen: fakeScreen, Metrics: m, AckWait: 2 * time.Second, RetryDelay: 50 * time.Millisecond, FetchWait: 500 * time.Millisecond}
	wctx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { w.Run(wctx); close(done) }()
	defer func() { stop(); <-done }()

	rows := testRows(250)
	rows[120].Query.Name = "POISON" // row 121, in the chunk of rows 101-150
	sub, err := Submit(ctx, nc, js, res, Spec{Job: "lost"}, rows, 50)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	p, err := sub.Wait(ctx, 50*time.Millisecond, nil)
	if err != nil {
		t.Fatal(err)
	}
	if p.Stored != 200 || len(p.Lost) != 1 || p.Lost[0].Chunk != "lost:101-150" || !strings.Contains(p.Lost[0].Reason, "delivered 2 times") {
		t.Fatalf("stored %d rows (want 200), lost %+v (want chunk lost:101-150, delivered 2 times)", p.Stored, p.Lost)
	}
	if got := value(m.Redeliveries); got != 1 {
		t.Errorf("redeliveries %v, want 1", got)
	}
	// Submitted again, only the lost rows are published.
	sub2, err := Submit(ctx, nc, js, res, Spec{Job: "lost"}, rows, 50)
	if err != nil {
		t.Fatal(err)
	}
	sub2.Close()
	if sub2.Chunks != 1 {
		t.Errorf("resubmitted %d chunks, want the 1 lost", sub2.Chunks)
	}
}

// A message that is not a chunk is terminated, not retried forever, and a
// submission that owns it names it lost.
func TestUnreadableChunkTerminated(t *testing.T) {
	nc, js, res := queueEnv(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cons, err := EnsureConsumer(ctx, js, QueueConfig{AckWait: 2 * time.Second, MaxDeliver: 5})
	if err != nil {
		t.Fatal(err)
	}
	sub, err := Submit(ctx, nc, js, res, Spec{Job: "junk"}, testRows(10), 10)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	// Replace the job's one chunk by junk on the stream.
	st, _ := js.Stream(ctx, StreamName)
	for seq := range sub.chunkOf {
		st.DeleteMsg(ctx, seq)
	}
	ack, err := js.Publish(ctx, JobSubject("junk"), []byte("{not json"))
	if err != nil {
		t.Fatal(err)
	}
	sub.mu.Lock()
	sub.chunkOf = map[uint64]string{ack.Sequence: "junk:1-10"}
	sub.mu.Unlock()
	m := NewMetrics()
	w := &Worker{Consumer: cons, Results: res, Screen: fakeScreen, Metrics: m, FetchWait: 500 * time.Millisecond}
	wctx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { w.Run(wctx); close(done) }()
	defer func() { stop(); <-done }()
	p, err := sub.Wait(ctx, 50*time.Millisecond, nil)
	if err != nil {
		t.Fatal(err)
	}
	if p.Stored != 0 || len(p.Lost) != 1 || !strings.Contains(p.Lost[0].Reason, "unreadable") {
		t.Fatalf("stored %d, lost %+v; want the junk chunk lost as unreadable", p.Stored, p.Lost)
	}
	b, _ := json.Marshal(p.Lost)
	t.Logf("lost: %s", b)
}
