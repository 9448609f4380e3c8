package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/server"
	"github.com/lexscreen/lexscreen/store/sqlite"
)

// monitorLoop is serve --monitor: it monitors the workspace's book after
// every new index (a list imported, updated or polled) and at least every
// interval, one run at a time. A trigger that comes while a run is under
// way queues one more run (several coalesce into one); a failed run is
// logged as an error, counted, and tried again with back-off.
type monitorLoop struct {
	a     *app
	srv   *server.Server
	db    *sqlite.DB
	log   *slog.Logger
	req   monitorRequest
	every time.Duration
	// retry is the first wait before a failed run is tried again
	// (doubling up to an hour).
	retry time.Duration
	kick  chan string
	// do makes one run (once; tests give another).
	do func(ctx context.Context, reason string) error
}

func newMonitorLoop(a *app, srv *server.Server, db *sqlite.DB, log *slog.Logger, req monitorRequest, every time.Duration) *monitorLoop {
	m := &monitorLoop{a: a, srv: srv, db: db, log: log, req: req, every: every, retry: time.Minute, kick: make(chan string, 1)}
	m.do = m.once
	return m
}

// trigger asks for a run; it never blocks: with a run already queued the
// two are one.
func (m *monitorLoop) trigger(reason string) {
	select {
	case m.kick <- reason:
	default:
	}
}

// run does the runs asked for until ctx ends.
func (m *monitorLoop) run(ctx context.Context) {
	tick := time.NewTicker(m.every)
	defer tick.Stop()
	backoff := m.retry
	var retry <-chan time.Time
	for {
		reason := ""
		select {
		case <-ctx.Done():
			return
		case reason = <-m.kick:
		case <-tick.C:
			reason = "scheduled (every " + m.every.String() + ")"
		case <-retry:
			reason = "retry after a failed run"
		}
		if err := m.do(ctx, reason); err != nil {
			if ctx.Err() != nil {
				return
			}
			m.log.Error("MONITORING RUN FAILED: the book is not screened against the newest lists; retrying",
				"reason", reason, "err", err, "retry_in", backoff.String())
			retry = time.After(backoff)
			backoff = min(2*backoff, time.Hour)
			continue
		}
		backoff, retry = m.retry, nil
	}
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
