package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/screening"
	"github.com/lexscreen/lexscreen/store"
)

// `lexscreen monitor` runs on the same River queue as serve --monitor
// (<data-dir>/jobs.db): the command inserts a job and works it to
// completion in its own process, so that every monitoring run, from the
// command line or the server, is a job with its record (when it ran, how
// it ended, the error of a failed one) in one place. The run itself is
// checkpointed in monitor.db as before: a command killed half-way leaves
// its job "running" (River's rescuer gives it up after an hour: one
// attempt) and the same command run again inserts a new job whose run
// resumes from the checkpoint, with neither loss nor duplicates.

// monitorCLIQueue is the queue of the command's runs: apart from the
// server's, so that a server working its queue never takes a run whose
// report a command waits for.
const monitorCLIQueue = "monitor_cli"

// monitorCLIArgs is a monitoring run of the command, as asked.
type monitorCLIArgs struct {
	Book string `json:"book,omitempty"` // the customer file; "": the workspace's book
	Full bool   `json:"full,omitempty"`
	PID  int    `json:"pid"` // the process that inserted it (and works it)
}

// Kind names the job.
func (monitorCLIArgs) Kind() string { return "lexscreen_monitor_cli" }

// InsertOpts: the command's queue, one attempt (a failed run is reported
// by the command, which the user runs again; it resumes from monitor.db).
func (monitorCLIArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: monitorCLIQueue, MaxAttempts: 1}
}

// monitorCLIWorker works the command's own job. Another job on the queue
// belongs to another command: while that process lives the job waits for
// it (snoozed); one left by a command that stopped before working it is
// cancelled (its run, if it began, resumes from the checkpoint when the
// same command is run again).
type monitorCLIWorker struct {
	river.WorkerDefaults[monitorCLIArgs]
	mine   func() int64
	run    func(ctx context.Context) error
	result error
}

// Work makes the command's run.
func (w *monitorCLIWorker) Work(ctx context.Context, job *river.Job[monitorCLIArgs]) error {
	if job.ID != w.mine() {
		if job.Args.PID != os.Getpid() && processAlive(job.Args.PID) {
			return river.JobSnooze(200 * time.Millisecond)
		}
		return river.JobCancel(fmt.Errorf("left by lexscreen monitor (process %d), which stopped before working it", job.Args.PID))
	}
	w.result = w.run(ctx)
	if w.result != nil {
		return river.JobCancel(w.result) // reported by the command: not retried
	}
	return nil
}

// Timeout: none (a full run of a large book takes long; it is checkpointed).
func (w *monitorCLIWorker) Timeout(*river.Job[monitorCLIArgs]) time.Duration { return -1 }

// runMonitorJob makes the command's monitoring run as a job of the River
// queue in <data-dir>/jobs.db, worked in this process; it returns the
// run's report and the job's id.
func (a *app) runMonitorJob(ctx context.Context, db store.Store, sc *screening.Screener, req monitorRequest, pid int) (*monitorReport, int64, error) {
	jobs, err := a.openQueue(ctx, "")
	if err != nil {
		return nil, 0, err
	}
	defer jobs.close()
	var rep *monitorReport
	var id int64
	worker := &monitorCLIWorker{mine: func() int64 { return id }, run: func(ctx context.Context) error {
		var err error
		rep, err = a.runMonitor(ctx, db, sc, req)
		return err
	}}
	workers := river.NewWorkers()
	river.AddWorker(workers, worker)
	client, err := jobs.newClient(&river.Config{
		Queues:            map[string]river.QueueConfig{jobs.cliQueue: {MaxWorkers: 1}},
		Workers:           workers,
		FetchCooldown:     20 * time.Millisecond,
		FetchPollInterval: 50 * time.Millisecond,
		Logger:            slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		return nil, 0, lexscreen.Errorf(lexscreen.EINTERNAL, "the job queue: %v", err)
	}
	// Inserted before the client starts, so that its id is known before
	// any job is worked.
	res, err := client.Insert(ctx, monitorCLIArgs{Book: req.book, Full: req.full, PID: pid}, &river.InsertOpts{Queue: jobs.cliQueue, MaxAttempts: 1})
	if err != nil {
		return nil, 0, lexscreen.Errorf(lexscreen.EUNAVAILABLE, "queueing the monitoring run in %s: %v", jobs.where, err)
	}
	id = res.Job.ID
	events, cancel := client.Subscribe(river.EventKindJobCompleted, river.EventKindJobCancelled, river.EventKindJobFailed)
	defer cancel()
	if err := client.Start(ctx); err != nil {
		return nil, id, lexscreen.Errorf(lexscreen.EUNAVAILABLE, "starting the job queue: %v", err)
	}
	defer func() {
		stop, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		client.Stop(stop)
	}()
	for {
		select {
		case ev, ok := <-events:
			if !ok {
				return nil, id, lexscreen.Errorf(lexscreen.EUNAVAILABLE, "the job queue stopped before monitoring job %d ended", id)
			}
			if ev.Job == nil || ev.Job.ID != id {
				continue
			}
			switch {
			case worker.result != nil:
				return rep, id, worker.result
			case ev.Job.State == rivertype.JobStateCompleted && rep != nil:
				return rep, id, nil
			default:
				why := "no report"
				if n := len(ev.Job.Errors); n > 0 {
					why = ev.Job.Errors[n-1].Error
				}
				return nil, id, lexscreen.Errorf(lexscreen.EINTERNAL, "monitoring job %d ended %s: %s", id, ev.Job.State, why)
			}
		case <-ctx.Done():
			return nil, id, errors.Join(ctx.Err(), fmt.Errorf("monitoring job %d interrupted: the run resumes from its checkpoint when the command runs again", id))
		}
	}
}
