package distributed

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// ScreenFunc screens the rows of a chunk, in order, one result per row.
// An error means the chunk could not be screened here (the lists differ
// from the submitter's, the legal data can't be loaded): the chunk is
// given back for another worker, or for a later try.
type ScreenFunc func(ctx context.Context, c Chunk) ([]Result, error)

// Worker pulls chunks from the work consumer, screens them, stores their
// results and acks them only once stored.
type Worker struct {
	Consumer jetstream.Consumer
	Results  Results
	Screen   ScreenFunc
	Metrics  *Metrics // may be nil
	// Slots is how many chunks it screens at once (default 1); AckWait is
	// the consumer's, for the in-progress acks (default DefaultAckWait).
	Slots   int
	AckWait time.Duration
	// RetryDelay is how long a chunk given back waits before it is
	// delivered again (default 10s: another worker may have the lists).
	RetryDelay time.Duration
	// FetchWait is how long a pull waits for a chunk (default 5s): also
	// how long a worker with nothing to do takes to stop.
	FetchWait time.Duration
	// Log, if not nil, is told of every chunk not acked and why.
	Log func(format string, args ...any)
	// afterStore, in tests, runs between storing a chunk's results and
	// acking it (the worst moment to die).
	afterStore func(Chunk)
}

// DefaultRetryDelay is Worker.RetryDelay's default.
const DefaultRetryDelay = 10 * time.Second

// Run works until ctx is done; it returns nil then. NATS being unreachable
// is waited out (the client reconnects), and counted.
func (w *Worker) Run(ctx context.Context) error {
	slots := max(w.Slots, 1)
	var wg sync.WaitGroup
	for range slots {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w.loop(ctx)
		}()
	}
	wg.Wait()
	return nil
}

func (w *Worker) loop(ctx context.Context) {
	for ctx.Err() == nil {
		batch, err := w.Consumer.Fetch(1, jetstream.FetchMaxWait(cmp.Or(w.FetchWait, 5*time.Second)))
		if err != nil {
			w.count("fetch")
			w.logf("fetching a chunk: %v", err)
			sleep(ctx, time.Second)
			continue
		}
		for msg := range batch.Messages() {
			w.handle(ctx, msg)
		}
		if err := batch.Error(); err != nil && !errors.Is(err, jetstream.ErrNoMessages) && ctx.Err() == nil {
			w.count("fetch")
			w.logf("fetching a chunk: %v", err)
			sleep(ctx, time.Second)
		}
	}
}

// handle screens, stores and acks one chunk. A chunk taken is finished
// even when ctx is done (a worker stopped with SIGTERM finishes its chunks).
func (w *Worker) handle(ctx context.Context, msg jetstream.Msg) {
	ctx = context.WithoutCancel(ctx)
	start := time.Now()
	if md, err := msg.Metadata(); err == nil && md.NumDelivered > 1 && w.Metrics != nil {
		w.Metrics.Redeliveries.Inc()
	}
	var c Chunk
	if err := json.Unmarshal(msg.Data(), &c); err != nil || c.Spec.Job == "" {
		w.count("decode")
		w.logf("a chunk on %s is not readable (%v): terminated, its submitter will report its rows", msg.Subject(), err)
		// Term without a reason: nats-server 2.9 (Debian 12) does not
		// know "+TERM reason" and would deliver the chunk again and again.
		msg.Term()
		return
	}
	// Keep the chunk ours while it is screened.
	stop := w.keepAlive(msg)
	results, err := w.Screen(ctx, c)
	if err != nil {
		stop()
		w.count("screen")
		w.logf("chunk %s given back: %v", c.Name(), err)
		msg.NakWithDelay(cmp.Or(w.RetryDelay, DefaultRetryDelay))
		return
	}
	inserted, err := w.Results.Put(ctx, c.Spec.Job, results)
	stop()
	if err != nil {
		w.count("store")
		w.logf("chunk %s given back: %v", c.Name(), err)
		msg.NakWithDelay(cmp.Or(w.RetryDelay, DefaultRetryDelay))
		return
	}
	if w.afterStore != nil {
		w.afterStore(c)
	}
	// Acked once stored; a lost ack only means the chunk comes back and
	// its rows are found already stored.
	ackCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	err = msg.DoubleAck(ackCtx)
	cancel()
	if err != nil {
		w.count("ack")
		w.logf("chunk %s stored but its ack failed (it will be redelivered; no row is duplicated): %v", c.Name(), err)
	}
	if m := w.Metrics; m != nil {
		m.Chunks.Inc()
		switch c.Kind {
		case "":
			m.ChunksByKind.WithLabelValues("batch").Inc()
			m.Rows.Add(float64(inserted))
			m.RowsAlreadyStored.Add(float64(len(results) - inserted))
		default:
			m.ChunksByKind.WithLabelValues(c.Kind).Inc()
			if c.Kind == KindMonitor {
				m.MonitorSubjects.Add(float64(c.Units))
			}
			m.PartsAlreadyStored.Add(float64(len(results) - inserted))
		}
		m.ChunkSeconds.Observe(time.Since(start).Seconds())
	}
}

// keepAlive sends in-progress acks every third of AckWait until stopped.
func (w *Worker) keepAlive(msg jetstream.Msg) (stop func()) {
	every := w.AckWait
	if every <= 0 {
		every = DefaultAckWait
	}
	every /= 3
	done := make(chan struct{})
	var once sync.Once
	go func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				msg.InProgress()
			}
		}
	}()
	return func() { once.Do(func() { close(done) }) }
}

func (w *Worker) count(kind string) {
	if w.Metrics != nil {
		w.Metrics.Errors.WithLabelValues(kind).Inc()
	}
}

func (w *Worker) logf(format string, args ...any) {
	if w.Log != nil {
		w.Log(format, args...)
	}
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
