package main

import (
	"context"
	"database/sql"
	"log/slog"
	"net/url"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/server"
	"github.com/lexscreen/lexscreen/store"
)

// monitorLoop is serve --monitor: it monitors the workspace's book after
// every new index (a list imported, updated or polled) and at least every
// interval, one run at a time, as jobs on a River queue kept in
// <data-dir>/jobs.db (or, with --store postgres://…, in that database,
// shared by the servers). A trigger that comes while a run is under way queues
// one more run (triggers while one is queued are that one); a failed run
// is logged as an error, counted, and tried again with back-off. The
// monitoring runs themselves are checkpointed in monitor.db: a server
// killed half-way resumes the run at its next start.
type monitorLoop struct {
	a     *app
	srv   *server.Server
	db    store.Store
	log   *slog.Logger
	req   monitorRequest
	every time.Duration
	// retry is the first wait before a failed run is tried again
	// (doubling up to an hour).
	retry time.Duration
	// jobsPath is the River database (<data-dir>/jobs.db) when the queue
	// is not in the shared PostgreSQL database.
	jobsPath string
	jobs     *jobQueue
	client   riverClient
	// do makes one run (once; tests give another).
	do func(ctx context.Context, reason string) error
}

func newMonitorLoop(a *app, srv *server.Server, db store.Store, log *slog.Logger, req monitorRequest, every time.Duration, jobsPath string) *monitorLoop {
	m := &monitorLoop{a: a, srv: srv, db: db, log: log, req: req, every: every, retry: time.Minute, jobsPath: jobsPath}
	m.do = m.once
	return m
}

// monitorQueue is the River queue of the monitoring runs.
const monitorQueue = "monitor"

// monitorArgs is a monitoring run to make, and why.
type monitorArgs struct {
	Reason string `json:"reason"`
}

// Kind names the job.
func (monitorArgs) Kind() string { return "lexscreen_monitor" }

// InsertOpts puts the job on the monitoring queue; it is tried until it
// works (a run that can't be done must not be dropped).
func (monitorArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: monitorQueue, MaxAttempts: 10000}
}

// monitorWorker makes the runs of the queue.
type monitorWorker struct {
	river.WorkerDefaults[monitorArgs]
	loop *monitorLoop
}

// Work makes one run; a failure is logged loudly and retried.
func (w *monitorWorker) Work(ctx context.Context, job *river.Job[monitorArgs]) error {
	err := w.loop.do(ctx, job.Args.Reason)
	if err != nil && ctx.Err() == nil {
		w.loop.log.Error("MONITORING RUN FAILED: the book is not screened against the newest lists; retrying",
			"reason", job.Args.Reason, "attempt", job.Attempt, "err", err, "retry_in", w.loop.backoff(job.Attempt).String())
	}
	return err
}

// NextRetry is the back-off of a failed run: retry, doubling per attempt, at most an hour.
func (w *monitorWorker) NextRetry(job *river.Job[monitorArgs]) time.Time {
	return time.Now().Add(w.loop.backoff(job.Attempt))
}

// Timeout: none (a full run of a large book takes long; it is checkpointed).
func (w *monitorWorker) Timeout(*river.Job[monitorArgs]) time.Duration { return -1 }

func (m *monitorLoop) backoff(attempt int) time.Duration {
	d := m.retry
	for i := 1; i < attempt && d < time.Hour; i++ {
		d *= 2
	}
	return min(d, time.Hour)
}

// start opens the job queue (creating or migrating jobs.db) and starts
// working it; the periodic run comes every m.every.
func (m *monitorLoop) start(ctx context.Context) error {
	var q *jobQueue
	var err error
	if m.a != nil {
		q, err = m.a.openQueue(ctx, m.jobsPath)
	} else {
		q, err = openSQLiteQueue(ctx, m.jobsPath)
	}
	if err != nil {
		return err
	}
	workers := river.NewWorkers()
	river.AddWorker(workers, &monitorWorker{loop: m})
	every := m.every
	client, err := q.newClient(&river.Config{
		Queues:            map[string]river.QueueConfig{monitorQueue: {MaxWorkers: 1}},
		Workers:           workers,
		FetchPollInterval: 200 * time.Millisecond,
		Logger:            slog.New(levelAtLeast{m.log.Handler(), slog.LevelWarn}),
		PeriodicJobs: []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(every),
			func() (river.JobArgs, *river.InsertOpts) {
				return monitorArgs{Reason: "scheduled (every " + every.String() + ")"}, nil
			}, nil)},
	})
	if err != nil {
		q.close()
		return lexscreen.Errorf(lexscreen.EINTERNAL, "the job queue: %v", err)
	}
	if err := client.Start(ctx); err != nil {
		q.close()
		return lexscreen.Errorf(lexscreen.EUNAVAILABLE, "starting the job queue in %s: %v", q.where, err)
	}
	m.jobs, m.client = q, client
	return nil
}

// stop stops working the queue, letting the run under way reach its next
// checkpoint for at most 10 s (it resumes at the next start).
func (m *monitorLoop) stop() {
	if m.client == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	m.client.Stop(ctx)
	m.jobs.close()
}

// trigger asks for a run, unless one is already waiting: it becomes that
// one. A run under way does not count: what it started with may be older.
func (m *monitorLoop) trigger(ctx context.Context, reason string) {
	res, err := m.client.JobList(ctx, river.NewJobListParams().Queues(monitorQueue).
		States(rivertype.JobStateAvailable, rivertype.JobStateScheduled, rivertype.JobStateRetryable, rivertype.JobStatePending).First(1))
	if err == nil && len(res.Jobs) > 0 {
		return
	}
	if _, err := m.client.Insert(ctx, monitorArgs{Reason: reason}, nil); err != nil {
		m.log.Error("MONITORING RUN NOT QUEUED: the book is not screened against the new lists until the next run", "reason", reason, "err", err)
		m.srv.MonitorRan(server.MonitorRun{Result: "failed"})
	}
}

// openJobQueue opens the River database at path (<data-dir>/jobs.db),
// creating or migrating it.
func openJobQueue(ctx context.Context, path string) (*sql.DB, *riversqlite.Driver, error) {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(FULL)")
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?"+q.Encode())
	if err != nil {
		return nil, nil, lexscreen.Errorf(lexscreen.EUNAVAILABLE, "the job queue %s: %v", path, err)
	}
	db.SetMaxOpenConns(1) // SQLite has one writer; River's own advice
	driver := riversqlite.New(db)
	migrator, err := rivermigrate.New(driver, nil)
	if err == nil {
		_, err = migrator.Migrate(ctx, rivermigrate.DirectionUp, nil)
	}
	if err != nil {
		db.Close()
		return nil, nil, lexscreen.Errorf(lexscreen.EUNAVAILABLE, "preparing the job queue %s: %v", path, err)
	}
	return db, driver, nil
}

// levelAtLeast is a slog.Handler that passes on records of min or above.
type levelAtLeast struct {
	slog.Handler
	min slog.Level
}

// Enabled reports whether level is at least min.
func (h levelAtLeast) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= h.min && h.Handler.Enabled(ctx, l)
}

// once makes one monitoring run on the index in use.
func (m *monitorLoop) once(ctx context.Context, reason string) error {
	ix := m.srv.Index()
	if ix == nil {
		m.srv.MonitorRan(server.MonitorRun{Result: "failed"})
		return lexscreen.Errorf(lexscreen.EUNAVAILABLE, "no index of the lists yet")
	}
	start := time.Now()
	req := m.req
	req.progress = func(run string, c, n int) {
		if n >= 10 && (c+1)%(n/10) == 0 {
			m.log.Info("monitoring progress", "run", run, "chunks_done", c+1, "chunks", n)
		}
	}
	m.log.Info("monitoring run started", "reason", reason, "snapshots", ix.SnapshotIDs())
	rep, err := m.a.runMonitor(ctx, m.db, ix.Screener, req)
	if err != nil {
		m.srv.MonitorRan(server.MonitorRun{Result: "failed"})
		return err
	}
	res := server.MonitorRun{Result: "ok", Elapsed: time.Since(start)}
	if rep.Alerts != nil {
		res.Opened, res.Realerted = len(rep.Alerts.Opened), len(rep.Alerts.Realerted)
	}
	attrs := []any{"reason", reason, "alerts_opened", res.Opened, "realerted", res.Realerted, "listing_removed", len(rep.Removed),
		"seconds", res.Elapsed.Seconds()}
	if s := rep.Stats; s != nil {
		res.Kind = s.Kind
		attrs = append(attrs, "run", s.Run, "kind", s.Kind, "resumed", s.Resumed, "subjects", s.Subjects, "added", s.Added,
			"changed", s.Changed, "removed", s.Removed, "candidates", s.Candidates, "screened", s.Screened, "matched", s.Matched,
			"failed", s.Failed, "unindexed", s.Unindexed)
	} else {
		res.Result = "skipped"
		attrs = append(attrs, "skipped", rep.Skipped)
	}
	if u := rep.Unscreened; u != nil {
		attrs = append(attrs, "unscreened_waiting", u.Waiting, "unscreened_screened", u.Screened, "unscreened_matched", u.Matched,
			"unscreened_failed", len(u.Failed))
	}
	if f := rep.Facts; f != nil && f.Reevaluated != nil {
		attrs = append(attrs, "legal_facts_changed", true, "alerts_reevaluated", f.Reevaluated.Checked,
			"obligations_changed", len(f.Reevaluated.Changed))
	}
	if rep.incomplete() {
		res.Result = "incomplete"
		if s := rep.Stats; s != nil {
			attrs = append(attrs, "failures", s.Failures)
		}
		if rep.Facts != nil {
			attrs = append(attrs, "not_reevaluated", rep.Facts.Failed)
		}
		m.log.Error("monitoring run incomplete: some subjects were not screened or some alerts not re-evaluated", attrs...)
	} else {
		m.log.Info("monitoring run done", attrs...)
	}
	m.srv.MonitorRan(res)
	return nil
}
