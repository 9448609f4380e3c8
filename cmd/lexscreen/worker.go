package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"runtime"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/spf13/cobra"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/batchfile"
	"github.com/lexscreen/lexscreen/distributed"
	"github.com/lexscreen/lexscreen/monitor"
	"github.com/lexscreen/lexscreen/regime"
	"github.com/lexscreen/lexscreen/screening"
)

// workerFlags are the flags of `lexscreen worker`.
type workerFlags struct {
	natsURL, results, listen string
	slots, maxDeliver        int
	ackWait                  time.Duration
}

func (a *app) workerCommand() *cobra.Command {
	var f workerFlags
	cmd := &cobra.Command{
		Use:   "worker --nats URL --results DSN",
		Short: "Screen chunks of distributed batches and monitoring runs pulled from NATS JetStream",
		Long: `Run a worker of distributed batches (` + "`lexscreen batch --distributed`" + `): it builds the index of
the lists in its data directory once, then pulls chunks of rows from the NATS JetStream work
stream (` + distributed.StreamName + `, consumer ` + distributed.ConsumerName + `), screens each row exactly as
` + "`lexscreen batch`" + ` does, stores the results in the results store, and acks a chunk only once its
results are stored. Start as many workers as you like, on one machine or many; stop one with
SIGTERM (it finishes its chunks) or lose it any way you like: a chunk not acked within --ack-wait
is given to another worker, and results are keyed by (job, row), so a chunk screened twice never
gives a row two results.

A worker screens only chunks submitted against the same lists (source and version) as its own:
a chunk from a submitter with other lists is given back for another worker, and counted as an
error. Keep the data directories of workers and submitters on the same lists (lexscreen update,
or one shared data directory per machine).

--results is a SQLite file (shared by the processes of one machine) or a postgres:// URL (for
workers on several machines); the submitter must use the same store.

Workers also screen the chunks of distributed monitoring runs (` + "`lexscreen monitor --distributed`" + `,
` + "`serve --monitor --distributed`" + `): subjects of the book screened against the lists in use, which must
be the coordinator's lists.

--listen serves /metrics (Prometheus: chunks by kind (batch, monitor), rows, monitoring subjects,
redeliveries, errors by kind), /healthz (200 once the index is built and NATS is connected, 503
with the reason otherwise) and /readyz (as /healthz, and the work stream can be read now).`,
		Example: `  lexscreen worker --nats nats://127.0.0.1:4222 --results /var/lib/lexscreen/results.db
  lexscreen worker --nats nats://queue:4222 --results postgres://lexscreen@db/lexscreen --listen :9464`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runWorker(f)
		},
	}
	cmd.Flags().StringVar(&f.natsURL, "nats", os.Getenv("LEXSCREEN_NATS"), "NATS server URL(s), comma-separated ($LEXSCREEN_NATS)")
	cmd.Flags().StringVar(&f.results, "results", os.Getenv("LEXSCREEN_RESULTS"), "results store: a SQLite file or a postgres:// URL ($LEXSCREEN_RESULTS)")
	cmd.Flags().StringVar(&f.listen, "listen", "", "address for /metrics and /healthz, e.g. 127.0.0.1:9464 (default: none)")
	cmd.Flags().IntVar(&f.slots, "slots", 0, "chunks screened at once (default: all cores)")
	cmd.Flags().DurationVar(&f.ackWait, "ack-wait", distributed.DefaultAckWait, "how long a chunk may go without news from its worker before another gets it")
	cmd.Flags().IntVar(&f.maxDeliver, "max-deliver", distributed.DefaultMaxDeliver, "deliveries of a chunk before it is given up (its rows are reported missing)")
	return cmd
}

func (a *app) runWorker(f workerFlags) error {
	if f.natsURL == "" {
		return lexscreen.Errorf(lexscreen.EINVALID, "--nats is required: the URL of the NATS server with JetStream (e.g. nats://127.0.0.1:4222)")
	}
	if f.slots <= 0 {
		f.slots = runtime.GOMAXPROCS(0)
	}
	ctx := a.ctx
	res, err := distributed.OpenResults(ctx, f.results)
	if err != nil {
		return err
	}
	defer res.Close()
	metrics := distributed.NewMetrics()
	ready := false
	var readyMu sync.Mutex
	var nc *nats.Conn
	var js jetstream.JetStream
	if f.listen != "" {
		ln, err := net.Listen("tcp", f.listen)
		if err != nil {
			return lexscreen.Errorf(lexscreen.EINVALID, "--listen %s: %v", f.listen, err)
		}
		srv := &http.Server{Handler: metrics.Handler(func() error {
			readyMu.Lock()
			defer readyMu.Unlock()
			switch {
			case !ready:
				return errors.New("starting: building the index or connecting to NATS")
			case !nc.IsConnected():
				return fmt.Errorf("NATS %s", nc.Status())
			}
			return nil
		}, func() error {
			readyMu.Lock()
			j := js
			readyMu.Unlock()
			return distributed.StreamReady(ctx, j)
		}), ReadHeaderTimeout: 10 * time.Second}
		go srv.Serve(ln)
		defer srv.Close()
		a.note("Metrics on http://%s/metrics, health on /healthz and /readyz.", ln.Addr())
	}
	screens := &workerScreens{a: a}
	// The index of today's lists, built once before taking any chunk.
	if _, err := screens.at(time.Time{}); err != nil {
		return err
	}
	nc, err = nats.Connect(f.natsURL, nats.Name("lexscreen worker"), nats.MaxReconnects(-1),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) { a.note("NATS disconnected: %v", err) }),
		nats.ReconnectHandler(func(c *nats.Conn) { a.note("NATS reconnected to %s", c.ConnectedUrl()) }))
	if err != nil {
		return lexscreen.Errorf(lexscreen.EUNAVAILABLE, "--nats %s: %v", f.natsURL, err)
	}
	defer nc.Close()
	j, err := jetstream.New(nc)
	if err != nil {
		return lexscreen.Errorf(lexscreen.EUNAVAILABLE, "--nats %s: %v", f.natsURL, err)
	}
	cons, err := distributed.EnsureConsumer(ctx, j, distributed.QueueConfig{AckWait: f.ackWait, MaxDeliver: f.maxDeliver})
	if err != nil {
		return err
	}
	readyMu.Lock()
	ready, js = true, j
	readyMu.Unlock()
	a.note("Worker ready: %d slot(s), pulling from %s on %s.", f.slots, distributed.StreamName, nc.ConnectedUrl())
	w := &distributed.Worker{Consumer: cons, Results: res, Screen: screens.screen, Metrics: metrics,
		Slots: f.slots, AckWait: f.ackWait,
		Log: func(format string, args ...any) { fmt.Fprintf(a.errOut, "lexscreen worker: "+format+"\n", args...) }}
	return w.Run(ctx)
}

// workerScreens holds a worker's screeners, one per date of lists (today's
// first), and the legal engines of the jobs it has seen.
type workerScreens struct {
	a  *app
	mu sync.Mutex
	// byDate: the screener of the lists of a date ("" today).
	byDate map[string]*screening.Screener
	opts   map[string]screening.Options // by job
	// rechecked is when the store's lists were last read again (today).
	rechecked time.Time
}

func (w *workerScreens) at(asOf time.Time) (*screening.Screener, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	key := ""
	if !asOf.IsZero() {
		key = asOf.Format(time.DateOnly)
	}
	if s, ok := w.byDate[key]; ok {
		return s, nil
	}
	s, err := w.a.screenerAt(asOf)
	if err != nil {
		return nil, err
	}
	if w.byDate == nil {
		w.byDate = map[string]*screening.Screener{}
	}
	w.byDate[key] = s
	return s, nil
}

// listsRecheck is how long a worker waits before it reads its store's lists
// again for a chunk of other lists than its own.
const listsRecheck = 30 * time.Second

// today returns the screener of the lists in use. When a chunk names
// other lists (the lists were updated since the worker started), the
// store is read again, at most every listsRecheck, and a new index built
// if its lists changed: a long-running worker follows lexscreen update.
func (w *workerScreens) today(want string) (*screening.Screener, error) {
	s, err := w.at(time.Time{})
	if err != nil || distributed.ListsFingerprint(s.Lists()) == want {
		return s, err
	}
	w.mu.Lock()
	if time.Since(w.rechecked) < listsRecheck {
		w.mu.Unlock()
		return s, nil
	}
	w.rechecked = time.Now()
	w.mu.Unlock()
	fresh, err := w.a.screenerAt(time.Time{})
	if err != nil {
		return nil, err
	}
	w.mu.Lock()
	w.byDate[""] = fresh
	w.mu.Unlock()
	return fresh, nil
}

// screen is the worker's distributed.ScreenFunc: batch rows, or a
// monitoring run's subjects (against today's lists: a monitoring run
// screens against the lists in use).
func (w *workerScreens) screen(ctx context.Context, c distributed.Chunk) ([]distributed.Result, error) {
	switch c.Kind {
	case "":
	case distributed.KindMonitor:
		s, err := w.today(c.Spec.Lists)
		if err != nil {
			return nil, err
		}
		return monitor.ScreenChunk(ctx, s, c)
	default:
		return nil, lexscreen.Errorf(lexscreen.EINVALID, "chunk %s is of a kind this worker does not know (%q): a newer lexscreen made it", c.Name(), c.Kind)
	}
	opts, asOf, err := w.options(c.Spec)
	if err != nil {
		return nil, err
	}
	var s *screening.Screener
	if asOf.IsZero() {
		s, err = w.today(c.Spec.Lists)
	} else {
		s, err = w.at(asOf)
	}
	if err != nil {
		return nil, err
	}
	if got := distributed.ListsFingerprint(s.Lists()); got != c.Spec.Lists {
		return nil, lexscreen.Errorf(lexscreen.ECONFLICT, "job %s was submitted against lists %s; this worker has %s", c.Spec.Job, c.Spec.Lists, got)
	}
	out := make([]distributed.Result, len(c.Rows))
	for i, r := range c.Rows {
		o := screenRow(s, batchfile.Row{Seq: r.Seq, Line: r.Line, Query: r.Query, Err: r.Err}, c.Spec.Schema, opts, c.Spec.Input)
		var st distributed.Status
		if o.hit {
			st |= distributed.Matched
		}
		if o.warn {
			st |= distributed.Warned
		}
		if o.bad {
			st |= distributed.NotScreened
		}
		out[i] = distributed.Result{Row: r.Seq, Line: o.line, Status: st}
	}
	return out, nil
}

// options turns a job's spec into screening options, as the batch
// command's flags would, and the date whose lists to screen against.
// Operator profiles and what-if overlays come by value: a worker reads no
// file a message names.
func (w *workerScreens) options(spec distributed.Spec) (screening.Options, time.Time, error) {
	w.mu.Lock()
	cached, ok := w.opts[spec.Job]
	w.mu.Unlock()
	var asOf time.Time
	if spec.Date != "" {
		d, err := regime.ParseDate(spec.Date)
		if err != nil {
			return cached, asOf, err
		}
		asOf = d
	}
	lists := asOf
	if spec.CurrentLists {
		lists = time.Time{}
	}
	if ok {
		return cached, lists, nil
	}
	o := screening.Options{Threshold: spec.Threshold, Limit: spec.Limit, MaxListAge: time.Duration(spec.MaxListAgeNs), OmitListWarnings: true}
	if spec.Operator != "" {
		var op regime.Operator
		var err error
		if len(spec.OperatorYAML) > 0 {
			op, err = regime.ParseOperatorYAML(spec.Operator, spec.OperatorYAML)
		} else {
			op, err = regime.ParseBuiltinOperator(spec.Operator)
		}
		if err != nil {
			return o, lists, err
		}
		var names []string
		var data [][]byte
		for _, ov := range spec.Regimes {
			names, data = append(names, ov.Name), append(data, ov.YAML)
		}
		eng, err := regime.LoadNamed(names, data)
		if err != nil {
			return o, lists, err
		}
		date := time.Now().UTC().Truncate(24 * time.Hour)
		if !asOf.IsZero() {
			date = asOf
		}
		o.Regimes, o.Operator, o.Date = eng, op, date
	}
	w.mu.Lock()
	if w.opts == nil {
		w.opts = map[string]screening.Options{}
	}
	w.opts[spec.Job] = o
	w.mu.Unlock()
	return o, lists, nil
}
