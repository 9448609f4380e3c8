package distributed

import (
	"context"
	"errors"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// /healthz says whether the worker can work; /readyz also whether the
// stream can be read; /metrics counts monitoring chunks apart.
func TestWorkerHealthAndMetrics(t *testing.T) {
	nc, js, res := queueEnv(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cons, err := EnsureConsumer(ctx, js, QueueConfig{AckWait: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	m := NewMetrics()
	// A monitoring part of 40 subjects, and a batch chunk of 10 rows.
	screen := func(_ context.Context, c Chunk) ([]Result, error) {
		if c.Kind == KindMonitor {
			return []Result{{Row: c.Part, Line: []byte(`{"screened":40}`)}}, nil
		}
		return fakeScreen(ctx, c)
	}
	w := &Worker{Consumer: cons, Results: res, Screen: screen, Metrics: m, FetchWait: 200 * time.Millisecond}
	wctx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { w.Run(wctx); close(done) }()
	defer func() { stop(); <-done }()
	part := Chunk{Spec: Spec{Job: "mon"}, Kind: KindMonitor, Part: 3, Units: 40, Work: []byte(`{}`)}
	sub, err := SubmitParts(ctx, nc, js, res, "mon", []Chunk{part})
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	if p, err := sub.Wait(ctx, 20*time.Millisecond, nil); err != nil || p.Stored != 1 {
		t.Fatalf("monitoring part: %+v, %v", p, err)
	}
	bsub, err := Submit(ctx, nc, js, res, Spec{Job: "b"}, testRows(10), 10)
	if err != nil {
		t.Fatal(err)
	}
	defer bsub.Close()
	if p, err := bsub.Wait(ctx, 20*time.Millisecond, nil); err != nil || p.Stored != 10 {
		t.Fatalf("batch chunk: %+v, %v", p, err)
	}

	streamGone := errors.New("NATS: read the work stream: stream not found")
	h := m.Handler(func() error { return nil }, func() error { return streamGone })
	get := func(path string) (int, string) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		b, _ := io.ReadAll(rec.Result().Body)
		return rec.Code, string(b)
	}
	if code, body := get("/healthz"); code != 200 {
		t.Errorf("/healthz: %d %s", code, body)
	}
	if code, body := get("/readyz"); code != 503 || !strings.Contains(body, "stream not found") {
		t.Errorf("/readyz with the stream unreadable: %d %s", code, body)
	}
	if err := StreamReady(ctx, js); err != nil {
		t.Errorf("StreamReady on a server with the stream: %v", err)
	}
	_, metrics := get("/metrics")
	for _, want := range []string{
		`lexscreen_worker_chunks_by_kind_total{kind="monitor"} 1`,
		`lexscreen_worker_chunks_by_kind_total{kind="batch"} 1`,
		`lexscreen_worker_monitor_subjects_total 40`,
		`lexscreen_worker_rows_total 10`,
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}
